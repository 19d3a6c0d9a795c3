// A 2-GiB upload through tus (tus-js-client, one PATCH for the rest of the file as the console sends
// it) on loopback to Linbo in a child process: the server's RSS growth (target < 100 MB) and throughput,
// then the same upload cut once at 50% and resumed from the server's offset; (1r) is one bare tus PATCH
// sent as the baseline is, to tell the server's cost from the client's. Baseline in the same run: a bare
// Node HTTP server piping the request body to a file, sent the same file in one PUT by node:http.
// Usage: node bench/upload/run.ts [--gib 2]
import { createReadStream, statSync } from 'node:fs';
import { request } from 'node:http';
import { loadavg } from 'node:os';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import * as tus from 'tus-js-client';
import { sampleRss } from './rss.ts';
import { ADMIN_PASSWORD, startBaseline, startLinbo, type BenchServer } from './servers.ts';
import { benchSource } from './source.ts';

const { values } = parseArgs({ options: { gib: { type: 'string', default: '2' } } });
const BYTES = Math.round(Number(values.gib) * 1024 ** 3);
const MB = 1e6;

interface Run {
  readonly seconds: number;
  readonly rssBefore: number;
  readonly rssPeak: number;
  readonly note: string;
}

async function measure(server: BenchServer, send: () => Promise<string>): Promise<Run> {
  const rss = sampleRss(server.pid);
  const started = performance.now();
  const note = await send();
  const seconds = (performance.now() - started) / 1000;
  const { before, peak } = rss.stop();
  return { seconds, rssBefore: before, rssPeak: peak, note };
}

/** The file in one request, streamed by node:http as the baseline is sent. */
function sendWhole(url: string, file: string, method: string, headers: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: { ...headers, 'content-length': String(statSync(file).size) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(`HTTP ${res.statusCode}`));
    });
    req.on('error', reject);
    pipeline(createReadStream(file), req).catch(reject);
  });
}

/** One tus-js-client run; `cutAt` aborts it once that many bytes are sent (a dropped connection). */
function tusRun(endpoint: string, file: string, headers: Record<string, string>, metadata: Record<string, string>, options: { uploadUrl?: string; cutAt?: number }) {
  return new Promise<{ url: string; cut: boolean }>((resolve, reject) => {
    const upload: tus.Upload = new tus.Upload(createReadStream(file), {
      endpoint,
      uploadUrl: options.uploadUrl ?? null,
      headers,
      metadata,
      retryDelays: null,
      onProgress(sent) {
        if (options.cutAt !== undefined && sent >= options.cutAt) {
          options.cutAt = undefined;
          void upload.abort(false).then(() => resolve({ url: upload.url!, cut: true }));
        }
      },
      onSuccess: () => resolve({ url: upload.url!, cut: false }),
      onError: reject,
    });
    upload.start();
  });
}

async function linboSession(server: BenchServer): Promise<{ headers: Record<string, string>; channelId: string }> {
  const login = await (await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }) })).json();
  const headers = { authorization: `Bearer ${login.token}` };
  const channel = await fetch(`${server.url}/api/channels`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ slug: `bench-${Date.now()}`, name: '上传测试' }) });
  if (channel.status !== 201) throw new Error(`create channel: ${channel.status} ${await channel.text()}`);
  return { headers, channelId: (await channel.json()).id };
}

async function main() {
  const file = benchSource(BYTES);
  console.log(`upload of ${(BYTES / 1024 ** 3).toFixed(2)} GiB on loopback; load average ${loadavg()[0].toFixed(2)}`);

  const baseline = await startBaseline();
  const bare = await measure(baseline, () => sendWhole(`${baseline.url}/upload`, file, 'PUT')).finally(() => baseline.stop());

  const linbo = await startLinbo();
  try {
    const { headers, channelId } = await linboSession(linbo);
    const endpoint = `${linbo.url}/api/uploads`;
    const metadata = (title: string) => ({ filename: 'gala.mp4', channelId, title });
    const raw = await measure(linbo, async () => {
      const meta = Object.entries(metadata('一个 PATCH')).map(([k, v]) => `${k} ${Buffer.from(v).toString('base64')}`).join(',');
      const created = await fetch(endpoint, { method: 'POST', headers: { ...headers, 'tus-resumable': '1.0.0', 'upload-length': String(BYTES), 'upload-metadata': meta } });
      const tusHeaders = { ...headers, 'tus-resumable': '1.0.0', 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' };
      return sendWhole(created.headers.get('location')!, file, 'PATCH', tusHeaders);
    });
    const whole = await measure(linbo, async () => `clip ${(await tusRun(endpoint, file, headers, metadata('整段上传'), {})).url.split('/').at(-1)}`);
    const resumed = await measure(linbo, async () => {
      const first = await tusRun(endpoint, file, headers, metadata('断点续传'), { cutAt: BYTES / 2 });
      const head = await fetch(first.url, { method: 'HEAD', headers: { ...headers, 'tus-resumable': '1.0.0' } });
      const held = Number(head.headers.get('upload-offset'));
      await tusRun(endpoint, file, headers, metadata('断点续传'), { uploadUrl: first.url });
      return `cut, server held ${(held / BYTES * 100).toFixed(1)}%, resumed from there`;
    });
    const row = (name: string, run: Run) =>
      `${name.padEnd(34)} ${(BYTES / MB / run.seconds).toFixed(0).padStart(6)} MB/s ${run.seconds.toFixed(1).padStart(7)} s   RSS ${(run.rssBefore / MB).toFixed(0)} → ${(run.rssPeak / MB).toFixed(0)} MB (+${((run.rssPeak - run.rssBefore) / MB).toFixed(1)})   ${run.note}`;
    console.log(row('(b) bare Node http → file', bare));
    console.log(row('(1r) Linbo, one bare tus PATCH', raw));
    console.log(row('(1) Linbo, tus-js-client', whole));
    console.log(row('(2) Linbo, tus-js-client cut at 50%', resumed));
    const ratio = (run: Run) => (bare.seconds / run.seconds).toFixed(2);
    console.log(`throughput against (b): (1r) ${ratio(raw)}×, (1) ${ratio(whole)}×, (2) ${ratio(resumed)}×; RSS growth target < 100 MB`);
  } finally {
    await linbo.stop();
  }
}

await main();
