// What a VOD job needs to know about its source before planning: the picture (size, rate, codec, profile,
// pixel format, rotation), whether it has sound, how long it is, and how far apart its keyframes are (a
// copied top rung can only be cut at the source's own keyframes).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { probeMedia } from '../ffmpeg/probe.ts';

export interface VodSourceInfo {
  readonly durationSeconds: number;
  /** As displayed: a phone's portrait recording stored landscape with a rotation is portrait here. */
  readonly width: number;
  readonly height: number;
  readonly fps: number;
  readonly codec: string;
  readonly profile: string | null;
  readonly pixFmt: string | null;
  /** Degrees the picture is turned when displayed; a copied stream would keep the stored orientation. */
  readonly rotation: number;
  readonly audio: boolean;
  /** Longest gap between keyframes in the first KEYFRAME_WINDOW seconds (the window's length when there is only one). */
  readonly keyframeInterval: number;
}

/** How much of the source is read for its keyframe cadence: enough to see a camera's GOP, quick on a long file. */
const KEYFRAME_WINDOW = 60;
const DEFAULT_FPS = 30;

/** `K__` packet flags and their times (CSV `pts_time,flags`) → the longest gap between keyframes. */
export function longestKeyframeGap(csv: string, windowSeconds: number): number {
  const keys = csv
    .split('\n')
    .map((line) => line.split(','))
    .filter(([time, flags]) => flags?.startsWith('K') && Number.isFinite(Number.parseFloat(time)))
    .map(([time]) => Number.parseFloat(time))
    .sort((a, b) => a - b);
  if (keys.length < 2) return windowSeconds;
  let longest = 0;
  for (let i = 1; i < keys.length; i++) longest = Math.max(longest, keys[i] - keys[i - 1]);
  return longest;
}

interface StreamExtras {
  pixFmt: string | null;
  rotation: number;
}

/** pix_fmt and the display matrix's rotation, which probe.ts's normalised streams leave out. */
function extrasOf(json: string): StreamExtras {
  const stream = (JSON.parse(json) as { streams?: Record<string, unknown>[] }).streams?.[0] ?? {};
  const sideData = (stream.side_data_list as { rotation?: number }[] | undefined) ?? [];
  const tags = (stream.tags as { rotate?: string } | undefined) ?? {};
  const rotation = Number(sideData.find((d) => d.rotation !== undefined)?.rotation ?? tags.rotate ?? 0);
  return { pixFmt: typeof stream.pix_fmt === 'string' ? stream.pix_fmt : null, rotation: Number.isFinite(rotation) ? rotation : 0 };
}

export async function probeVodSource(input: string, options: { timeoutMs?: number } = {}): Promise<VodSourceInfo> {
  const timeout = options.timeoutMs ?? 60_000;
  const run = promisify(execFile);
  const [info, extras, packets] = await Promise.all([
    probeMedia(input, { timeoutMs: timeout }),
    run('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=pix_fmt:stream_side_data=rotation:stream_tags=rotate', '-of', 'json', input], { timeout }),
    run('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-read_intervals', `%+${KEYFRAME_WINDOW}`, '-show_entries', 'packet=pts_time,flags', '-of', 'csv=p=0', input], {
      timeout,
      maxBuffer: 64 * 1024 * 1024,
    }),
  ]);
  const video = info.video;
  if (!video) throw new Error('the source has no video stream');
  const { pixFmt, rotation } = extrasOf(extras.stdout);
  const turned = Math.abs(rotation) % 180 === 90;
  const duration = info.durationSeconds ?? 0;
  return {
    durationSeconds: duration,
    width: turned ? video.height : video.width,
    height: turned ? video.width : video.height,
    fps: video.fps && video.fps <= 120 ? video.fps : DEFAULT_FPS,
    codec: video.codec,
    profile: video.profile,
    pixFmt,
    rotation,
    audio: info.audio !== null,
    keyframeInterval: longestKeyframeGap(packets.stdout, Math.min(KEYFRAME_WINDOW, duration || KEYFRAME_WINDOW)),
  };
}
