// A media node's VOD job with real ffmpeg on real files: the ladder with the phone's H.264 copied, an old
// camcorder's clip re-encoded into the one rung it fits, progress up to 100, the poster and thumbnails;
// and a job that fails half-way or is cancelled leaves nothing published.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pino from 'pino';
import t from 'tap';
import { FsMediaStorage } from '../../media/storage/fs.ts';
import { VodTranscode, type VodProgress } from '../../media/vod/transcode.ts';
import { makeClipFile } from '../helpers/clip-files.ts';
import { RecordingStorage } from '../helpers/hls.ts';
import { parseMediaPlaylist, tempDir } from '../helpers/media.ts';
import { until } from '../helpers/until.ts';
import { childFfmpegs } from '../helpers/vod.ts';

const run = promisify(execFile);
const files = tempDir(t, 'vod-files');

async function probe(path: string) {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name,profile,width,height', '-of', 'json', path]);
  return (JSON.parse(stdout) as { streams: { codec_name: string; profile?: string; width?: number; height?: number }[] }).streams;
}

function startJob(t: { teardown(fn: () => unknown): void }, clipId: string, path: string) {
  const dataDir = tempDir(t, 'vod-node');
  const storage = new RecordingStorage(new FsMediaStorage(join(dataDir, 'media'), 'http://127.0.0.1/media'));
  const progress: VodProgress[] = [];
  const job = new VodTranscode({ jobId: `job-${clipId}`, clipId, source: { kind: 'file', path }, dataDir, storage, logger: pino({ level: 'silent' }), onProgress: (p) => progress.push(p) });
  const published = join(dataDir, 'media', 'clips', clipId);
  return { job, storage, progress, published, staging: join(dataDir, 'vod', `job-${clipId}`) };
}

t.test('a 1080p phone recording becomes the whole ladder with its own H.264 as the top rung', async (t) => {
  const source = await makeClipFile(files, { seconds: 12, width: 1920, height: 1080, keyframeSeconds: 2, name: 'phone.mp4' });
  const { job, storage, progress, published, staging } = startJob(t, 'phone', source);
  const outcome = await job.outcome;
  if (!outcome.ok) throw new Error(`the job failed: ${outcome.error.message.en}`);
  t.same(outcome.result.renditions.map((r) => `${r.name}${r.passthrough ? ' copy' : ''}`), ['1080p copy', '720p', '480p', '360p']);
  t.equal(outcome.result.segmentSeconds, 2);
  t.ok(Math.abs(outcome.result.durationSeconds - 12) < 0.5, 'its duration');

  const top = await probe(join(published, '1080p', 'index.m3u8'));
  t.match(top, [{ codec_name: 'h264', profile: 'High', width: 1920, height: 1080 }, { codec_name: 'aac' }], 'the copied rung keeps the source’s High profile, with its sound');
  for (const [name, width] of [['720p', 1280], ['480p', 854], ['360p', 640]] as const) {
    t.match(await probe(join(published, name, 'index.m3u8')), [{ codec_name: 'h264', width }, { codec_name: 'aac' }], `${name} is re-encoded, with sound`);
  }
  const playlist = readFileSync(join(published, '1080p', 'index.m3u8'), 'utf8');
  t.match(playlist, /#EXT-X-PLAYLIST-TYPE:VOD/);
  t.match(playlist, /#EXT-X-ENDLIST/);
  const segments = parseMediaPlaylist(playlist).segments;
  t.equal(segments.length, 6, 'six 2-second segments');
  t.ok(segments.every((s) => Math.abs(s.duration - 2) < 0.05), 'each of 2 seconds');

  const master = readFileSync(join(published, 'master.m3u8'), 'utf8');
  t.match(master, /RESOLUTION=1920x1080,CODECS="avc1\.640028,mp4a\.40\.2"/, 'the master names the copied rung’s real codec');
  t.equal(storage.landed.at(-1)?.key, 'clips/phone/master.m3u8', 'the master playlist is published last');
  const peak = Math.max(...segments.map((s) => (statSync(join(published, '1080p', s.uri)).size * 8) / s.duration));
  const bandwidth = Number(/BANDWIDTH=(\d+),AVERAGE-BANDWIDTH=\d+,RESOLUTION=1920x1080/.exec(master)?.[1]);
  t.ok(bandwidth >= peak, `the copied rung's BANDWIDTH (${bandwidth}) is at least its peak segment's rate (${Math.round(peak)})`);
  t.equal(outcome.result.renditions[0].bandwidth, bandwidth, 'the result says the same as the master');

  const poster = await probe(join(published, 'poster.jpg'));
  t.match(poster, [{ codec_name: 'mjpeg', width: 1280, height: 720 }], 'a poster at most 1280 wide');
  const vtt = readFileSync(join(published, 'thumbnails.vtt'), 'utf8');
  t.match(vtt, /^WEBVTT\n\n00:00:00.000 --> 00:00:10.000\nthumbs\/0001.jpg/);
  t.same(readdirSync(join(published, 'thumbs')).sort(), ['0001.jpg', '0002.jpg'], 'a thumbnail every 10 s');

  const percents = progress.map((p) => p.percent);
  t.ok(percents.every((p, i) => i === 0 || p >= percents[i - 1]), `progress never goes back: ${percents.join(' ')}`);
  t.equal(percents.at(-1), 100, 'and ends at 100');
  t.ok(percents.some((p) => p > 0 && p < 100), 'with steps between');
  t.notOk(existsSync(staging), 'the staging folder is gone');
});

t.test('an old camcorder’s 640x360 MPEG-4 becomes one re-encoded 360p rung', async (t) => {
  const source = await makeClipFile(files, { seconds: 6, width: 640, height: 360, codec: 'mpeg4', name: 'camcorder.mp4' });
  const { job, published } = startJob(t, 'camcorder', source);
  const outcome = await job.outcome;
  if (!outcome.ok) throw new Error(`the job failed: ${outcome.error.message.en}`);
  t.same(outcome.result.renditions.map((r) => [r.name, r.width, r.height, r.passthrough]), [['360p', 640, 360, false]]);
  t.match(await probe(join(published, '360p', 'index.m3u8')), [{ codec_name: 'h264', width: 640, height: 360 }, { codec_name: 'aac' }]);
  t.same(readdirSync(published).filter((f) => f.endsWith('p')), ['360p'], 'nothing upscaled');
});

t.test('a clip without sound gets rungs without sound', async (t) => {
  const source = await makeClipFile(files, { seconds: 4, width: 640, height: 360, audio: false, name: 'silent.mp4' });
  const { job, published } = startJob(t, 'silent', source);
  const outcome = await job.outcome;
  t.ok(outcome.ok);
  t.match(await probe(join(published, '360p', 'index.m3u8')), [{ codec_name: 'h264' }]);
  t.equal((await probe(join(published, '360p', 'index.m3u8'))).length, 1, 'one stream: the picture');
});

t.test('a job whose ffmpeg dies half-way fails with the reason and publishes nothing', async (t) => {
  const source = await makeClipFile(files, { seconds: 30, width: 1280, height: 720, name: 'long.mp4' });
  const { job, progress, published, staging } = startJob(t, 'dies', source);
  await until('the ladder is being encoded', () => progress.some((p) => p.percent > 5), 60_000);
  const [ffmpeg] = childFfmpegs();
  t.ok(ffmpeg, 'its ffmpeg runs');
  t.equal(ffmpeg.nice, 19, 'at the lowest CPU priority, below live transcodes');
  process.kill(ffmpeg.pid, 'SIGKILL');
  const outcome = await job.outcome;
  if (outcome.ok) throw new Error('the job succeeded');
  t.equal(outcome.error.code, 'VOD_FAILED');
  t.match(outcome.error.message.en, /the ladder: ffmpeg was killed \(SIGKILL\)/);
  t.match(outcome.error.message['zh-CN'], /视频转码失败/);
  t.notOk(existsSync(published), 'nothing under clips/<id>/');
  t.notOk(existsSync(staging), 'the staging folder is gone');
});

t.test('a cancelled job stops its ffmpeg and publishes nothing', async (t) => {
  const source = join(files, 'long.mp4');
  const { job, progress, published, staging } = startJob(t, 'cancelled', source);
  await until('the ladder is being encoded', () => progress.some((p) => p.percent > 5), 60_000);
  job.cancel();
  job.cancel();
  const outcome = await job.outcome;
  t.same(outcome, { ok: false, error: { code: 'VOD_CANCELLED', message: { 'zh-CN': '转码已取消', en: 'The transcode was cancelled' } } });
  t.same(childFfmpegs(), [], 'no ffmpeg left running');
  t.notOk(existsSync(published), 'nothing under clips/<id>/');
  t.notOk(existsSync(staging), 'the staging folder is gone');
});

t.test('a source that is not there fails with a reason', async (t) => {
  const { job } = startJob(t, 'missing', join(files, 'nowhere.mp4'));
  const outcome = await job.outcome;
  if (outcome.ok) throw new Error('the job succeeded');
  t.match(outcome.error.message.en, /the source could not be read.*No such file/);
});
