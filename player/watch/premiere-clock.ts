// A premiere is one moment for everyone: each phone plays the clip PREMIERE_LAG_SECONDS behind the
// server's clock, read from the program date-times, wherever hls.js happened to start or stall. A phone
// that drifts further than a fraction of a second is moved back onto the clock.
import { PREMIERE_LAG_SECONDS } from '../lib/live-config.ts';

/** Closer than this the picture is left alone: a seek costs a moment of black on slow phones. */
const TOLERANCE_MS = 400;
const CHECK_MS = 1000;
/** After a move, the picture is given time to settle before it is judged again. */
const SETTLE_MS = 3000;

/**
 * How long a phone that turned to the premiere right at its start waits before it loads anything: until
 * the clip's first picture is PREMIERE_LAG_SECONDS old, so that picture is not shown, taken back, and
 * shown again.
 */
export const untilOnClock = (startedAt: number, now: () => number): number => Math.max(0, startedAt + PREMIERE_LAG_SECONDS * 1000 - now());

/** Returns the function that stops it. `now` is the server's clock as the page knows it. */
export function keepToClock(video: HTMLVideoElement, playingDate: () => number | null, now: () => number): () => void {
  let settledAt = 0;
  const timer = setInterval(() => {
    const date = playingDate();
    if (video.paused || video.seeking || date === null || Date.now() < settledAt) return;
    const behindMs = now() - PREMIERE_LAG_SECONDS * 1000 - date;
    // Before the clip's start there is nothing to go back to.
    if (Math.abs(behindMs) <= TOLERANCE_MS || video.currentTime + behindMs / 1000 < 0) return;
    video.currentTime += behindMs / 1000;
    settledAt = Date.now() + SETTLE_MS;
  }, CHECK_MS);
  return () => clearInterval(timer);
}
