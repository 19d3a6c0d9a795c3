// The live transcoder's ffmpeg command, as data: one input, one decode, every rung of the ladder with
// its own AAC track into 1-second fMP4 segments with aligned keyframes. Run by media/ffmpeg/runner.ts.
// Why each choice: docs/decisions.md, "The live ladder: one decode, the top rung copied, the sound once",
// and "The watch page's hls.js" for why the sound now rides in every rung.
import { join } from 'node:path';
import type { LadderPlan, Rung } from './ladder.ts';

export type TranscodeInput =
  /** RTP from mediasoup's PlainTransport consumers, described by an SDP file (see sdp.ts). */
  | { readonly kind: 'rtp'; readonly sdpPath: string }
  /** A recorded feed (tests, benchmarks, the demo); `realtime` reads it at its own pace like a live one. */
  | { readonly kind: 'file'; readonly path: string; readonly realtime?: boolean };

export interface FfmpegArgs {
  readonly inputArgs: readonly string[];
  readonly outputArgs: readonly string[];
}

/** Where a rendition's media playlist lives, relative to the broadcast's folder. */
export const renditionPlaylist = (name: string) => `${name}/index.m3u8`;
/** A rendition's init section, beside its playlist (ffmpeg appends `_<name>` when there are several). */
export const initSegmentName = (name: string) => `init_${name}.mp4`;
const SEGMENT_PATTERN = 'seg_%05d.m4s';
/** x264 preset for every re-encoded rung (see the decision for what the other presets cost). */
const PRESET = 'veryfast';
/** Scaling filter: bilinear, for the ladder's gentle steps down, at 60 % of bicubic's cost (bench/live-transcode). */
const SCALER = 'bilinear';

export function inputArgs(input: TranscodeInput): string[] {
  if (input.kind === 'file') return [...(input.realtime ? ['-re'] : []), '-i', input.path];
  return [
    // The SDP file names udp/rtp URLs; ffmpeg refuses protocols an input did not list.
    '-protocol_whitelist', 'file,udp,rtp',
    // Time stamps are the sender's RTP ones. Not arrival time (-use_wallclock_as_timestamps): ffmpeg
    // stamps each depacketised NAL unit as it arrives, so a picture's slices get different times and
    // the encoders see time go backwards (measured: hundreds of non-monotonic warnings in 6 s).
    '-f', 'sdp', '-i', input.sdpPath,
  ];
}

/** Stream index `i` among the output's video streams is rung `i`; the copy rung needs no filter. */
export function ladderFilterGraph(plan: LadderPlan): string | null {
  const scaled = plan.rungs.map((rung, i) => ({ rung, i })).filter(({ rung }) => !rung.passthrough);
  if (scaled.length === 0) return null;
  // Every rung is scaled straight from the one decoded picture. Scaling each from the next larger rung
  // instead (one shared downscaled picture) cost the same here and blurred the 360p rung more (two
  // bilinear passes): see bench/live-transcode.
  const scale = (rung: Rung) => `scale=${rung.width}:${rung.height}:flags=${SCALER},setsar=1`;
  if (scaled.length === 1) return `[0:v:0]${scale(scaled[0].rung)}[r${scaled[0].i}]`;
  const split = `[0:v:0]split=${scaled.length}${scaled.map(({ i }) => `[d${i}]`).join('')}`;
  return [split, ...scaled.map(({ rung, i }) => `[d${i}]${scale(rung)}[r${i}]`)].join(';');
}

function rungArgs(plan: LadderPlan, rung: Rung, i: number): string[] {
  if (rung.passthrough) return ['-map', '0:v:0', `-c:v:${i}`, 'copy'];
  const frames = Math.round(plan.fps * plan.segmentSeconds);
  // Following the source's keyframes, x264's own interval is only a safety net should one be missed.
  const gop = plan.keyframes === 'source' ? 2 * frames : frames;
  const kbps = (bits: number) => `${Math.round(bits / 1000)}k`;
  const level = rung.level ?? 0;
  return [
    '-map', `[r${i}]`,
    `-c:v:${i}`, 'libx264',
    `-preset:v:${i}`, PRESET,
    `-profile:v:${i}`, 'high',
    `-level:v:${i}`, `${Math.floor(level / 10)}.${level % 10}`,
    // No B-frames: x264's B-frame decisions cost more than they save at these sizes, and add delay.
    `-bf:v:${i}`, '0',
    // No lookahead (veryfast holds 10 frames for it, and one more to sync): ffmpeg muxes every rung
    // and the sound in time order, so whatever x264 holds back holds the copied rung back too
    // (bench/latency/transcode-delay.ts: 720p segments listed ~0.4 s sooner, for no more CPU and
    // −0.0002 SSIM). mb-tree needs the lookahead; x264 would turn it off itself, warning at every start.
    `-x264-params:v:${i}`, 'rc-lookahead=0:sync-lookahead=0:mbtree=0',
    `-b:v:${i}`, kbps(rung.bitrate),
    `-maxrate:v:${i}`, kbps(rung.maxBitrate),
    // One segment's worth of VBV: no segment is far above the rung's peak.
    `-bufsize:v:${i}`, kbps(rung.maxBitrate * plan.segmentSeconds),
    `-g:v:${i}`, String(gop),
    `-keyint_min:v:${i}`, String(gop),
    `-sc_threshold:v:${i}`, '0',
    `-force_key_frames:v:${i}`, plan.keyframes === 'source' ? 'source' : `expr:gte(t,n_forced*${plan.segmentSeconds})`,
  ];
}

/**
 * Audio output stream `i` is rung `i`'s sound. ffmpeg's HLS muxer refuses one output stream in two
 * variants, so the sound is mapped (and encoded) once per rung, every copy alike.
 * aresample async=1 fills the holes lost RTP packets leave with silence: with the sound muxed into
 * each rung, a hole in it is a hole in the rung's buffered range, where a player stalls.
 */
function audioArgs(plan: LadderPlan): string[] {
  if (!plan.audio) return [];
  const { bitrate, sampleRate, channels } = plan.audio;
  return plan.rungs.flatMap((_, i) => [
    '-map', '0:a:0',
    `-filter:a:${i}`, 'aresample=async=1',
    `-c:a:${i}`, 'aac',
    `-b:a:${i}`, `${Math.round(bitrate / 1000)}k`,
    `-ar:a:${i}`, String(sampleRate),
    `-ac:a:${i}`, String(channels),
  ]);
}

/**
 * One variant stream per rung, carrying its picture and the sound: hls.js's light build (the watch
 * page's budget) plays no separate audio rendition, and a muxed variant plays everywhere.
 */
export function varStreamMap(plan: LadderPlan): string {
  return plan.rungs.map((rung, i) => `v:${i}${plan.audio ? `,a:${i}` : ''},name:${rung.name}`).join(' ');
}

/** `live`: a broadcast's growing EVENT playlists; `vod`: a recorded clip's finished ones (media/vod). */
export type LadderMode = 'live' | 'vod';

/**
 * Live — EVENT: the window is kept whole, so the broadcast is a replay when it ends. ENDLIST is the
 * publisher's to write (omit_endlist): a restarted ffmpeg continues the same playlists.
 * VOD — ffmpeg writes the whole playlist with ENDLIST itself; no wall-clock dates for a recording.
 * temp_file: playlists are renamed into place, so a reader never sees half of one.
 */
const PLAYLIST_ARGS: Readonly<Record<LadderMode, readonly string[]>> = {
  live: ['-hls_playlist_type', 'event', '-hls_flags', 'independent_segments+program_date_time+omit_endlist+temp_file'],
  vod: ['-hls_playlist_type', 'vod', '-hls_flags', 'independent_segments+temp_file'],
};

function hlsArgs(plan: LadderPlan, dir: string, mode: LadderMode): string[] {
  const variants = plan.rungs.length;
  const only = plan.rungs[0].name;
  return [
    '-f', 'hls',
    '-hls_time', String(plan.segmentSeconds),
    '-hls_segment_type', 'fmp4',
    ...PLAYLIST_ARGS[mode],
    // ffmpeg fills in %v only when there are several variant streams.
    '-hls_fmp4_init_filename', variants > 1 ? initSegmentName('%v') : initSegmentName(only),
    '-hls_segment_filename', join(dir, '%v', SEGMENT_PATTERN),
    // No -master_pl_name: ffmpeg's multivariant playlist has no CODECS for a copied stream, so the
    // media node writes its own (media/publish/master-playlist.ts).
    '-var_stream_map', varStreamMap(plan),
    join(dir, renditionPlaylist('%v')),
  ];
}

/** The whole command after `ffmpeg`: the ladder of `plan` from `input` into the folder `dir`. */
export function buildLadderArgs(input: TranscodeInput, plan: LadderPlan, dir: string, mode: LadderMode = 'live'): FfmpegArgs {
  const graph = ladderFilterGraph(plan);
  return {
    inputArgs: inputArgs(input),
    outputArgs: [
      ...(graph ? ['-filter_complex', graph] : []),
      ...plan.rungs.flatMap((rung, i) => rungArgs(plan, rung, i)),
      ...audioArgs(plan),
      // Frames keep the time stamps they came with: a WebRTC sender's frame rate varies with its bandwidth.
      '-fps_mode', 'passthrough',
      // The copied rung is muxed from the first packet while the encoders are still filling up.
      '-max_muxing_queue_size', '1024',
      ...hlsArgs(plan, dir, mode),
    ],
  };
}

export const argv = (args: FfmpegArgs): string[] => [...args.inputArgs, ...args.outputArgs];
