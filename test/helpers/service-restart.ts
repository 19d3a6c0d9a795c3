// A clip's transcode interrupted by the end of the service's process — server/main.ts as `npm start` runs
// it, with its media node — and the next start of the service, which must run the job again to the end.
import type { Test } from 'tap';
import { TEST_PASSWORD } from './app.ts';
import { makeClipFile } from './clip-files.ts';
import { sendWhole, watchClip } from './clip-upload.ts';
import { alive, descendants, randomPort, startLinbo, tempDataDir } from './linbo-process.ts';
import { tempDir } from './media.ts';
import { until } from './until.ts';

export async function transcodeOutlivesRestart(t: Test, signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
  const dataDir = tempDataDir(t);
  const port = randomPort();
  const url = `http://127.0.0.1:${port}`;
  const env = { LINBO_DEMO: '0', LINBO_ADMIN_PASSWORD: TEST_PASSWORD, PUBLIC_URL: url };
  const up = (run: ReturnType<typeof startLinbo>) => until(`the service answers (${run.output().slice(-500)})`, async () => (await fetch(`${url}/readyz`).catch(() => undefined))?.ok, 60_000, 200);

  const first = startLinbo(t, { dataDir, port, env });
  await up(first);
  const login = await (await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: TEST_PASSWORD }) })).json();
  const headers = { authorization: `Bearer ${login.token}` };
  const channel = await (await fetch(`${url}/api/channels`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ slug: 'restart-street', name: '重启街道' }) })).json();
  const file = await makeClipFile(tempDir(t, 'vod-restart'), { seconds: 10, width: 1920, height: 1080 });
  const sent = await sendWhole(`${url}/api/uploads`, file, { channelId: channel.id, title: '重启中的转码' }, headers);
  t.equal(sent.finish.status, 204, 'the upload finishes');
  await until('the transcode is under way', async () => {
    const clip = await (await fetch(`${url}/api/clips/${sent.clipId}`, { headers })).json();
    return clip.state === 'processing' && clip.progress > 0 && clip.progress < 100;
  }, 90_000, 100);

  const transcoders = (await descendants(first.child.pid!)).filter((p) => /\bffmpeg\b/.test(p.args) && p.args.includes(sent.clipId));
  t.ok(transcoders.length > 0, 'the job’s ffmpeg runs under the first process');
  first.child.kill(signal);
  await first.exited;
  await until('the first run’s transcoder ends with it', () => transcoders.every((p) => !alive(p.pid)), 30_000, 100);
  const second = startLinbo(t, { dataDir, port, env });
  await up(second);
  const { clip, samples } = await watchClip(url, sent.clipId, headers, ['in_review', 'published', 'failed'], 180_000);
  t.ok(samples.some((s) => s.state !== 'in_review'), `the clip was still unfinished after the restart (${samples.map((s) => `${s.state} ${s.progress}`).join(', ')})`);
  t.equal(clip.state, 'in_review', `the next start ran the job again to the end: ${JSON.stringify(clip.error)}`);
  t.equal(clip.progress, 100, 'its progress is 100');
  const master = await (await fetch(clip.links.hls)).text();
  t.equal([...master.matchAll(/RESOLUTION=/g)].length, 4, 'its whole ladder is published');
  second.child.kill('SIGTERM');
  t.equal(await second.exited, 0, 'the second run stops cleanly');
}
