// The live transcoder (ffmpeg) dying or hanging mid-broadcast: the media node starts another under the
// same playlists, which go on numbering segments after an EXT-X-DISCONTINUITY, at the same URLs, and
// hls.js in Chromium plays on across the seam. A hung one is found by the stall watch
// (media/live/stall-watch.ts): neither a segment nor a frame for 3 target durations while the feed flows.
// Run alone: MEDIASOUP_WORKER_BIN=$(node scripts/mediasoup.mjs) node node_modules/.bin/tap <this file>
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import t from 'tap';
import { launchBrowser } from '../helpers/browser.ts';
import { hlsPlayer } from '../helpers/hls-playback.ts';
import { liveOverRtp, segments } from '../helpers/live-rtp.ts';
import { until } from '../helpers/until.ts';

const run = promisify(execFile);

/** Waits for 3 segments more than `before`; the playlist then. */
const goesOn = (read: () => Promise<string>, before: number, reason: string) =>
  until(reason, async () => {
    const text = await read();
    return segments(text).length >= before + 3 ? text : undefined;
  }, 30_000, 200);

t.test('a transcoder killed mid-live is replaced, the playlists go on after a discontinuity and hls.js plays across it', async (t) => {
  const { broadcast, playlist, read, transcoders, state } = await liveOverRtp(t);
  const browser = await launchBrowser(t);
  const playback = await (await hlsPlayer(t, browser)).play(broadcast.links.hls);
  await playback.playFor(2);

  const [first] = await until('the transcoder runs', transcoders);
  process.kill(first, 'SIGKILL');
  await until('another transcoder takes over', async () => (await transcoders()).some((pid) => pid !== first), 5_000);
  const before = segments(await read()).length;
  const after = await goesOn(read, before, 'the playlist goes on after the crash');
  const tail = after.slice(after.lastIndexOf('#EXT-X-DISCONTINUITY'));
  t.equal(after.split('#EXT-X-DISCONTINUITY').length, 2, 'one discontinuity, at the seam: the segments before it keep their sequence');
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
  // The rung carries its picture and its sound: both must decode across the seam.
  const streams = stdout.trim().split('\n').sort().join('\n');
  t.match(streams, /^aac,[1-9]\d*\nh264,640,360,[1-9]\d*$/, `${lastSegment}, written after the crash, decodes with the published init section, picture and sound`);

  await playback.until('the player reaches the segments after the seam', (report) => report.discontinuity >= 1);
  const played = await playback.playFor(3);
  t.same(played.fatal, [], 'hls.js played on past the discontinuity without a fatal error');
  t.ok(played.contrast > 32, `the frame shown after the seam is a picture, not a flat colour (contrast ${played.contrast})`);
  t.equal(await state(), 'live', 'the broadcast stayed live');
});

t.test('a transcoder that hangs while the feed flows is killed and replaced, and the playlists go on after a discontinuity', async (t) => {
  const { read, transcoders, state } = await liveOverRtp(t);
  const [hung] = await until('the transcoder runs', transcoders);
  const before = segments(await read()).length;
  // A stopped process writes nothing and does not exit: to the media node, a hung transcoder.
  process.kill(hung, 'SIGSTOP');
  t.teardown(() => {
    try {
      process.kill(hung, 'SIGKILL');
    } catch {
      // gone, as it should be
    }
  });
  await until('another transcoder takes over', async () => (await transcoders()).some((pid) => pid !== hung), 20_000, 200);
  await until('the hung transcoder is gone', async () => !(await transcoders()).includes(hung), 5_000, 200);
  const after = await goesOn(read, before, 'the playlist goes on after the stall');
  t.equal(after.split('#EXT-X-DISCONTINUITY').length, 2, 'one discontinuity, at the seam');
  t.ok(after.lastIndexOf('#EXT-X-DISCONTINUITY') > after.indexOf('seg_'), 'a discontinuity marks the seam after the first segments');
  t.ok(segments(after.slice(after.lastIndexOf('#EXT-X-DISCONTINUITY'))).length >= 1, 'segments follow it');
  t.equal(await state(), 'live', 'the broadcast stayed live');
});
