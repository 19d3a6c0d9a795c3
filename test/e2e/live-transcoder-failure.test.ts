// A live transcoder that keeps crashing (more than five times a minute) has failed for good: after the
// grace period the broadcast ends as transcoder-failed, and what was published is closed as its replay.
// Run alone: MEDIASOUP_WORKER_BIN=$(node scripts/mediasoup.mjs) node node_modules/.bin/tap <this file>
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import t from 'tap';
import { startApp, staff } from '../helpers/app.ts';
import { sendTestPattern, startMediaNode } from '../helpers/media-node.ts';
import { createBroadcast, createChannel } from '../helpers/schedule.ts';
import { until } from '../helpers/until.ts';

const run = promisify(execFile);

/** The ffmpeg processes the media node started (its transcoders). */
async function transcoderPids(nodePid: number): Promise<number[]> {
  const { stdout } = await run('pgrep', ['-P', String(nodePid), '-x', 'ffmpeg']).catch(() => ({ stdout: '' }));
  return stdout.split('\n').filter(Boolean).map(Number);
}

t.test('a transcoder that crashes six times in a minute ends the broadcast as transcoder-failed, with its replay closed', async (t) => {
  const ctx = await startApp(t, { listen: true, env: { LINBO_INGEST_GRACE_SECONDS: '1' } });
  const node = await startMediaNode(t, ctx);
  const admin = await staff(ctx, 'admin');
  const broadcast = await createBroadcast(ctx, admin, (await createChannel(ctx, admin)).id);
  const opened = await ctx.app.inject({ method: 'POST', url: `/api/broadcasts/${broadcast.id}/ingest/rtp`, headers: admin, payload: { width: 640, height: 360 } });
  sendTestPattern(t, opened.json().ffmpegArgs, '640x360');
  const playlist = broadcast.links.hls.replace(/master\.m3u8$/, '360p/index.m3u8');
  await until('the 360p playlist has a segment', async () => {
    const res = await fetch(playlist);
    return res.ok && /\.m4s$/m.test(await res.text());
  }, 30_000, 200);

  let [current] = await until('the transcoder runs', () => transcoderPids(node.pid!));
  for (let crash = 1; crash <= 5; crash++) {
    process.kill(current, 'SIGKILL');
    const killed = current;
    [current] = await until(`a transcoder replaces crash ${crash}`, async () => (await transcoderPids(node.pid!)).filter((pid) => pid !== killed), 10_000, 100);
  }
  process.kill(current, 'SIGKILL');

  const get = async () => (await ctx.app.inject({ method: 'GET', url: `/api/broadcasts/${broadcast.id}`, headers: admin })).json();
  const ended = await until('the broadcast ends after the grace period', async () => {
    const b = await get();
    return b.state === 'ended' && b;
  }, 30_000, 200);
  t.equal(ended.endedReason, 'transcoder-failed', 'it says the transcoder failed');
  t.same(await transcoderPids(node.pid!), [], 'no transcoder was started after the sixth crash');
  await until('the broadcast says its replay is ready', async () => (await get()).replay.ready, 15_000, 200);
  t.match(await (await fetch(playlist)).text(), /#EXT-X-ENDLIST\s*$/, 'the published playlist is closed');
});
