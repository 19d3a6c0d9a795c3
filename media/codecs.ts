// What every router on a media node speaks, which is exactly what the live transcoder takes. H.264 first:
// an H.264 source can pass through to the top rung without a re-encode. Constrained baseline (42e01f) is
// what browsers and x264's `baseline` send. VP8 for publishers without H.264: every rung is re-encoded.
import type { types } from 'mediasoup';
import type { SourceCodec } from './transcode/ladder.ts';

export const H264_PARAMETERS = { 'packetization-mode': 1, 'profile-level-id': '42e01f', 'level-asymmetry-allowed': 1 };

export const ROUTER_CODECS: types.RouterRtpCodecCapability[] = [
  { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 },
  { kind: 'video', mimeType: 'video/H264', clockRate: 90000, parameters: H264_PARAMETERS },
  { kind: 'video', mimeType: 'video/VP8', clockRate: 90000 },
];

/**
 * Exactly what a plain RTP receiver such as ffmpeg is given for one kind: the codec, no RTCP feedback
 * (transport-cc and REMB make the router send probation packets ffmpeg reports as lost) and no header
 * extensions (ffmpeg's RTP demuxer mishandles several).
 */
export function plainReceiverCapabilities(router: types.Router, mimeType: string): types.RtpCapabilities {
  const codec = router.rtpCapabilities.codecs?.find((c) => c.mimeType.toLowerCase() === mimeType.toLowerCase());
  if (!codec) throw new Error(`the router offers no ${mimeType}`);
  return { codecs: [{ ...codec, rtcpFeedback: [] }], headerExtensions: [] };
}

/** Every video codec of the router, by the ladder's name for it: the live transcoder decodes each of them. */
const SOURCE_CODECS: Readonly<Record<string, SourceCodec>> = { 'video/h264': 'h264', 'video/vp8': 'vp8' };

/** The ladder's name for a video mime type the live transcoder takes; undefined for any other. */
export const sourceCodecOf = (mimeType: string): SourceCodec | undefined => SOURCE_CODECS[mimeType.toLowerCase()];

/** What a video producer sends: its mime type (what its consumers are given) and the ladder's name for it. */
export function videoSourceCodec(rtpParameters: types.RtpParameters): { mimeType: string; codec: SourceCodec } {
  const mimeType = rtpParameters.codecs[0]?.mimeType ?? '';
  const codec = sourceCodecOf(mimeType);
  if (!codec) throw new Error(`the live transcoder takes no ${mimeType || 'codec-less'} video`);
  return { mimeType, codec };
}
