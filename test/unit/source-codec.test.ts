// The live transcoder takes the codec the publisher's producer really sends: from a Chromium WHIP offer
// through the bridge to the ladder and its ffmpeg command.
import { readFileSync } from 'node:fs';
import t from 'tap';
import type { types } from 'mediasoup';
import { sourceCodecOf, videoSourceCodec } from '../../media/codecs.ts';
import { planOffer } from '../../media/ingest/sdp-bridge.ts';
import { argv, buildLadderArgs } from '../../media/transcode/hls-args.ts';
import { planLadder } from '../../media/transcode/ladder.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/whip/${name}`, import.meta.url), 'utf8');
const caps = JSON.parse(fixture('router-capabilities.json')) as types.RtpCapabilities;
const chromiumOffer = fixture('chromium-offer.sdp');
/** The same offer from a browser without H.264 (Firefox without OpenH264): its H.264 lines renamed away. */
const vp8Offer = chromiumOffer.replace(/ H264\/90000/g, ' VP9/90000');

const videoProducer = (offer: string) => planOffer(offer, caps).producers.find((p) => p.kind === 'video')!.rtpParameters;

t.test('an H.264 producer is an h264 source, a VP8 one a vp8 source, with the mime type its consumers take', async (t) => {
  t.same(videoSourceCodec(videoProducer(chromiumOffer)), { mimeType: 'video/H264', codec: 'h264' });
  t.same(videoSourceCodec(videoProducer(vp8Offer)), { mimeType: 'video/VP8', codec: 'vp8' });
  t.equal(sourceCodecOf('video/vp8'), 'vp8', 'mime types compare without case');
  t.equal(sourceCodecOf('video/VP9'), undefined);
  t.throws(() => videoSourceCodec({ codecs: [{ mimeType: 'video/VP9', payloadType: 98, clockRate: 90000 }] }), /takes no video\/VP9 video/);
});

t.test("a VP8 publisher's ladder re-encodes every rung, with a keyframe every segment, and asks for a keyframe every 2 s to recover from a lost packet", async (t) => {
  const { codec } = videoSourceCodec(videoProducer(vp8Offer));
  const plan = planLadder({ width: 1280, height: 720, fps: 30, codec });
  t.same(plan.rungs.map((r) => [r.name, r.passthrough]), [['720p', false], ['480p', false], ['360p', false]]);
  t.equal(plan.keyframeRequestMs, 2000, 'no rung waits for the source’s keyframes, but a frozen VP8 decoder needs one');
  const args = argv(buildLadderArgs({ kind: 'rtp', sdpPath: '/work/b1/input.sdp' }, plan, '/work/b1'));
  t.notOk(args.includes('copy'), 'nothing is copied');
  t.same(args.filter((a, i) => args[i - 1]?.startsWith('-c:v:')), ['libx264', 'libx264', 'libx264'], 'every rung is an H.264 encode');
  t.same(args.filter((a, i) => args[i - 1]?.startsWith('-force_key_frames:v:')), Array(3).fill('expr:gte(t,n_forced*1)'));
});

t.test("an H.264 publisher's top rung is copied and the producer asked for a keyframe every segment", async (t) => {
  const { codec } = videoSourceCodec(videoProducer(chromiumOffer));
  const plan = planLadder({ width: 1280, height: 720, fps: 30, codec });
  t.ok(plan.rungs[0].passthrough);
  t.equal(plan.keyframeRequestMs, 1000);
});
