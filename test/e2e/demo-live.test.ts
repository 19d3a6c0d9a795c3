// What a newcomer sees after `npm start`: the process runs its embedded media node, the demo feed sends
// a test pattern through the plain-RTP ingest, and within a minute the demo broadcast is live as an HLS
// ladder; SIGTERM stops everything, with no ffmpeg left behind.
// Run alone: MEDIASOUP_WORKER_BIN=$(node scripts/mediasoup.mjs) node node_modules/.bin/tap <this file>
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import t from 'tap';
import { alive, descendants, randomPort, startLinbo, tempDataDir } from '../helpers/linbo-process.ts';
import { until } from '../helpers/until.ts';

const run = promisify(execFile);

const variantUris = (master: string): string[] => master.split('\n').filter((line) => line.endsWith('.m3u8') && !line.startsWith('#'));

t.test('with LINBO_DEMO on, the demo broadcast goes live from the synthetic feed and SIGTERM leaves no ffmpeg behind', async (t) => {
  const dataDir = tempDataDir(t);
  const port = randomPort();
  const { child, exited, output } = startLinbo(t, { dataDir, port });

  const printed = await until('the process prints the demo live feed', () => /Demo live feed: (\S+)\s+HLS: (\S+)/.exec(output()), 60_000, 100);
  const local = (url: string) => url.replace('//localhost:', '//127.0.0.1:');
  const watch = local(printed[1]);
  const hls = local(printed[2]);
  t.match(watch, new RegExp(`/watch/[0-9a-f-]{36}$`));
  const id = watch.split('/').at(-1)!;
  t.equal(hls, `http://127.0.0.1:${port}/media/live/${id}/master.m3u8`);

  const master = await until('the master playlist lists at least 3 renditions', async () => {
    const res = await fetch(hls);
    const text = res.ok ? await res.text() : '';
    return variantUris(text).length >= 3 ? text : undefined;
  }, 45_000, 250);
  t.match(master, /RESOLUTION=1280x720/, 'the feed\'s 720p is the top rung');
  const broadcast = await (await fetch(`http://127.0.0.1:${port}/api/broadcasts/${id}`)).json();
  t.equal(broadcast.state, 'live', 'the demo broadcast is live');
  t.equal(broadcast.kind, 'event');
  t.equal((await fetch(watch)).status, 200, 'its watch page serves');

  const rendition = hls.replace(/master\.m3u8$/, variantUris(master)[0]);
  const segments = async () => ((await (await fetch(rendition)).text()).match(/\.m4s$/gm) ?? []).length;
  const before = await segments();
  await until('the rendition playlist grows', async () => (await segments()) > before, 10_000, 250);

  const ffmpegs = async () => (await descendants(child.pid!)).filter((p) => /\bffmpeg\b/.test(p.args));
  const feed = (await ffmpegs()).find((p) => p.args.includes('testsrc2'));
  t.ok(feed, 'the demo feed is an ffmpeg child of the process');
  t.ok((await ffmpegs()).some((p) => p.args.includes(dataDir)), 'and the live transcoder one of its media node');

  // The feed dies: a new one sends from the same ports, and the broadcast carries on.
  process.kill(feed!.pid, 'SIGKILL');
  const killedAt = Date.now();
  await until('a new demo feed starts', async () => (await ffmpegs()).some((p) => p.args.includes('testsrc2') && p.pid !== feed!.pid), 15_000, 100);
  await until('segments recorded well after the restart reach the playlist', async () => {
    const times = [...(await (await fetch(rendition)).text()).matchAll(/#EXT-X-PROGRAM-DATE-TIME:(\S+)/g)].map((m) => Date.parse(m[1]));
    return times.some((time) => time > killedAt + 5_000);
  }, 30_000, 250);
  t.equal((await (await fetch(`http://127.0.0.1:${port}/api/broadcasts/${id}`)).json()).state, 'live', 'the broadcast stays live');

  const feeds = await ffmpegs();
  child.kill('SIGTERM');
  t.equal(await exited, 0, 'SIGTERM stops the process cleanly');
  await until('no ffmpeg it started is left running', () => feeds.every((p) => !alive(p.pid)), 10_000, 100);
  const { stdout } = await run('pgrep', ['-f', dataDir]).catch(() => ({ stdout: '' }));
  t.equal(stdout.trim(), '', 'nothing runs with the data dir in its command line');
});
