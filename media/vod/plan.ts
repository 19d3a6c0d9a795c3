// A recorded clip's ladder: the live rungs (media/transcode/ladder.ts), never above the source, with the
// source's H.264 copied as the top rung when every phone can play it as it is and its keyframes let it be
// cut into 2-second segments; otherwise every rung is re-encoded with a keyframe every segment.
import { planLadder, VOD_SEGMENT_SECONDS, type LadderPlan } from '../transcode/ladder.ts';
import type { VodSourceInfo } from './source.ts';

/** H.264 profiles every phone's decoder takes (High 10, 4:2:2 and 4:4:4 ones many do not). */
const PLAYABLE_PROFILES = new Set(['High', 'Main', 'Baseline', 'Constrained Baseline']);
/** 8-bit 4:2:0: the only picture format every phone decodes in hardware. */
const PLAYABLE_PIX_FMTS = new Set(['yuv420p', 'yuvj420p']);

/** The source's picture may be the top rung as it is. */
export function copyable(source: VodSourceInfo): boolean {
  return (
    source.codec === 'h264' &&
    source.profile !== null &&
    PLAYABLE_PROFILES.has(source.profile) &&
    source.pixFmt !== null &&
    PLAYABLE_PIX_FMTS.has(source.pixFmt) &&
    // A copied stream keeps its stored orientation; a phone's rotation flag is not in the HLS output.
    source.rotation % 360 === 0
  );
}

export function planVod(source: VodSourceInfo): LadderPlan {
  return planLadder({
    width: source.width,
    height: source.height,
    fps: source.fps,
    codec: copyable(source) ? 'h264' : 'other',
    audio: source.audio,
    keyframeInterval: source.keyframeInterval,
    segmentSeconds: VOD_SEGMENT_SECONDS,
  });
}
