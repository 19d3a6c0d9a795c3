// The live ladder fed over RTP the way mediasoup's PlainTransport consumers feed it: an SDP file, the
// ports ffmpeg binds before any packet comes, and a real RTP sender (ffmpeg at its own pace).
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { startFfmpeg, type FfmpegExit } from '../../media/ffmpeg/runner.ts';
import { renditionCodecs } from '../../media/publish/init-segment.ts';
import { argv, buildLadderArgs, renditionPlaylist } from '../../media/transcode/hls-args.ts';
import { planLadder, type LadderPlan } from '../../media/transcode/ladder.ts';
import { buildSdp } from '../../media/transcode/sdp.ts';
import { udpPortsBound } from '../../media/transcode/udp-ports.ts';
import { decodeSegment, freeRtpPort, makeFeed, makeResolutionChangeFeed, parseMediaPlaylist, tempDir, type Frame } from '../helpers/media.ts';
import { until } from '../helpers/until.ts';

interface Teardown {
  teardown(fn: () => unknown): void;
}

const VIDEO_PT = 102;
const AUDIO_PT = 111;

/** Sends `feed` as a WebRTC sender would, ffmpeg reading it at its own pace: H.264 and Opus, one port each. */
async function sendRtp(feed: string, videoPort: number, audioPort: number): Promise<void> {
  const sender = spawn('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-re', '-i', feed,
    '-map', '0:v', '-c', 'copy', '-payload_type', String(VIDEO_PT), '-f', 'rtp', `rtp://127.0.0.1:${videoPort}`,
    '-map', '0:a', '-c', 'copy', '-payload_type', String(AUDIO_PT), '-f', 'rtp', `rtp://127.0.0.1:${audioPort}`,
  ], { stdio: ['ignore', 'ignore', 'inherit'] });
  const code = await new Promise((resolve) => sender.once('exit', resolve));
  if (code !== 0) throw new Error(`the RTP sender failed (exit ${code})`);
}

/** The ladder over RTP from `feed`, stopped once the sender is done; each rung's frames, segment by segment. */
async function ladderOverRtp(t: Teardown, feed: string, plan: LadderPlan) {
  const dir = tempDir(t, 'rtp-ladder');
  const [videoPort, audioPort] = [await freeRtpPort(), await freeRtpPort()];
  const sdpPath = join(dir, 'stream.sdp');
  writeFileSync(sdpPath, buildSdp({
    ip: '127.0.0.1',
    video: { port: videoPort, payloadType: VIDEO_PT, codec: 'H264', clockRate: 90000, parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f' } },
    audio: { port: audioPort, payloadType: AUDIO_PT, codec: 'opus', clockRate: 48000, channels: 2 },
  }));
  const out = join(dir, 'hls');
  const ffmpeg = startFfmpeg(argv(buildLadderArgs({ kind: 'rtp', sdpPath }, plan, out)));
  t.teardown(() => ffmpeg.stop());
  await until('ffmpeg binds the RTP and RTCP ports of the SDP', () => udpPortsBound([videoPort, videoPort + 1, audioPort, audioPort + 1]));
  await sendRtp(feed, videoPort, audioPort);
  const exit: FfmpegExit = await ffmpeg.stop();
  const frames = new Map<string, Frame[][]>();
  for (const rung of plan.rungs) {
    const playlist = parseMediaPlaylist(readFileSync(join(out, renditionPlaylist(rung.name)), 'utf8'));
    const segments = await Promise.all(playlist.segments.map((s) => decodeSegment(join(out, rung.name, playlist.init!), join(out, rung.name, s.uri))));
    frames.set(rung.name, segments);
  }
  return { exit, frames, codecs: await renditionCodecs(out, plan) };
}

const plan = planLadder({ width: 1280, height: 720, fps: 30, codec: 'h264' });

t.test('RTP described by the SDP becomes the ladder: every segment decodes from a keyframe at its rung’s size', async (t) => {
  const feed = await makeFeed(tempDir(t, 'rtp-feed'), { seconds: 4, style: 'webrtc' });
  const { exit, frames, codecs } = await ladderOverRtp(t, feed, plan);
  t.ok(exit.stopped, 'stopped on request');
  t.notMatch(exit.stderrTail, /non-monotonic|Non-monotonous/i, 'time stamps only move forward');
  for (const rung of plan.rungs) {
    const segments = frames.get(rung.name)!;
    t.ok(segments.length >= 3, `${rung.name}: ${segments.length} segments`);
    for (const [i, segment] of segments.entries()) {
      t.ok(segment.length > 0 && segment[0].key, `${rung.name} segment ${i} starts on a keyframe`);
      t.ok(segment.every((f) => f.width === rung.width && f.height === rung.height), `${rung.name} segment ${i} is ${rung.width}x${rung.height}`);
    }
  }
  t.same(codecs['720p'], ['avc1.42c01f', 'mp4a.40.2'], 'the copied rung is the sender’s constrained baseline, as its init section says, with its sound');
  for (const rung of plan.rungs) t.equal(codecs[rung.name]?.at(-1), 'mp4a.40.2', `${rung.name}: Opus in, AAC out, inside the rung`);
});

t.test('a sender that drops to 640x360 mid-stream: the copied rung follows and decodes, the others keep their size', async (t) => {
  const feed = await makeResolutionChangeFeed(tempDir(t, 'rtp-switch'), 2);
  const { frames } = await ladderOverRtp(t, feed, plan);
  const copied = frames.get('720p')!.flat();
  t.ok(copied.some((f) => f.width === 1280) && copied.some((f) => f.width === 640), 'the copied rung carries both sizes');
  t.equal(copied.at(-1)!.width, 640, 'and ends at the new one');
  for (const name of ['480p', '360p']) {
    const rung = plan.rungs.find((r) => r.name === name)!;
    t.ok(frames.get(name)!.flat().every((f) => f.width === rung.width && f.height === rung.height), `${name} stays ${rung.width}x${rung.height}`);
  }
});
