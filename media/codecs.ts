// What every router on a media node speaks. H.264 first: an H.264 source can pass through to the top
// rung without a re-encode. Constrained baseline (42e01f) is what browsers and x264's `baseline` send.
import type { types } from 'mediasoup';

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
