// The mediasoup worker as scripts/mediasoup.mjs builds it (Debian's libraries, libsrtp 2 behind the
// libsrtp 3 shim, the standard containers standing in for unordered_dense): it starts, talks to the
// Node side, forwards H.264 RTP from ffmpeg, and encrypts and decrypts SRTP with every crypto suite.
// Run alone: MEDIASOUP_WORKER_BIN=$(node scripts/mediasoup.mjs) node node_modules/.bin/tap <this file>
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import t, { type Test } from 'tap';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import { until } from '../helpers/until.ts';

const LOCAL: types.TransportListenInfo = { protocol: 'udp', ip: '127.0.0.1' };
const H264_PARAMETERS = { 'packetization-mode': 1, 'profile-level-id': '42e01f', 'level-asymmetry-allowed': 1 };
const MEDIA_CODECS: types.RouterRtpCodecCapability[] = [
  { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 },
  { kind: 'video', mimeType: 'video/VP8', clockRate: 90000 },
  { kind: 'video', mimeType: 'video/H264', clockRate: 90000, parameters: H264_PARAMETERS },
];
const FFMPEG_SSRC = 22_222_222;
const ENOUGH = 30;

async function startRouter(t: Test): Promise<types.Router> {
  const workerBin = process.env.MEDIASOUP_WORKER_BIN;
  if (!workerBin) throw new Error('MEDIASOUP_WORKER_BIN is not set: npm test sets it; alone, use $(node scripts/mediasoup.mjs)');
  const worker = await mediasoup.createWorker({ logLevel: 'warn', workerBin });
  t.teardown(() => worker.close());
  return worker.createRouter({ mediaCodecs: MEDIA_CODECS });
}

/** ffmpeg's test pattern as H.264 RTP into a comedia PlainTransport, and the producer it feeds. */
async function producerFromFfmpeg(t: Test, router: types.Router): Promise<types.Producer> {
  // ffmpeg sends RTCP from a port of its own; with rtcpMux a comedia transport would latch onto that one.
  const ingest = await router.createPlainTransport({ listenInfo: LOCAL, rtcpMux: false, comedia: true });
  const producer = await ingest.produce({
    kind: 'video',
    rtpParameters: {
      codecs: [{ mimeType: 'video/H264', payloadType: 102, clockRate: 90000, parameters: H264_PARAMETERS }],
      encodings: [{ ssrc: FFMPEG_SSRC }],
    },
  });
  const target = `rtp://127.0.0.1:${ingest.tuple.localPort}?rtcpport=${ingest.rtcpTuple?.localPort}&pkt_size=1200`;
  const ffmpeg = spawn(
    'ffmpeg',
    [
      '-hide_banner', '-loglevel', 'error', '-re', '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=30', '-an',
      '-c:v', 'libx264', '-profile:v', 'baseline', '-preset', 'ultrafast', '-tune', 'zerolatency', '-pix_fmt', 'yuv420p',
      '-g', '30', '-f', 'rtp', '-payload_type', '102', '-ssrc', String(FFMPEG_SSRC), target,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let said = '';
  ffmpeg.stderr.on('data', (chunk) => (said += chunk));
  ffmpeg.once('exit', (code) => {
    if (code !== null) said += `\n(ffmpeg exited with ${code})`;
  });
  t.teardown(async () => {
    if (ffmpeg.exitCode !== null || ffmpeg.signalCode !== null) return;
    const exited = once(ffmpeg, 'exit');
    ffmpeg.kill('SIGKILL');
    await exited;
  });
  await until('ffmpeg RTP reaches the producer', async () => {
    if (ffmpeg.exitCode !== null) throw new Error(`ffmpeg stopped: ${said}`);
    return (await packetCount(producer, 'inbound-rtp')) > 0;
  });
  return producer;
}

/** Exactly what a plain RTP receiver such as ffmpeg is given: H.264, no feedback, no header extensions. */
function h264Only(router: types.Router): types.RtpCapabilities {
  const h264 = router.rtpCapabilities.codecs?.find((c) => c.mimeType === 'video/H264');
  if (!h264) throw new Error('the router offers no H.264');
  return { codecs: [{ ...h264, rtcpFeedback: [] }], headerExtensions: [] };
}

/** Consumes `producer` on a second PlainTransport into a UDP socket that counts the consumer's RTP. */
async function consumeIntoSocket(t: Test, router: types.Router, producer: types.Producer) {
  const socket = createSocket('udp4');
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  t.teardown(() => socket.close());
  const egress = await router.createPlainTransport({ listenInfo: LOCAL });
  await egress.connect({ ip: '127.0.0.1', port: socket.address().port });
  const consumer = await egress.consume({ producerId: producer.id, rtpCapabilities: h264Only(router) });
  const payloadType = consumer.rtpParameters.codecs[0].payloadType;
  const ssrc = consumer.rtpParameters.encodings?.[0].ssrc;
  let received = 0;
  socket.on('message', (packet) => {
    if (packet.length > 12 && (packet[1] & 0x7f) === payloadType && packet.readUInt32BE(8) === ssrc) received++;
  });
  return { consumer, received: () => received };
}

async function packetCount(entity: { getStats(): Promise<{ type: string; packetCount: number }[]> }, type: string): Promise<number> {
  return (await entity.getStats()).find((s) => s.type === type)?.packetCount ?? 0;
}

t.test('the worker built from npm sources starts, answers the Node side and routes H.264, VP8 and Opus', async (t) => {
  const router = await startRouter(t);
  const mimeTypes = (router.rtpCapabilities.codecs ?? []).map((c) => c.mimeType).filter((m) => m !== 'video/rtx');
  t.same(mimeTypes.sort(), ['audio/opus', 'video/H264', 'video/VP8']);
  const transport = await router.createPlainTransport({ listenInfo: LOCAL });
  const dump = await transport.dump();
  t.equal(dump.id, transport.id, 'a FlatBuffers request and response cross between flatbuffers 25 in Node and 2.0.8 in the worker');
  t.ok(transport.tuple.localPort > 0, 'the transport listens on a UDP port');
});

t.test('H.264 RTP from ffmpeg into a PlainTransport reaches a consumer on a second PlainTransport', async (t) => {
  const router = await startRouter(t);
  const producer = await producerFromFfmpeg(t, router);
  const { consumer, received } = await consumeIntoSocket(t, router, producer);
  await until(`more than ${ENOUGH} RTP packets reach the consumer's socket`, () => received() > ENOUGH);
  t.ok((await packetCount(producer, 'inbound-rtp')) > ENOUGH, 'the producer counted the packets ffmpeg sent');
  t.ok((await packetCount(consumer, 'outbound-rtp')) > ENOUGH, 'the consumer counted the packets it sent');
  t.ok(received() > ENOUGH, `the socket received ${received()} RTP packets with the consumer's SSRC and payload type`);
});

const SUITES: types.SrtpCryptoSuite[] = ['AEAD_AES_256_GCM', 'AEAD_AES_128_GCM', 'AES_CM_128_HMAC_SHA1_80', 'AES_CM_128_HMAC_SHA1_32'];
for (const suite of SUITES) {
  t.test(`H.264 crosses an SRTP hop encrypted with ${suite} (libsrtp 2 behind the libsrtp 3 shim)`, async (t) => {
    const router = await startRouter(t);
    const producer = await producerFromFfmpeg(t, router);
    // One transport encrypts what a consumer sends; its peer decrypts it and feeds a second producer.
    const sending = await router.createPlainTransport({ listenInfo: LOCAL, enableSrtp: true, srtpCryptoSuite: suite });
    const receiving = await router.createPlainTransport({ listenInfo: LOCAL, enableSrtp: true, srtpCryptoSuite: suite });
    if (!sending.srtpParameters || !receiving.srtpParameters) throw new Error('SRTP transports without SRTP parameters');
    await sending.connect({ ip: '127.0.0.1', port: receiving.tuple.localPort, srtpParameters: receiving.srtpParameters });
    await receiving.connect({ ip: '127.0.0.1', port: sending.tuple.localPort, srtpParameters: sending.srtpParameters });
    const hop = await sending.consume({ producerId: producer.id, rtpCapabilities: h264Only(router) });
    const relayed = await receiving.produce({ kind: 'video', rtpParameters: hop.rtpParameters });
    const { received } = await consumeIntoSocket(t, router, relayed);
    await until(`more than ${ENOUGH} decrypted packets come out of the SRTP hop`, () => received() > ENOUGH);
    t.ok((await packetCount(hop, 'outbound-rtp')) > ENOUGH, 'the sending side encrypted and sent the packets');
    t.ok((await packetCount(relayed, 'inbound-rtp')) > ENOUGH, 'the receiving side decrypted them');
    t.ok(received() > ENOUGH, `${received()} packets went on in the clear`);
  });
}
