// Numbers an upload's progress bar shows: the speed over the last few seconds (not since the start, so
// a connection that slows down shows it), the time left at that speed, sizes in MB. Pure: unit-tested.

/** How far back the speed looks: long enough to smooth XHR's bursty progress events, short enough to follow a slowing link. */
const WINDOW_MS = 5_000;
/** Below this span the speed is noise (the first event of a PATCH). */
const MIN_SPAN_MS = 800;

export class RateMeter {
  #samples: { at: number; bytes: number }[] = [];

  add(at: number, bytes: number): void {
    this.#samples.push({ at, bytes });
    while (this.#samples.length > 2 && at - this.#samples[1].at >= WINDOW_MS) this.#samples.shift();
  }

  /** Forgets the samples: after a pause, the time paused is not part of the speed. */
  reset(): void {
    this.#samples = [];
  }

  /** Bytes per second, or null while there is too little to tell. */
  speed(): number | null {
    const first = this.#samples[0];
    const last = this.#samples[this.#samples.length - 1];
    if (!first || last.at - first.at < MIN_SPAN_MS) return null;
    return ((last.bytes - first.bytes) * 1000) / (last.at - first.at);
  }
}

/** Whole seconds left at `speed`, or null when the speed is unknown or zero. */
export function secondsLeft(remainingBytes: number, speed: number | null): number | null {
  if (speed === null || speed <= 0) return null;
  return Math.max(0, Math.ceil(remainingBytes / speed));
}

/** Megabytes (10^6 bytes, as disks and phones count them) with one decimal. */
export const megabytes = (bytes: number): string => (bytes / 1e6).toFixed(1);

/** Whole percent, 100 only when everything is there (99.6 % is not done). */
export function percent(done: number, total: number): number {
  if (total <= 0) return 0;
  if (done >= total) return 100;
  return Math.min(99, Math.floor((done * 100) / total));
}

/** A duration split for display: hours and minutes past an hour, minutes and seconds past a minute. */
export function durationParts(seconds: number): { h: number; m: number; s: number } {
  const total = Math.max(0, Math.round(seconds));
  return { h: Math.floor(total / 3600), m: Math.floor((total % 3600) / 60), s: total % 60 };
}
