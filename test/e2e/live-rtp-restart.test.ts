// The live transcoder (ffmpeg) killed mid-broadcast: the media node starts another under the same
// playlists, which go on numbering segments after an EXT-X-DISCONTINUITY, at the same URLs.
// Run alone: MEDIASOUP_WORKER_BIN=$(node scripts/mediasoup.mjs) node node_modules/.bin/tap <this file>
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
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

t.test('a transcoder killed mid-live is replaced and the playlists go on after a discontinuity', async (t) => {
  const ctx = await startApp(t, { listen: true });
  const node = await startMediaNode(t, ctx);
  const admin = await staff(ctx, 'admin');
  const broadcast = await createBroadcast(ctx, admin, (await createChannel(ctx, admin)).id);
  // A small feed: one copied rendition and the sound keep the CPU free for tests running beside this one.
  const opened = await ctx.app.inject({ method: 'POST', url: `/api/broadcasts/${broadcast.id}/ingest/rtp`, headers: admin, payload: { width: 640, height: 360 } });
  sendTestPattern(t, opened.json().ffmpegArgs, '640x360');
  const playlist = broadcast.links.hls.replace(/master\.m3u8$/, '360p/index.m3u8');
  const read = async () => {
    const res = await fetch(playlist);
    return res.ok ? res.text() : '';
  };
  const segments = (text: string) => text.match(/^seg_\d+\.m4s$/gm) ?? [];
  await until('the 360p playlist has 3 segments', async () => segments(await read()).length >= 3, 15_000, 200);
  const [first] = await until('the transcoder runs', () => transcoderPids(node.pid!));
  process.kill(first, 'SIGKILL');
  await until('another transcoder takes over', async () => (await transcoderPids(node.pid!)).some((pid) => pid !== first), 5_000);
  const before = segments(await read()).length;
  const after = await until('the playlist goes on after the crash', async () => {
    const text = await read();
    return segments(text).length >= before + 3 ? text : undefined;
  }, 30_000, 200);
  const tail = after.slice(after.lastIndexOf('#EXT-X-DISCONTINUITY'));
  t.ok(after.lastIndexOf('#EXT-X-DISCONTINUITY') > after.indexOf('seg_'), 'a discontinuity marks the seam after the first segments');
  t.ok(segments(tail).length >= 1, 'segments follow it');
  const numbers = segments(after).map((s) => Number(s.slice(4, 9)));
  t.same(numbers, [...new Set(numbers)].sort((a, b) => a - b), 'numbering goes on: no segment name is reused');
  // The published init section is the first transcoder's; the segments after the seam must decode with it.
  const lastSegment = segments(after).at(-1)!;
  const bytes = async (name: string) => Buffer.from(await (await fetch(playlist.replace('index.m3u8', name))).arrayBuffer());
  const file = join(mkdtempSync(join(tmpdir(), 'linbo-restart-')), 'joined.mp4');
  t.teardown(() => rmSync(dirname(file), { recursive: true, force: true }));
  writeFileSync(file, Buffer.concat([await bytes('init_360p.mp4'), await bytes(lastSegment)]));
  const { stdout } = await run('ffprobe', ['-v', 'error', '-count_frames', '-show_entries', 'stream=codec_name,width,height,nb_read_frames', '-of', 'csv=p=0', file]);
  t.match(stdout.trim(), /^h264,640,360,[1-9]\d*$/, `${lastSegment}, written after the crash, decodes with the published init section`);
  t.equal((await ctx.app.inject({ method: 'GET', url: `/api/broadcasts/${broadcast.id}`, headers: admin })).json().state, 'live', 'the broadcast stayed live');
});
