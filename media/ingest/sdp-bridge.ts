// The WHIP offer/answer exchange (RFC 9725 §4.2) in mediasoup's terms, as pure functions: an SDP offer
// becomes one producer per usable m-section, and the WebRtcTransport's ICE and DTLS parameters become an
// ICE-lite answer. One codec per section (H.264 with packetization-mode 1 in a profile the router has,
// else VP8; Opus for sound) plus its RTX, the offer's payload types and extmap ids kept. See
// ../shared/notes/whip-over-mediasoup.md for what Chromium and the whip-whep client send.
import sdpTransform, { type MediaDescription, type SessionDescription } from 'sdp-transform';
import type { types } from 'mediasoup';

export type WhipOfferProblem = 'WHIP_MALFORMED_SDP' | 'WHIP_NO_USABLE_CODEC';

/** An offer the bridge cannot answer; `code` is the API's error code. */
export class WhipOfferError extends Error {
  readonly code: WhipOfferProblem;

  constructor(code: WhipOfferProblem, message: string) {
    super(message);
    this.code = code;
  }
}

/** One offered m-section that becomes a producer. */
export interface ProducerPlan {
  readonly mid: string;
  readonly kind: types.MediaKind;
  readonly rtpParameters: types.RtpParameters;
  /** Simulcast layers by rid, low to high as offered; empty without simulcast. */
  readonly rids: readonly string[];
}

export interface OfferPlan {
  /** Offer order; at most one audio and one video. */
  readonly producers: readonly ProducerPlan[];
  /** The browser's DTLS role and certificates: what `transport.connect()` takes. */
  readonly dtlsParameters: types.DtlsParameters;
  /** What the answer says for each offered section, in offer order (rejected ones included). */
  readonly sections: readonly { mid: string; kind: string; protocol: string; payload: string; accepted: boolean }[];
}

/** What the answer needs from the WebRtcTransport. */
export interface AnswerTransport {
  readonly iceParameters: types.IceParameters;
  readonly iceCandidates: readonly types.IceCandidate[];
  readonly dtlsParameters: types.DtlsParameters;
}

const lower = (s: string) => s.toLowerCase();

/** RFC 6184 profile (profile_idc and constraint flags, the level ignored): a router accepts any level. */
function h264Matches(offered: types.RtpCodecParameters['parameters'], router: types.RtpCodecCapability['parameters']): boolean {
  const mode = (p: typeof offered) => Number(p?.['packetization-mode'] ?? 0);
  const profile = (p: typeof offered) => String(p?.['profile-level-id'] ?? '42001f').slice(0, 4).toLowerCase();
  return mode(offered) === mode(router) && profile(offered) === profile(router);
}

function routerCodecFor(codec: { mimeType: string; clockRate: number; channels?: number; parameters: Record<string, unknown> }, caps: types.RtpCapabilities) {
  return caps.codecs?.find((c) => {
    if (lower(c.mimeType) !== lower(codec.mimeType) || c.clockRate !== codec.clockRate) return false;
    if (c.kind === 'audio' && (c.channels ?? 1) !== (codec.channels ?? 1)) return false;
    if (lower(c.mimeType) === 'video/h264') return h264Matches(codec.parameters as types.RtpCodecParameters['parameters'], c.parameters);
    return true;
  });
}

interface OfferedCodec {
  payloadType: number;
  mimeType: string;
  clockRate: number;
  channels?: number;
  parameters: Record<string, string | number>;
  rtcpFeedback: types.RtcpFeedback[];
}

function offeredCodecs(media: MediaDescription): OfferedCodec[] {
  return media.rtp.map((rtp) => {
    const fmtp = media.fmtp.find((f) => f.payload === rtp.payload);
    const parameters = fmtp ? (sdpTransform.parseParams(fmtp.config) as Record<string, string | number>) : {};
    const rtcpFeedback = (media.rtcpFb ?? []).filter((fb) => String(fb.payload) === String(rtp.payload)).map((fb) => ({ type: fb.type, parameter: fb.subtype ?? '' }));
    return {
      payloadType: rtp.payload,
      mimeType: `${media.type}/${rtp.codec}`,
      clockRate: rtp.rate ?? 90000,
      ...(media.type === 'audio' ? { channels: Number(rtp.encoding ?? 1) } : {}),
      parameters,
      rtcpFeedback,
    };
  });
}

/** H.264 first (it can pass through to the top rung), then VP8; Opus for sound. */
const PREFERENCE: Record<string, readonly string[]> = { video: ['video/h264', 'video/vp8'], audio: ['audio/opus'] };

/** What the router takes of one kind, for the refusal: `H264 (profile 42e0, packetization-mode 1) or VP8`. */
function taken(kind: string, caps: types.RtpCapabilities): string {
  const codecs = (caps.codecs ?? []).filter((c) => c.kind === kind && !lower(c.mimeType).endsWith('/rtx'));
  const describe = (c: types.RtpCodecCapability) => {
    const name = c.mimeType.split('/')[1];
    if (lower(name) !== 'h264') return name;
    const profile = String(c.parameters?.['profile-level-id'] ?? '42001f').slice(0, 4);
    return `${name} (profile ${profile}, packetization-mode ${c.parameters?.['packetization-mode'] ?? 0})`;
  };
  return codecs.map(describe).join(' or ') || 'nothing';
}

function chooseCodec(media: MediaDescription, caps: types.RtpCapabilities): types.RtpCodecParameters[] | undefined {
  const offered = offeredCodecs(media);
  for (const wanted of PREFERENCE[media.type] ?? []) {
    for (const codec of offered) {
      if (lower(codec.mimeType) !== wanted) continue;
      const routerCodec = routerCodecFor(codec, caps);
      if (!routerCodec) continue;
      const rtcpFeedback = codec.rtcpFeedback.filter((fb) => routerCodec.rtcpFeedback?.some((r) => r.type === fb.type && (r.parameter ?? '') === fb.parameter));
      const main: types.RtpCodecParameters = { ...codec, rtcpFeedback };
      const rtx = offered.find((c) => lower(c.mimeType).endsWith('/rtx') && Number(c.parameters.apt) === codec.payloadType);
      return rtx ? [main, { mimeType: rtx.mimeType, payloadType: rtx.payloadType, clockRate: rtx.clockRate, parameters: { apt: codec.payloadType }, rtcpFeedback: [] }] : [main];
    }
  }
  return undefined;
}

function encodingsOf(media: MediaDescription): { encodings: types.RtpEncodingParameters[]; rids: string[] } {
  const rids = (media.rids ?? []).filter((r) => r.direction === 'send').map((r) => String(r.id));
  if (rids.length > 0) {
    const simulcast = media.simulcast?.dir1 === 'send' ? media.simulcast.list1 : media.simulcast?.dir2 === 'send' ? media.simulcast.list2 : undefined;
    const order = simulcast ? simulcast.split(';').map((alternatives) => alternatives.split(',')[0].replace(/^~/, '')) : rids;
    const known = order.filter((rid) => rids.includes(rid));
    return { encodings: known.map((rid) => ({ rid })), rids: known };
  }
  const fid = media.ssrcGroups?.find((g) => g.semantics === 'FID')?.ssrcs.split(' ').map(Number);
  if (fid && fid.length === 2) return { encodings: [{ ssrc: fid[0], rtx: { ssrc: fid[1] } }], rids: [] };
  const ssrc = media.ssrcs?.[0]?.id;
  // No SSRC announced (allowed with BUNDLE): mediasoup matches the stream by its MID header extension.
  return { encodings: [ssrc ? { ssrc: Number(ssrc) } : {}], rids: [] };
}

function headerExtensionsOf(media: MediaDescription, caps: types.RtpCapabilities): types.RtpHeaderExtensionParameters[] {
  return (media.ext ?? [])
    .filter((ext) => caps.headerExtensions?.some((h) => h.kind === media.type && h.uri === ext.uri && h.direction !== 'sendonly' && h.direction !== 'inactive'))
    .map((ext) => ({ uri: ext.uri as types.RtpHeaderExtensionUri, id: ext.value }));
}

function fingerprintsOf(session: SessionDescription): types.DtlsFingerprint[] {
  const all = [session.fingerprint, ...session.media.map((m) => m.fingerprint)].filter((f) => f !== undefined);
  const unique = new Map(all.map((f) => [`${lower(f.type)} ${f.hash}`, { algorithm: lower(f.type) as types.FingerprintAlgorithm, value: f.hash }]));
  return [...unique.values()];
}

function parse(sdp: string): SessionDescription {
  if (!/^v=0\r?\n/.test(sdp)) throw new WhipOfferError('WHIP_MALFORMED_SDP', 'An SDP offer starts with v=0');
  const session = sdpTransform.parse(sdp);
  if (!session.media?.length) throw new WhipOfferError('WHIP_MALFORMED_SDP', 'The offer has no media sections');
  for (const media of session.media) {
    if (media.mid === undefined) throw new WhipOfferError('WHIP_MALFORMED_SDP', `A ${media.type} section has no a=mid`);
    if (!(media.iceUfrag ?? session.iceUfrag) || !(media.icePwd ?? session.icePwd)) throw new WhipOfferError('WHIP_MALFORMED_SDP', 'The offer has no ICE credentials');
  }
  return session;
}

/** Reads an offer against the router's capabilities; throws WhipOfferError when it cannot be answered. */
export function planOffer(sdp: string, caps: types.RtpCapabilities): OfferPlan {
  const session = parse(sdp);
  const fingerprints = fingerprintsOf(session);
  if (fingerprints.length === 0) throw new WhipOfferError('WHIP_MALFORMED_SDP', 'The offer has no DTLS fingerprint');
  const setup = session.media.find((m) => m.setup)?.setup ?? session.setup ?? 'actpass';
  const producers: ProducerPlan[] = [];
  const sections: OfferPlan['sections'][number][] = [];
  const problems: string[] = [];
  for (const media of session.media) {
    const mid = String(media.mid);
    const base = { mid, kind: media.type, protocol: media.protocol, payload: String(media.payloads ?? '').split(' ')[0] };
    const usable = (media.type === 'audio' || media.type === 'video') && media.port !== 0 && media.direction !== 'recvonly' && media.direction !== 'inactive';
    if (!usable || producers.some((p) => p.kind === media.type)) {
      sections.push({ ...base, accepted: false });
      continue;
    }
    const codecs = chooseCodec(media, caps);
    if (!codecs) {
      problems.push(`${media.type}: offered ${[...new Set(media.rtp.map((r) => r.codec))].join(', ')}; Linbo takes ${taken(media.type, caps)}`);
      sections.push({ ...base, accepted: false });
      continue;
    }
    const { encodings, rids } = encodingsOf(media);
    const cname = media.ssrcs?.find((s) => s.attribute === 'cname')?.value;
    const rtpParameters: types.RtpParameters = {
      mid,
      codecs,
      headerExtensions: headerExtensionsOf(media, caps),
      encodings,
      rtcp: { ...(cname ? { cname } : {}), reducedSize: media.rtcpRsize !== undefined },
    };
    producers.push({ mid, kind: media.type as types.MediaKind, rtpParameters, rids });
    sections.push({ ...base, accepted: true });
  }
  if (!producers.some((p) => p.kind === 'video')) {
    throw new WhipOfferError('WHIP_NO_USABLE_CODEC', problems.find((p) => p.startsWith('video')) ?? 'The offer sends no video');
  }
  if (!producers.some((p) => p.kind === 'audio')) {
    throw new WhipOfferError('WHIP_NO_USABLE_CODEC', problems.find((p) => p.startsWith('audio')) ?? 'The offer sends no sound');
  }
  // The answer takes the other DTLS role (RFC 5763 §5); mediasoup's connect() is told the browser's.
  const role: types.DtlsRole = setup === 'passive' ? 'server' : 'client';
  return { producers, dtlsParameters: { role, fingerprints }, sections };
}

/** The ICE-lite answer: one codec (and its RTX) per accepted section, everything BUNDLEd over one transport. */
export function buildAnswer(plan: OfferPlan, transport: AnswerTransport): string {
  const fingerprint = transport.dtlsParameters.fingerprints.find((f) => f.algorithm === 'sha-256') ?? transport.dtlsParameters.fingerprints[0];
  const accepted = plan.sections.filter((s) => s.accepted).map((s) => s.mid);
  const media = plan.sections.map((section): MediaDescription => {
    const producer = plan.producers.find((p) => p.mid === section.mid);
    if (!producer) {
      return { type: section.kind, port: 0, protocol: section.protocol, payloads: section.payload, mid: section.mid, direction: 'inactive', rtp: [], fmtp: [] };
    }
    const { codecs, headerExtensions = [] } = producer.rtpParameters;
    return {
      type: producer.kind,
      port: 7,
      protocol: 'UDP/TLS/RTP/SAVPF',
      payloads: codecs.map((c) => c.payloadType).join(' '),
      connection: { version: 4, ip: '127.0.0.1' },
      mid: section.mid,
      direction: 'recvonly',
      iceUfrag: transport.iceParameters.usernameFragment,
      icePwd: transport.iceParameters.password,
      candidates: transport.iceCandidates.map((c) => ({
        foundation: c.foundation,
        component: 1,
        transport: c.protocol,
        priority: c.priority,
        ip: c.address,
        port: c.port,
        type: c.type,
        ...(c.tcpType ? { tcptype: c.tcpType } : {}),
      })),
      endOfCandidates: 'end-of-candidates',
      setup: plan.dtlsParameters.role === 'client' ? 'passive' : 'active',
      rtcpMux: 'rtcp-mux',
      rtcpRsize: 'rtcp-rsize',
      rtp: codecs.map((c) => ({ payload: c.payloadType, codec: c.mimeType.split('/')[1], rate: c.clockRate, ...(c.channels && c.channels > 1 ? { encoding: c.channels } : {}) })),
      fmtp: codecs
        .filter((c) => Object.keys(c.parameters ?? {}).length > 0)
        .map((c) => ({ payload: c.payloadType, config: Object.entries(c.parameters ?? {}).map(([k, v]) => `${k}=${v}`).join(';') })),
      rtcpFb: codecs.flatMap((c) => (c.rtcpFeedback ?? []).map((fb) => ({ payload: c.payloadType, type: fb.type, ...(fb.parameter ? { subtype: fb.parameter } : {}) }))),
      ext: headerExtensions.map((h) => ({ value: h.id, uri: h.uri })),
      ...(producer.rids.length > 0
        ? { rids: producer.rids.map((id) => ({ id, direction: 'recv' })), simulcast: { dir1: 'recv' as const, list1: producer.rids.join(';') } }
        : {}),
    };
  });
  const answer: SessionDescription = {
    version: 0,
    origin: { username: '-', sessionId: 1, sessionVersion: 1, netType: 'IN', ipVer: 4, address: '127.0.0.1' },
    name: '-',
    timing: { start: 0, stop: 0 },
    icelite: 'ice-lite',
    fingerprint: { type: fingerprint.algorithm, hash: fingerprint.value },
    groups: [{ type: 'BUNDLE', mids: accepted.join(' ') }],
    msidSemantic: { semantic: 'WMS', token: '*' },
    media,
  };
  return sdpTransform.write(answer);
}
