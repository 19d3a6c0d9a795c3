// hls.js settings for watching a live broadcast close to its live edge. The live ladder writes 1-s
// fMP4 segments (media/transcode/hls-args.ts); hls.js's defaults hold three target durations behind
// the edge and never catch up, which bench/latency measured at well over the target (docs/decisions.md).
import type { HlsConfig } from 'hls.js';

export const LIVE_EDGE_CONFIG: Partial<HlsConfig> = {
  // Parts are not written (no LL-HLS), but this also lets hls.js drift back to the edge by rate.
  lowLatencyMode: true,
  // Seconds behind the newest segment's end: start there and steer back to it.
  liveSyncDuration: 1.5,
  // Further behind than this and hls.js jumps forward instead of lagging on.
  liveMaxLatencyDuration: 4,
  // Catching up by playing ≤ 15 % faster is not heard as a pitch change worth noticing.
  maxLiveSyncPlaybackRate: 1.15,
  // Ask for the first segment while the media element is still being set up.
  startFragPrefetch: true,
  // A live viewer does not seek back: keep little behind the play head (cheap phones have little memory).
  backBufferLength: 10,
};

/**
 * A premiere lists its clip's 2-s segments from their start on (server/premieres), so the newest listed
 * segment ends up to 2 s after the clock. hls.js starts about PREMIERE_LAG_SECONDS behind the clock and
 * does not speed up on its own: the page keeps every phone on the clock itself (premiere-clock.ts).
 */
export const PREMIERE_LAG_SECONDS = 4;
export const PREMIERE_EDGE_CONFIG: Partial<HlsConfig> = {
  ...LIVE_EDGE_CONFIG,
  liveSyncDuration: PREMIERE_LAG_SECONDS + 1,
  liveMaxLatencyDuration: 3 * PREMIERE_LAG_SECONDS,
  maxLiveSyncPlaybackRate: 1,
};
