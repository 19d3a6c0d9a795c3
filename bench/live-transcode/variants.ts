// The ladders the project's is measured against: a PeerTube-style one (every rung re-encoded by x264
// veryfast, each scaled from the source by ffmpeg's default bicubic, the sound encoded into every rung)
// and the steps from it to ours, one choice at a time, so the benchmark can say which choice bought what.
import { join } from 'node:path';
import type { LadderPlan, Rung } from '../../media/transcode/ladder.ts';

export interface LadderVariant {
  readonly label: string;
  /** The top rung copied from an H.264 source instead of re-encoded. */
  readonly passthrough: boolean;
  /** The sound encoded once into its own rendition instead of into every rung. */
  readonly sharedAudio: boolean;
  readonly scaler: 'bicubic' | 'bilinear';
  /** Each rung scaled from the next larger one's picture instead of from the decoded source. */
  readonly cascade: boolean;
  /** x264's default B-frames (veryfast: 3) kept. */
  readonly bframes: boolean;
}

export const PEERTUBE_STYLE: LadderVariant = {
  label: '(b) PeerTube-style, all rungs x264 veryfast',
  passthrough: false,
  sharedAudio: false,
  scaler: 'bicubic',
  cascade: false,
  bframes: true,
};

/** Cumulative: each step adds one of our choices to the one before; the last is our ladder's choices. */
export const STEPS: readonly LadderVariant[] = [
  { ...PEERTUBE_STYLE, label: '  + passthrough top rung', passthrough: true },
  { ...PEERTUBE_STYLE, label: '  + one AAC encode, own rendition', passthrough: true, sharedAudio: true },
  { ...PEERTUBE_STYLE, label: '  + bilinear scaling', passthrough: true, sharedAudio: true, scaler: 'bilinear' },
  { ...PEERTUBE_STYLE, label: '  + no B-frames on re-encoded rungs', passthrough: true, sharedAudio: true, scaler: 'bilinear', bframes: false },
];

/** Tried and not taken. */
export const ALTERNATIVES: readonly LadderVariant[] = [
  { ...STEPS[STEPS.length - 1], label: '  (not taken) each rung scaled from the next', cascade: true },
];

function filterGraph(plan: LadderPlan, variant: LadderVariant): string {
  const scaled = plan.rungs.map((rung, i) => ({ rung, i })).filter(({ rung }) => !variant.passthrough || !rung.passthrough);
  const scale = (rung: Rung) => `scale=${rung.width}:${rung.height}${variant.scaler === 'bilinear' ? ':flags=bilinear' : ''},setsar=1`;
  if (variant.cascade) {
    return scaled
      .map(({ rung, i }, k) => {
        const from = k === 0 ? '[0:v:0]' : `[s${k - 1}]`;
        return k === scaled.length - 1 ? `${from}${scale(rung)}[r${i}]` : `${from}${scale(rung)},split=2[r${i}][s${k}]`;
      })
      .join(';');
  }
  const split = `[0:v:0]split=${scaled.length}${scaled.map(({ i }) => `[d${i}]`).join('')}`;
  return [split, ...scaled.map(({ rung, i }) => `[d${i}]${scale(rung)}[r${i}]`)].join(';');
}

export function variantArgs(feed: string, plan: LadderPlan, dir: string, variant: LadderVariant): string[] {
  const fps = Math.round(plan.fps * plan.segmentSeconds);
  const video = plan.rungs.flatMap((rung, i) => {
    if (variant.passthrough && rung.passthrough) return ['-map', '0:v:0', `-c:v:${i}`, 'copy'];
    const kbps = Math.round(rung.bitrate / 1000);
    return [
      '-map', `[r${i}]`, `-c:v:${i}`, 'libx264', `-preset:v:${i}`, 'veryfast',
      // PeerTube's rate control: the target as the ceiling, twice that as the buffer.
      `-b:v:${i}`, `${kbps}k`, `-maxrate:v:${i}`, `${kbps}k`, `-bufsize:v:${i}`, `${2 * kbps}k`,
      ...(variant.bframes ? [] : [`-bf:v:${i}`, '0']),
      `-g:v:${i}`, String(fps), `-keyint_min:v:${i}`, String(fps), `-sc_threshold:v:${i}`, '0',
      `-force_key_frames:v:${i}`, `expr:gte(t,n_forced*${plan.segmentSeconds})`,
    ];
  });
  const audio = variant.sharedAudio ? ['-map', '0:a:0'] : plan.rungs.flatMap(() => ['-map', '0:a:0']);
  const streamMap = variant.sharedAudio
    ? ['a:0,agroup:audio,name:audio', ...plan.rungs.map((r, i) => `v:${i},agroup:audio,name:${r.name}`)]
    : plan.rungs.map((r, i) => `v:${i},a:${i},name:${r.name}`);
  return [
    '-i', feed,
    '-filter_complex', filterGraph(plan, variant),
    ...video,
    ...audio, '-c:a', 'aac', '-b:a', '128k', '-ar', '48000', '-ac', '2',
    '-f', 'hls', '-hls_time', String(plan.segmentSeconds), '-hls_segment_type', 'fmp4', '-hls_playlist_type', 'event',
    '-hls_flags', 'independent_segments+program_date_time+omit_endlist+temp_file',
    '-hls_fmp4_init_filename', 'init_%v.mp4',
    '-hls_segment_filename', join(dir, '%v', 'seg_%05d.m4s'),
    '-var_stream_map', streamMap.join(' '),
    join(dir, '%v', 'index.m3u8'),
  ];
}
