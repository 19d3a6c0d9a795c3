// The ffmpeg command staff are shown for sending a feed to a plain-RTP ingest: what the ingest expects
// (payload types, SSRCs, RTCP on its own port, a keyframe every second) written out once, here.
import type { RtpIngest, RtpTrack, SourceVideo } from '../contracts/media.ts';

const target = (ip: string, track: RtpTrack) => `rtp://${ip}:${track.port}?rtcpport=${track.rtcpPort}&pkt_size=1200`;

/** ffmpeg's argv (after the input options) that encodes input 0 and sends it to `ingest`. */
export function rtpSenderArgs(ingest: RtpIngest, source: SourceVideo): string[] {
  const gop = String(Math.max(1, Math.round(source.fps)));
  return [
    '-map', '0:v:0', '-c:v', 'libx264', '-profile:v', 'baseline', '-preset', 'veryfast', '-tune', 'zerolatency', '-pix_fmt', 'yuv420p',
    '-s', `${source.width}x${source.height}`, '-r', String(source.fps),
    // Segments start on keyframes, and ffmpeg's RTP output ignores keyframe requests: send one every second.
    '-g', gop, '-keyint_min', gop, '-bf', '0',
    '-f', 'rtp', '-payload_type', String(ingest.video.payloadType), '-ssrc', String(ingest.video.ssrc), target(ingest.ip, ingest.video),
    '-map', '0:a:0', '-c:a', 'libopus', '-ar', '48000', '-ac', '2', '-b:a', '96k',
    '-f', 'rtp', '-payload_type', String(ingest.audio.payloadType), '-ssrc', String(ingest.audio.ssrc), target(ingest.ip, ingest.audio),
  ];
}

/** The same as one shell line, for a person to paste (quoting only what needs it). */
export function rtpSenderCommand(ingest: RtpIngest, source: SourceVideo, input = 'input.mp4'): string {
  const quote = (arg: string) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`);
  return ['ffmpeg', '-re', '-i', input, ...rtpSenderArgs(ingest, source)].map(quote).join(' ');
}
