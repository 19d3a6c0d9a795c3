// Keeps the embedded media node running: a node that exits without being asked to (a crash, the OOM
// killer, a kill -9) is forked again under a new node id on the same bus, after a pause that doubles
// with each quick failure up to a ceiling. The control plane sees the old node lost (its broadcasts get
// the grace period) and the new one register; the bus, and everything listening to it, stays.
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import { IpcControlBus } from './ipc-bus.ts';
import { forkMediaNode, type LaunchOptions } from './launcher.ts';

/** A node that ran this long before exiting counts as having run well: the next failure starts the count again. */
const STEADY_MS = 60_000;
const FIRST_DELAY_MS = 1_000;
/** The ceiling: a node that cannot start (a missing worker binary) is tried twice a minute, not in a loop. */
const MAX_DELAY_MS = 30_000;

/** The pause before relaunching after `quickFailures` exits in a row that came soon after a start. */
export const relaunchDelayMs = (quickFailures: number): number => Math.min(FIRST_DELAY_MS * 2 ** quickFailures, MAX_DELAY_MS);

export class MediaNodeSupervisor {
  readonly bus: IpcControlBus;
  readonly #config: Config;
  readonly #logger: Logger;
  readonly #options: LaunchOptions;
  /** Exits in a row that came less than STEADY_MS after their start. */
  #quickFailures = 0;

  /** Forks the first node; closing `bus` stops it and ends the supervision. */
  static start(config: Config, logger: Logger, options: LaunchOptions = {}): MediaNodeSupervisor {
    return new MediaNodeSupervisor(config, logger, options);
  }

  private constructor(config: Config, logger: Logger, options: LaunchOptions) {
    this.bus = new IpcControlBus(logger);
    this.#config = config;
    this.#logger = logger;
    this.#options = options;
    this.#launch();
  }

  #launch(): void {
    const node = forkMediaNode(this.#config, this.#logger, this.bus, this.#options);
    const startedAt = Date.now();
    void node.exited.then(({ code, signal }) => {
      if (this.bus.closing) return;
      if (Date.now() - startedAt >= STEADY_MS) this.#quickFailures = 0;
      const delayMs = relaunchDelayMs(this.#quickFailures++);
      this.#logger.error({ nodeId: node.nodeId, code, signal, delayMs }, 'the media node exited unasked; starting another');
      const relaunch = setTimeout(() => {
        if (!this.bus.closing) this.#launch();
      }, delayMs);
      // A shutdown closes the bus; a relaunch still waiting must not keep the process alive.
      relaunch.unref();
    });
  }
}
