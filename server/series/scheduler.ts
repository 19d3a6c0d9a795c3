// Keeps every active series materialised up to the horizon as time moves on. Safe on every replica at
// once: each series is extended under its row lock, and an occurrence already there is never inserted
// twice (unique series + occurrence start).
import type { Logger } from 'pino';
import type { SeriesService } from './service.ts';

const HOUR_MS = 60 * 60 * 1000;

export class SeriesScheduler {
  readonly #series: SeriesService;
  readonly #log: Logger;
  readonly #everyMs: number;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<number> | undefined;

  constructor(series: SeriesService, log: Logger, everyMs = HOUR_MS) {
    this.#series = series;
    this.#log = log;
    this.#everyMs = everyMs;
  }

  /** Runs now, then every interval; the timer does not keep the process alive. */
  start(): void {
    if (this.#timer) return;
    const tick = () => {
      this.runOnce().catch((err) => this.#log.error({ err }, 'extending series failed'));
    };
    this.#timer = setInterval(tick, this.#everyMs).unref();
    tick();
  }

  /** Extends every active series; a run already in progress is joined rather than doubled. */
  runOnce(): Promise<number> {
    this.#running ??= this.#series
      .extendAll()
      .then((inserted) => {
        if (inserted > 0) this.#log.info({ inserted }, 'series extended');
        return inserted;
      })
      .finally(() => {
        this.#running = undefined;
      });
    return this.#running;
  }

  /** Stops the timer and waits for a run in progress. Safe to call twice. */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running?.catch(() => {});
  }
}
