// The SDP file that tells ffmpeg where mediasoup's PlainTransport consumers send RTP (RFC 8866 syntax,
// RFC 6184 for H.264, RFC 7741 for VP8, RFC 7587 for Opus). ffmpeg binds these ports when it opens it,
// and each port + 1 for RTCP: ffmpeg 5.1 ignores `a=rtcp`, so the consumers' RTCP goes to port + 1.

/** One consumer's track; the shape of server/contracts/media.ts's RtpTrack fits. */
export interface SdpTrack {
  /** Where ffmpeg listens for RTP (even, RFC 3550 §11); it takes `port + 1` for RTCP. */
  readonly port: number;
  readonly payloadType: number;
  /** RTP encoding name as mediasoup spells it after the slash: `H264`, `VP8`, `opus`. */
  readonly codec: string;
  readonly clockRate: number;
  readonly channels?: number;
  /** Format parameters, e.g. H.264's `packetization-mode` and `profile-level-id`. */
  readonly parameters?: Readonly<Record<string, string | number>>;
}

export interface SdpDescription {
  /** The address ffmpeg listens on. */
  readonly ip: string;
  readonly video: SdpTrack;
  readonly audio?: SdpTrack;
}

function media(kind: 'video' | 'audio', track: SdpTrack): string[] {
  const encoding = [track.codec, track.clockRate, ...(track.channels && track.channels > 1 ? [track.channels] : [])].join('/');
  const fmtp = Object.entries(track.parameters ?? {}).map(([k, v]) => `${k}=${v}`);
  return [
    `m=${kind} ${track.port} RTP/AVP ${track.payloadType}`,
    `a=rtpmap:${track.payloadType} ${encoding}`,
    ...(fmtp.length ? [`a=fmtp:${track.payloadType} ${fmtp.join(';')}`] : []),
  ];
}

export function buildSdp(description: SdpDescription): string {
  const family = description.ip.includes(':') ? 'IP6' : 'IP4';
  const lines = [
    'v=0',
    `o=- 0 0 IN ${family} ${description.ip}`,
    's=linbo',
    `c=IN ${family} ${description.ip}`,
    't=0 0',
    ...media('video', description.video),
    ...(description.audio ? media('audio', description.audio) : []),
  ];
  return `${lines.join('\r\n')}\r\n`;
}
