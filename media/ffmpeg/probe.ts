// ffprobe, normalised into the project's own description of a media file: numbers as numbers, absent
// values as null, only the video and audio streams.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export interface VideoStreamInfo {
  readonly kind: 'video';
  readonly index: number;
  /** ffmpeg's codec name: `h264`, `vp8`, `hevc`… */
  readonly codec: string;
  readonly profile: string | null;
  /** H.264 level_idc (31 = 3.1) and the like; null when the codec has none. */
  readonly level: number | null;
  readonly width: number;
  readonly height: number;
  /** Average frames per second; the nominal rate when the file does not say. */
  readonly fps: number | null;
  readonly bitrate: number | null;
}

export interface AudioStreamInfo {
  readonly kind: 'audio';
  readonly index: number;
  readonly codec: string;
  readonly sampleRate: number | null;
  readonly channels: number | null;
  readonly bitrate: number | null;
}

export type StreamInfo = VideoStreamInfo | AudioStreamInfo;

export interface MediaInfo {
  /** ffprobe's demuxer name list, e.g. `mov,mp4,m4a,3gp,3g2,mj2`; null when it recognised no format. */
  readonly container: string | null;
  readonly durationSeconds: number | null;
  readonly bitrate: number | null;
  readonly streams: readonly StreamInfo[];
  /** The first video stream, the one a transcode reads. */
  readonly video: VideoStreamInfo | null;
  readonly audio: AudioStreamInfo | null;
}

type Raw = Record<string, unknown>;

const num = (value: unknown): number | null => {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number.parseFloat(value) : Number.NaN;
  return Number.isFinite(n) ? n : null;
};

/** `30000/1001` → 29.97; `0/0` (unknown) → null. */
const rate = (value: unknown): number | null => {
  const [n, d] = String(value ?? '').split('/').map(Number);
  return n > 0 && d > 0 ? n / d : null;
};

function stream(raw: Raw): StreamInfo | null {
  const index = num(raw.index) ?? 0;
  const codec = String(raw.codec_name ?? 'unknown');
  const bitrate = num(raw.bit_rate);
  if (raw.codec_type === 'video') {
    const width = num(raw.width);
    const height = num(raw.height);
    if (!width || !height) return null;
    const level = num(raw.level);
    return {
      kind: 'video',
      index,
      codec,
      profile: typeof raw.profile === 'string' ? raw.profile : null,
      level: level !== null && level > 0 ? level : null,
      width,
      height,
      fps: rate(raw.avg_frame_rate) ?? rate(raw.r_frame_rate),
      bitrate,
    };
  }
  if (raw.codec_type === 'audio') {
    return { kind: 'audio', index, codec, sampleRate: num(raw.sample_rate), channels: num(raw.channels), bitrate };
  }
  return null;
}

/** ffprobe's `-print_format json -show_format -show_streams` output → MediaInfo. */
export function mediaInfoFromFfprobe(json: unknown): MediaInfo {
  const root = (json ?? {}) as { streams?: Raw[]; format?: Raw };
  const streams = (root.streams ?? []).map(stream).filter((s): s is StreamInfo => s !== null);
  return {
    container: typeof root.format?.format_name === 'string' ? root.format.format_name : null,
    durationSeconds: num(root.format?.duration),
    bitrate: num(root.format?.bit_rate),
    streams,
    video: streams.find((s): s is VideoStreamInfo => s.kind === 'video') ?? null,
    audio: streams.find((s): s is AudioStreamInfo => s.kind === 'audio') ?? null,
  };
}

export async function probeMedia(path: string, options: { binary?: string; timeoutMs?: number } = {}): Promise<MediaInfo> {
  const args = ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', path];
  const { stdout } = await promisify(execFile)(options.binary ?? 'ffprobe', args, {
    timeout: options.timeoutMs ?? 15_000,
    maxBuffer: 8 * 1024 * 1024,
  });
  return mediaInfoFromFfprobe(JSON.parse(stdout));
}
