// Asks the producer for a keyframe once a segment, so that a copied rung can cut its segments on time.
// ffmpeg's HLS muxer cuts a rendition at the first keyframe at or after its start + n segment lengths
// (n counting the segments cut so far). Asked for every segment from the request that gave the first
// keyframe, the sender's keyframes land on that grid itself, and one that comes a frame early is passed
// over: that segment runs two lengths (EXTINF up to 1.98 s was measured, bench/latency). So the requests
// keep off the grid by PHASE of a segment, on an absolute schedule: a setInterval is late by a little
// every tick and would walk them back onto it.

/**
 * Where in a segment the requested keyframes land. Late enough that one coming early is not passed
 * over, early enough that one coming late is not either, and that the first segment (from the first
 * keyframe to the first requested one) has an EXTINF that rounds to 1 (TARGETDURATION is the largest).
 */
export const PHASE = 0.4;

/**
 * The request due after `tick` ones, in ms from the grid's origin, at `elapsedMs`: a tick already
 * past (the event loop was busy) is skipped, since asking late would put the keyframe on the grid.
 */
export function nextRequest(elapsedMs: number, periodMs: number, tick: number): { tick: number; atMs: number } {
  const next = Math.max(tick, Math.ceil(elapsedMs / periodMs - PHASE));
  return { tick: next, atMs: (next + PHASE) * periodMs };
}

export interface KeyframeClock {
  /** A new grid begins (a restarted ffmpeg cuts from the next keyframe): ask now and time from now. */
  restart(): void;
  close(): void;
}

/** Calls `request` every `periodMs`, PHASE off the grid that starts now: the caller has just asked for the first keyframe. */
export function keyframeClock(request: () => Promise<unknown>, periodMs: number): KeyframeClock {
  let origin = performance.now();
  let tick = 1;
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    const due = nextRequest(performance.now() - origin, periodMs, tick);
    tick = due.tick;
    timer = setTimeout(fire, origin + due.atMs - performance.now());
  };
  const fire = () => {
    void request().catch(() => {});
    tick += 1;
    schedule();
  };
  schedule();
  return {
    restart() {
      clearTimeout(timer);
      void request().catch(() => {});
      origin = performance.now();
      tick = 1;
      schedule();
    },
    close: () => clearTimeout(timer),
  };
}
