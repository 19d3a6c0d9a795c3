// The size a feed settles at, read by the media node from its keyframes as they cross a real router:
// ffmpeg sends H.264 or VP8 RTP into a comedia PlainTransport, as a plain-RTP sender does.
// Run alone: MEDIASOUP_WORKER_BIN=$(node scripts/mediasoup.mjs) node node_modules/.bin/tap <this file>
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import t, { type Test } from 'tap';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import { H264_PARAMETERS, ROUTER_CODECS } from '../../media/codecs.ts';
import { settleFeedSize } from '../../media/ingest/feed-size.ts';
import { until } from '../helpers/until.ts';

const SSRC = 33_333_333;
const ENCODERS = {
  'video/H264': { payloadType: 102, parameters: H264_PARAMETERS, args: ['-c:v', 'libx264', '-profile:v', 'baseline', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'] },
  'video/VP8': { payloadType: 96, parameters: {}, args: ['-c:v', 'libvpx', '-deadline', 'realtime', '-b:v', '1M'] },
} as const;

const worker = await mediasoup.createWorker({ logLevel: 'warn', workerBin: process.env.MEDIASOUP_WORKER_BIN });
t.teardown(() => worker.close());

/** A producer fed by ffmpeg's test pattern at `size` in `mimeType`, three keyframes a second. */
async function feed(t: Test, mimeType: keyof typeof ENCODERS, size: string): Promise<{ router: types.Router; producer: types.Producer }> {
  const router = await worker.createRouter({ mediaCodecs: ROUTER_CODECS });
  t.teardown(() => router.close());
  const ingest = await router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, rtcpMux: false, comedia: true });
  const { payloadType, parameters, args } = ENCODERS[mimeType];
  const producer = await ingest.produce({ kind: 'video', rtpParameters: { codecs: [{ mimeType, payloadType, clockRate: 90000, parameters }], encodings: [{ ssrc: SSRC }] } });
  const target = `rtp://127.0.0.1:${ingest.tuple.localPort}?rtcpport=${ingest.rtcpTuple?.localPort}&pkt_size=1200`;
  const ffmpeg = spawn(
    'ffmpeg',
    ['-hide_banner', '-loglevel', 'error', '-re', '-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=30`, ...args, '-g', '10', '-f', 'rtp', '-payload_type', String(payloadType), '-ssrc', String(SSRC), target],
    { stdio: 'ignore' },
  );
  t.teardown(async () => {
    if (ffmpeg.exitCode !== null || ffmpeg.signalCode !== null) return;
    const exited = once(ffmpeg, 'exit');
    ffmpeg.kill('SIGKILL');
    await exited;
  });
  await until('ffmpeg reaches the producer', async () => (await producer.getStats()).some((s) => s.packetCount > 0), 10_000);
  return { router, producer };
}

for (const mimeType of ['video/H264', 'video/VP8'] as const) {
  t.test(`${mimeType} at the declared size: the watch ends at its first keyframe, however long the window`, async (t) => {
    const { router, producer } = await feed(t, mimeType, '640x360');
    const settled = await settleFeedSize(router, producer, { declared: { width: 640, height: 360 }, windowMs: 600_000, keyframeRequestMs: 1_000 });
    t.same(settled, { size: { width: 640, height: 360 }, seen: [{ width: 640, height: 360 }] });
  });

  t.test(`${mimeType} not at the declared size: watched for the window, planned from what it sends`, async (t) => {
    const { router, producer } = await feed(t, mimeType, '854x480');
    const settled = await settleFeedSize(router, producer, { declared: { width: 1280, height: 720 }, windowMs: 8_000, keyframeRequestMs: 1_000 });
    t.same(settled, { size: { width: 854, height: 480 }, seen: [{ width: 854, height: 480 }] });
  });
}

t.test('a producer that sends no keyframe in the window settles at nothing', async (t) => {
  const router = await worker.createRouter({ mediaCodecs: ROUTER_CODECS });
  t.teardown(() => router.close());
  const silent = await router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, comedia: true });
  const producer = await silent.produce({ kind: 'video', rtpParameters: { codecs: [{ mimeType: 'video/VP8', payloadType: 96, clockRate: 90000 }], encodings: [{ ssrc: SSRC }] } });
  t.same(await settleFeedSize(router, producer, { windowMs: 1_000, keyframeRequestMs: 300 }), { size: undefined, seen: [] });
});
