// A VOD job's two ffmpeg commands, as data: the ladder (hls-args.ts in VOD mode) and one cheap command for
// the poster and the thumbnails, which decodes only keyframes for the thumbnails.
import { join } from 'node:path';
import { argv, buildLadderArgs } from '../transcode/hls-args.ts';
import type { LadderPlan } from '../transcode/ladder.ts';

export const POSTER = 'poster.jpg';
export const THUMBNAILS_VTT = 'thumbnails.vtt';
/** Folder of the thumbnail images, beside the VTT that names them relative to itself. */
export const THUMBNAILS_DIR = 'thumbs';
/** A thumbnail every this many seconds of the clip: enough to find a scene while scrubbing. */
export const THUMBNAIL_SECONDS = 10;
const THUMBNAIL_WIDTH = 160;
/** The poster is shown at most this wide (a phone's width at 3× density, a page's card). */
const POSTER_MAX_WIDTH = 1280;
/** The poster is the frame this far into the clip: past black openings and titles. */
const POSTER_AT = 0.1;

export const thumbnailName = (i: number) => `${String(i + 1).padStart(4, '0')}.jpg`;

/** The ladder of `plan` from the source `input` into `dir`, with VOD playlists (ENDLIST). */
export function vodLadderArgs(input: string, plan: LadderPlan, dir: string): string[] {
  return argv(buildLadderArgs({ kind: 'file', path: input }, plan, dir, 'vod'));
}

/**
 * The poster (one frame at 10 %, found by seeking) and the thumbnails (keyframes only, one every
 * THUMBNAIL_SECONDS), read from two openings of the source in one process.
 */
export function stillsArgs(input: string, durationSeconds: number, dir: string): string[] {
  const posterAt = (durationSeconds * POSTER_AT).toFixed(3);
  return [
    '-ss', posterAt, '-i', input,
    '-skip_frame', 'nokey', '-i', input,
    '-map', '0:v:0', '-frames:v', '1', '-vf', `scale='min(${POSTER_MAX_WIDTH},iw)':-2`, '-q:v', '3', '-update', '1', '-y', join(dir, POSTER),
    '-map', '1:v:0', '-vf', `select='isnan(prev_selected_t)+gte(t-prev_selected_t\\,${THUMBNAIL_SECONDS})',scale=${THUMBNAIL_WIDTH}:-2`, '-fps_mode', 'vfr', '-q:v', '5', '-y', join(dir, THUMBNAILS_DIR, '%04d.jpg'),
  ];
}

const timestamp = (seconds: number) => {
  const ms = Math.round(seconds * 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)}.${pad(ms % 1000, 3)}`;
};

/** WebVTT cues mapping each stretch of the clip to its thumbnail (the players' thumbnail-track convention). */
export function thumbnailsVtt(count: number, durationSeconds: number): string {
  const cues: string[] = [];
  for (let i = 0; i < count; i++) {
    const start = i * THUMBNAIL_SECONDS;
    const end = Math.min((i + 1) * THUMBNAIL_SECONDS, durationSeconds);
    if (end <= start) break;
    cues.push(`${timestamp(start)} --> ${timestamp(end)}\n${THUMBNAILS_DIR}/${thumbnailName(i)}`);
  }
  return `WEBVTT\n\n${cues.join('\n\n')}\n`;
}
