// A transcoder can hang without exiting (wedged on I/O, stopped, deadlocked in a filter): it writes no
// segment and never dies, so the crash path never hears of it (DESIGN.md, live path "Survive"). This
// watch adds up how long media has been reaching ffmpeg with nothing coming out, neither a segment nor
// a frame, and reports a stall past a limit. Time while the publisher sends nothing does not count
// (ffmpeg rightly writes nothing then), nor time before the first segment (the ladder may still be
// waiting for a keyframe). A transcoder still writing frames is slow, not hung: on a starved CPU its
// segments come seconds apart, and a replacement would only start slower.

export interface StallWatchOptions {
  /** Time with media flowing in and no segment out that counts as a stall. */
  readonly stallMs: number;
  /** What a transcoder just started may take on top of `stallMs` for its first segment. */
  readonly startMs: number;
  /** How often check() runs on its own; 0: only when called (tests). */
  readonly everyMs: number;
  /** A count that grows while media reaches ffmpeg (RTP packets sent to it); rejects once it is gone. */
  readonly fed: () => Promise<number>;
  readonly onStall: (stalledMs: number) => void;
  readonly now?: () => number;
}

export class StallWatch {
  readonly #options: StallWatchOptions;
  readonly #now: () => number;
  readonly #timer: NodeJS.Timeout | undefined;
  /** A segment has come out: from here on, flowing time without one counts. */
  #armed = false;
  #flowingMs = 0;
  #limitMs: number;
  #lastFed: number | undefined;
  #lastCheck: number;
  #checking = false;
  #closed = false;

  constructor(options: StallWatchOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#limitMs = options.stallMs;
    this.#lastCheck = this.#now();
    if (options.everyMs > 0) this.#timer = setInterval(() => void this.check(), options.everyMs);
  }

  segmentWritten(): void {
    this.#armed = true;
    this.#flowingMs = 0;
    this.#limitMs = this.#options.stallMs;
  }

  /** ffmpeg reported more output written (its progress moved): not hung, whatever its segments do. */
  progressed(): void {
    this.#flowingMs = 0;
  }

  /** Another transcoder took over: it gets time to start before its silence counts as a stall. */
  restarted(): void {
    this.#flowingMs = 0;
    this.#limitMs = this.#options.stallMs + this.#options.startMs;
  }

  /** Samples the feed once; the time since the last sample counts when media flowed in it. */
  async check(): Promise<void> {
    if (this.#checking || this.#closed) return;
    this.#checking = true;
    try {
      const fed = await this.#options.fed();
      const now = this.#now();
      const flowed = this.#lastFed !== undefined && fed > this.#lastFed;
      const elapsed = now - this.#lastCheck;
      this.#lastFed = fed;
      this.#lastCheck = now;
      if (!this.#armed || !flowed || this.#closed) return;
      this.#flowingMs += elapsed;
      if (this.#flowingMs < this.#limitMs) return;
      const stalledMs = this.#flowingMs;
      this.restarted();
      this.#options.onStall(stalledMs);
    } catch {
      // The consumer is closing with the pipeline: nothing to watch.
    } finally {
      this.#checking = false;
    }
  }

  close(): void {
    this.#closed = true;
    clearInterval(this.#timer);
  }
}
