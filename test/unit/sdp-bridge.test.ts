import { readFileSync } from 'node:fs';
import t from 'tap';
import sdpTransform from 'sdp-transform';
import type { types } from 'mediasoup';
import { buildAnswer, planOffer, WhipOfferError, type AnswerTransport } from '../../media/ingest/sdp-bridge.ts';
import { ROUTER_CODECS } from '../../media/codecs.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/whip/${name}`, import.meta.url), 'utf8');
/** A real router's rtpCapabilities for media/codecs.ts's ROUTER_CODECS (Opus, H.264 42e01f, VP8). */
const caps = JSON.parse(fixture('router-capabilities.json')) as types.RtpCapabilities;
/** What Debian Chromium offers for a camera and a microphone, VP8 listed first. */
const chromiumOffer = fixture('chromium-offer.sdp');

const transport: AnswerTransport = {
  iceParameters: { usernameFragment: 'ufragX', password: 'pwdY', iceLite: true },
  iceCandidates: [
    { foundation: 'udpcandidate', priority: 1076302079, ip: '127.0.0.1', address: '127.0.0.1', protocol: 'udp', port: 40000, type: 'host' },
    { foundation: 'tcpcandidate', priority: 1076276479, ip: '127.0.0.1', address: '127.0.0.1', protocol: 'tcp', port: 40001, type: 'host', tcpType: 'passive' },
  ],
  dtlsParameters: { role: 'auto', fingerprints: [{ algorithm: 'sha-256', value: 'AB:CD:EF' }] },
};

/** The offer with its video section keeping only the codecs whose name passes `keep` (and their RTX). */
function withVideoCodecs(sdp: string, keep: (codec: string) => boolean): string {
  const session = sdpTransform.parse(sdp);
  const video = session.media.find((m) => m.type === 'video')!;
  const main = video.rtp.filter((r) => keep(r.codec)).map((r) => r.payload);
  const rtx = video.fmtp.filter((f) => main.some((pt) => f.config === `apt=${pt}`)).map((f) => f.payload);
  const kept = new Set([...main, ...rtx]);
  video.rtp = video.rtp.filter((r) => kept.has(r.payload));
  video.fmtp = video.fmtp.filter((f) => kept.has(f.payload));
  video.rtcpFb = video.rtcpFb?.filter((f) => kept.has(Number(f.payload)));
  video.payloads = [...kept].join(' ');
  return sdpTransform.write(session);
}

t.test('the router fixture is the one media/codecs.ts asks for', async (t) => {
  t.same(
    caps.codecs?.filter((c) => !c.mimeType.endsWith('/rtx')).map((c) => c.mimeType),
    ROUTER_CODECS.map((c) => c.mimeType),
  );
});

t.test("a Chromium offer becomes an Opus producer and an H.264 producer (the router's profile, not the first H.264 offered) with the offer's payload types, RTX and SSRCs", async (t) => {
  const plan = planOffer(chromiumOffer, caps);
  t.same(plan.producers.map((p) => [p.mid, p.kind]), [['0', 'audio'], ['1', 'video']]);
  const [audio, video] = plan.producers;
  t.match(audio.rtpParameters.codecs, [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2 }]);
  t.equal(audio.rtpParameters.codecs.length, 1);
  t.match(video.rtpParameters.codecs, [
    { mimeType: 'video/H264', payloadType: 108, parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f' } },
    { mimeType: 'video/rtx', payloadType: 109, parameters: { apt: 108 } },
  ]);
  const fid = chromiumOffer.match(/a=ssrc-group:FID (\d+) (\d+)/)!;
  t.same(video.rtpParameters.encodings, [{ ssrc: Number(fid[1]), rtx: { ssrc: Number(fid[2]) } }]);
  t.same(video.rtpParameters.rtcp, { cname: chromiumOffer.match(/a=ssrc:\d+ cname:(\S+)/)![1], reducedSize: true });
  t.same(
    video.rtpParameters.codecs[0].rtcpFeedback?.map((fb) => `${fb.type} ${fb.parameter}`.trim()).sort(),
    ['ccm fir', 'goog-remb', 'nack', 'nack pli', 'transport-cc'],
  );
});

t.test("header extensions keep the offer's ids, and only those the router supports", async (t) => {
  const [audio, video] = planOffer(chromiumOffer, caps).producers;
  t.ok(audio.rtpParameters.headerExtensions?.some((h) => h.uri === 'urn:ietf:params:rtp-hdrext:sdes:mid' && h.id === 4));
  t.ok(video.rtpParameters.headerExtensions?.some((h) => h.uri === 'urn:ietf:params:rtp-hdrext:toffset' && h.id === 14));
  t.notOk(video.rtpParameters.headerExtensions?.some((h) => h.uri.includes('video-content-type')), 'Chromium offers video-content-type; the router does not take it');
});

t.test('the browser offers actpass, so mediasoup connects as the DTLS server to a client browser with its fingerprint', async (t) => {
  const plan = planOffer(chromiumOffer, caps);
  const offered = chromiumOffer.match(/a=fingerprint:sha-256 (\S+)/)![1];
  t.same(plan.dtlsParameters, { role: 'client', fingerprints: [{ algorithm: 'sha-256', value: offered }] });
});

t.test('the answer is ICE-lite, BUNDLEs both sections, is passive, and lists one codec with its RTX, candidates and fingerprint', async (t) => {
  const answer = buildAnswer(planOffer(chromiumOffer, caps), transport);
  const lines = answer.split('\r\n');
  for (const line of [
    'a=ice-lite',
    'a=group:BUNDLE 0 1',
    'a=fingerprint:sha-256 AB:CD:EF',
    'm=audio 7 UDP/TLS/RTP/SAVPF 111',
    'm=video 7 UDP/TLS/RTP/SAVPF 108 109',
    'a=rtpmap:108 H264/90000',
    'a=fmtp:109 apt=108',
    'a=setup:passive',
    'a=rtcp-mux',
    'a=rtcp-rsize',
    'a=recvonly',
    'a=ice-ufrag:ufragX',
    'a=ice-pwd:pwdY',
    'a=candidate:udpcandidate 1 udp 1076302079 127.0.0.1 40000 typ host',
    'a=candidate:tcpcandidate 1 tcp 1076276479 127.0.0.1 40001 typ host tcptype passive',
  ]) {
    t.ok(lines.includes(line), line);
  }
  t.notOk(lines.some((l) => /^a=rtpmap:(96|102|104) /.test(l)), 'no second video codec');
  const parsed = sdpTransform.parse(answer);
  t.same(parsed.media.map((m) => m.mid), ['0', '1'], 'sections in offer order');
});

t.test('a simulcast offer (rids, no SSRCs) becomes one encoding per rid, low to high, and the answer receives them', async (t) => {
  const plan = planOffer(fixture('chromium-simulcast-offer.sdp'), caps);
  const video = plan.producers.find((p) => p.kind === 'video')!;
  t.same(video.rtpParameters.encodings, [{ rid: 'q' }, { rid: 'h' }, { rid: 'f' }]);
  const answer = buildAnswer(plan, transport);
  t.match(answer, /a=rid:q recv\r\na=rid:h recv\r\na=rid:f recv\r\n/);
  t.match(answer, /a=simulcast:recv q;h;f\r\n/);
});

t.test('a VP8-only offer becomes a VP8 producer with its RTX', async (t) => {
  const plan = planOffer(withVideoCodecs(chromiumOffer, (c) => c === 'VP8' || c === 'rtx'), caps);
  const video = plan.producers.find((p) => p.kind === 'video')!;
  t.match(video.rtpParameters.codecs, [{ mimeType: 'video/VP8', payloadType: 96 }, { mimeType: 'video/rtx', parameters: { apt: 96 } }]);
});

t.test('an offer of only H.264 profiles the router lacks (baseline, main, mode 0) and VP9/AV1 names the problem: WHIP_NO_USABLE_CODEC', async (t) => {
  const offer = withVideoCodecs(chromiumOffer, (c) => c !== 'VP8').replace(/profile-level-id=42e01f/g, 'profile-level-id=4d001f');
  const error = t.throws(() => planOffer(offer, caps)) as WhipOfferError;
  t.ok(error instanceof WhipOfferError);
  t.equal(error.code, 'WHIP_NO_USABLE_CODEC');
  t.match(error.message, /video: offered .*H264.*; Linbo takes H264 \(profile 42e0, packetization-mode 1\) or VP8$/);
});

t.test('an offer without sound is refused with WHIP_NO_USABLE_CODEC (the transcoder needs both tracks)', async (t) => {
  const session = sdpTransform.parse(chromiumOffer);
  session.media = session.media.filter((m) => m.type === 'video');
  session.groups = [{ type: 'BUNDLE', mids: '1' }];
  const error = t.throws(() => planOffer(sdpTransform.write(session), caps)) as WhipOfferError;
  t.equal(error.code, 'WHIP_NO_USABLE_CODEC');
});

t.test('text that is not an SDP offer, or one without ICE credentials or fingerprint, is WHIP_MALFORMED_SDP', async (t) => {
  for (const offer of ['hello', '', 'v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n', chromiumOffer.replace(/a=ice-ufrag:.*\r\n/g, ''), chromiumOffer.replace(/a=fingerprint:.*\r\n/g, '')]) {
    const error = t.throws(() => planOffer(offer, caps)) as WhipOfferError;
    t.equal(error.code, 'WHIP_MALFORMED_SDP', JSON.stringify(offer.slice(0, 20)));
  }
});
