// The demo's synthetic feed as data: a test pattern with a burnt-in clock and a label, and a tone, sent
// to a plain-RTP ingest exactly as its contract asks (H.264 constrained baseline and Opus, the given
// payload types and SSRCs, RTCP on its own port, a keyframe every second).
import type { RtpIngest, RtpTrack } from '../../server/contracts/media.ts';

/** Debian's fonts-noto-cjk, installed by the setup: the label is Chinese. */
export const DEMO_FONT = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';
export const DEMO_LABEL = '邻播 Linbo 测试信号';

/** The sender's own ports: a restarted ffmpeg sends from the same ones, which the ingest has latched onto. */
export interface DemoLocalPorts {
  readonly videoRtp: number;
  readonly videoRtcp: number;
  readonly audioRtp: number;
  readonly audioRtcp: number;
}

export interface DemoFeedOptions {
  readonly target: RtpIngest;
  readonly localPorts: DemoLocalPorts;
  readonly width: number;
  readonly height: number;
  readonly fps: number;
  /** Seconds since local midnight when ffmpeg starts: the clock is this plus the frame's time. */
  readonly clockOffsetSeconds: number;
  readonly fontFile?: string;
}

const box = 'fontcolor=white:box=1:boxcolor=black@0.6';

const rtpUrl = (ip: string, track: RtpTrack, localRtp: number, localRtcp: number) =>
  `rtp://${ip}:${track.port}?rtcpport=${track.rtcpPort}&localrtpport=${localRtp}&localrtcpport=${localRtcp}&pkt_size=1200`;

/** ffmpeg's argv (after the runner's own options) for the demo feed. */
export function demoFeedArgs(options: DemoFeedOptions): string[] {
  const { target, localPorts: local, width, height, fps } = options;
  const font = options.fontFile ?? DEMO_FONT;
  const gop = String(Math.max(1, Math.round(fps)));
  // drawtext's own strftime clock has no milliseconds; `pts:hms` with an offset does, and -re keeps the
  // frame's time on the wall clock. Quotes keep the colons from the filter-option parser.
  const clock = `drawtext=fontfile=${font}:text='%{pts\\:hms\\:${options.clockOffsetSeconds.toFixed(3)}\\:24HH}'` +
    `:fontsize=${Math.round(height / 7.5)}:${box}:boxborderw=16:x=(w-tw)/2:y=h*0.4`;
  const label = `drawtext=fontfile=${font}:text='${DEMO_LABEL}':fontsize=${Math.round(height / 13)}:${box}:boxborderw=12:x=(w-tw)/2:y=h*0.72`;
  // A tone that beeps every second: a soft reference for sound and picture in step.
  const graph = `testsrc2=size=${width}x${height}:rate=${fps},${clock},${label}[out0];sine=frequency=440:beep_factor=2:sample_rate=48000,volume=0.3[out1]`;
  return [
    '-re', '-f', 'lavfi', '-i', graph,
    '-map', '0:v:0', '-c:v', 'libx264', '-profile:v', 'baseline', '-preset', 'ultrafast', '-tune', 'zerolatency', '-pix_fmt', 'yuv420p',
    '-g', gop, '-keyint_min', gop, '-bf', '0',
    '-f', 'rtp', '-payload_type', String(target.video.payloadType), '-ssrc', String(target.video.ssrc),
    rtpUrl(target.ip, target.video, local.videoRtp, local.videoRtcp),
    '-map', '0:a:0', '-c:a', 'libopus', '-ar', '48000', '-ac', '2', '-b:a', '64k',
    '-f', 'rtp', '-payload_type', String(target.audio.payloadType), '-ssrc', String(target.audio.ssrc),
    rtpUrl(target.ip, target.audio, local.audioRtp, local.audioRtcp),
  ];
}
