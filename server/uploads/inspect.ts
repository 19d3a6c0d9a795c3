// The probe at finish: what ffprobe says about a finished upload, plus a short decode of its first
// seconds (ffprobe reads headers only, so a file damaged past its header still probes), checked against
// the uploader's length limit. Either a ClipProbe for the clip or the refusal to answer with.
import { probeMedia, type MediaInfo } from '../../media/ffmpeg/probe.ts';
import { startFfmpeg } from '../../media/ffmpeg/runner.ts';
import type { ClipProbe } from '../clips/ports.ts';
import { refusals, type Refusal } from './refusals.ts';

/** How much of the start is decoded: enough to reach past a damaged header, quick on a 4-hour gala. */
const DECODE_SECONDS = 2;
const DECODE_TIMEOUT_MS = 60_000;
/** ffprobe's demuxers for single pictures: a photo has a "video stream" of one frame and is not a clip. */
const STILL_IMAGE = /(^|,)(image2|[a-z0-9]+_pipe|gif|webp)($|,)/;

export type Inspection = { readonly ok: true; readonly probe: ClipProbe } | { readonly ok: false; readonly refusal: Refusal };

/** Decodes the first seconds, every error fatal (-xerror): false when the picture or sound cannot be read. */
async function decodes(input: string): Promise<boolean> {
  const ffmpeg = startFfmpeg(['-xerror', '-t', String(DECODE_SECONDS), '-i', input, '-f', 'null', '-']);
  const timer = setTimeout(() => ffmpeg.kill(), DECODE_TIMEOUT_MS);
  try {
    const exit = await ffmpeg.exited;
    return exit.code === 0;
  } finally {
    clearTimeout(timer);
  }
}

function probeOf(info: MediaInfo, durationSeconds: number): ClipProbe {
  const video = info.video!;
  return {
    durationSeconds,
    width: video.width,
    height: video.height,
    fps: video.fps,
    videoCodec: video.codec,
    videoProfile: video.profile,
    videoLevel: video.level,
    audioCodec: info.audio?.codec ?? null,
    container: info.container ?? 'unknown',
  };
}

/** `input` is a path or an http(s) URL ffmpeg reads with ranges (a presigned GET). */
export async function inspectUpload(input: string, maxSeconds: number): Promise<Inspection> {
  let info: MediaInfo;
  try {
    info = await probeMedia(input, { timeoutMs: 60_000 });
  } catch {
    return { ok: false, refusal: refusals.notVideo() };
  }
  if (info.container === null || STILL_IMAGE.test(info.container)) return { ok: false, refusal: refusals.notVideo() };
  // A known container with no readable track is a recording whose header survived and the rest did not.
  if (info.streams.length === 0) return { ok: false, refusal: refusals.corrupt() };
  if (!info.video) return { ok: false, refusal: refusals.noVideoStream() };
  if (!(await decodes(input))) return { ok: false, refusal: refusals.corrupt() };
  const duration = info.durationSeconds;
  if (duration === null || duration <= 0) return { ok: false, refusal: refusals.corrupt() };
  if (duration > maxSeconds) return { ok: false, refusal: refusals.tooLong(duration, maxSeconds) };
  return { ok: true, probe: probeOf(info, duration) };
}
