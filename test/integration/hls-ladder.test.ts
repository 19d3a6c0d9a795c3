// The live ladder with the real ffmpeg: a 4-second 720p30 H.264 + AAC feed (a keyframe every second)
// through the argv the builders make, run by the runner, read back with ffprobe as a player would.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { startFfmpeg } from '../../media/ffmpeg/runner.ts';
import type { FfmpegProgress } from '../../media/ffmpeg/progress.ts';
import { probeMedia } from '../../media/ffmpeg/probe.ts';
import { renditionCodecs } from '../../media/publish/init-segment.ts';
import { MASTER_PLAYLIST, masterPlaylist } from '../../media/publish/master-playlist.ts';
import { argv, buildLadderArgs, renditionPlaylist } from '../../media/transcode/hls-args.ts';
import { planLadder } from '../../media/transcode/ladder.ts';
import { audioSamples, decodeSegment, makeFeed, parseMediaPlaylist, tagAttributes, tempDir } from '../helpers/media.ts';

const work = tempDir(t, 'ladder');
const feed = await makeFeed(work, { seconds: 4 });
const info = await probeMedia(feed);
const video = info.video!;
const plan = planLadder({ width: video.width, height: video.height, fps: video.fps!, codec: 'h264' });
const out = join(work, 'hls');
const progress: FfmpegProgress[] = [];
const ffmpeg = startFfmpeg(argv(buildLadderArgs({ kind: 'file', path: feed }, plan, out)), { onProgress: (p) => progress.push(p) });
t.teardown(() => ffmpeg.stop());
const exit = await ffmpeg.exited;
const master = masterPlaylist(plan, await renditionCodecs(out, plan));
writeFileSync(join(out, MASTER_PLAYLIST), master);
const playlistOf = (name: string) => parseMediaPlaylist(readFileSync(join(out, renditionPlaylist(name)), 'utf8'));

t.test('ffmpeg runs the ladder to the end and reports its progress', async (t) => {
  t.equal(exit.code, 0, exit.stderrTail);
  t.equal(exit.stopped, false);
  t.ok(progress.length > 0, 'progress was reported');
  const last = progress.at(-1)!;
  t.ok(last.end, 'the last report says ffmpeg is done');
  t.ok(last.outTimeUs! >= 3_900_000, `wrote about 4 s (${last.outTimeUs} µs)`);
});

t.test('the master playlist lists three renditions with RESOLUTION, CODECS and FRAME-RATE, the sound in each', async (t) => {
  t.same(plan.rungs.map((r) => `${r.name}${r.passthrough ? ' copy' : ''}`), ['720p copy', '480p', '360p']);
  const variants = tagAttributes(master, '#EXT-X-STREAM-INF');
  t.same(variants.map((v) => v.RESOLUTION).sort(), ['1280x720', '640x360', '854x480']);
  t.same(variants.map((v) => v['FRAME-RATE']), ['30.000', '30.000', '30.000']);
  const codecsOf = (resolution: string) => variants.find((v) => v.RESOLUTION === resolution)!.CODECS;
  t.equal(codecsOf('1280x720'), 'avc1.64001f,mp4a.40.2', 'the copied rung: the feed’s own High 3.1');
  t.equal(codecsOf('854x480'), 'avc1.64001f,mp4a.40.2');
  t.equal(codecsOf('640x360'), 'avc1.64001e,mp4a.40.2');
  t.same(tagAttributes(master, '#EXT-X-MEDIA'), [], 'no separate audio rendition');
  t.notOk(existsSync(join(out, 'audio')), 'and no folder for one');
});

t.test('ffprobe finds one video and one audio stream in every rung', async (t) => {
  for (const rung of plan.rungs) {
    const playlist = playlistOf(rung.name);
    const info = await probeMedia(`concat:${join(out, rung.name, playlist.init!)}|${join(out, rung.name, playlist.segments[0].uri)}`);
    t.same(info.streams.map((s) => s.kind).sort(), ['audio', 'video'], `${rung.name}: ${info.streams.map((s) => s.codec).join(', ')}`);
    t.match(info.audio, { codec: 'aac', sampleRate: 48_000, channels: 2 }, `${rung.name}: AAC 48 kHz stereo`);
  }
});

t.test('every rendition playlist has TARGETDURATION ≤ 2 and a PROGRAM-DATE-TIME on every segment', async (t) => {
  for (const name of ['720p', '480p', '360p']) {
    const playlist = playlistOf(name);
    t.ok(playlist.targetDuration <= 2, `${name}: TARGETDURATION ${playlist.targetDuration}`);
    t.ok(playlist.segments.length >= 4, `${name}: ${playlist.segments.length} segments`);
    t.ok(playlist.segments.every((s) => s.programDateTime && Number.isFinite(Date.parse(s.programDateTime))), `${name}: every segment is dated`);
    const dates = playlist.segments.map((s) => Date.parse(s.programDateTime!));
    t.ok(dates.every((d, i) => i === 0 || d > dates[i - 1]), `${name}: dates move forward`);
  }
});

t.test('each video segment decodes behind its init section, starts on a keyframe and keeps its rung’s size', async (t) => {
  for (const rung of plan.rungs) {
    const playlist = playlistOf(rung.name);
    for (const segment of playlist.segments) {
      const frames = await decodeSegment(join(out, rung.name, playlist.init!), join(out, rung.name, segment.uri));
      t.ok(frames.length >= 25, `${rung.name}/${segment.uri}: ${frames.length} frames`);
      t.ok(frames[0].key, `${rung.name}/${segment.uri} starts on a keyframe`);
      t.ok(frames.every((f) => f.width === rung.width && f.height === rung.height), `${rung.name}/${segment.uri} is ${rung.width}x${rung.height}`);
    }
  }
});

t.test('every rung’s segments carry the sound: about a second of 48 kHz samples each', async (t) => {
  for (const rung of plan.rungs) {
    const playlist = playlistOf(rung.name);
    for (const segment of playlist.segments.slice(0, -1)) {
      const samples = await audioSamples(join(out, rung.name, playlist.init!), join(out, rung.name, segment.uri));
      t.ok(Math.abs(samples - 48_000) < 2_048, `${rung.name}/${segment.uri}: ${samples} samples`);
    }
  }
});

t.test('GOPs line up: every video rendition cuts its segments at the same times', async (t) => {
  const durations = plan.rungs.map((r) => playlistOf(r.name).segments.map((s) => s.duration));
  for (const other of durations.slice(1)) {
    t.equal(other.length, durations[0].length);
    t.ok(other.every((d, i) => Math.abs(d - durations[0][i]) < 0.001), `${other.join(' ')} vs ${durations[0].join(' ')}`);
  }
});
