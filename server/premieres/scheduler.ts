// Turns premieres live at their scheduled second and ends them when their clip has played out. One
// timer per premiere, armed from the database at open, re-armed whenever a broadcast is saved here,
// and re-read every minute (a premiere scheduled through another replica, or further ahead than a
// timer reaches). Safe on every replica at once: each move is a conditional update, and a replica
// that loses the race finds the premiere already moved.
import type { Logger } from 'pino';
import type { BroadcastService } from '../broadcasts/service.ts';
import type { BroadcastRow } from '../broadcasts/view.ts';
import type { Clock } from '../clock.ts';
import type { PendingPremiere, PremiereStore } from './store.ts';

/** Players hold a second or two behind the live edge: the last frames reach them before the page turns to the replay. */
export const END_TAIL_MS = 3000;
const RESYNC_MS = 60_000;
/** Timers further ahead than this wait for a later re-read. */
const HORIZON_MS = 2 * RESYNC_MS;

export interface SchedulerDeps {
  broadcasts: BroadcastService;
  store: PremiereStore;
  clock: Clock;
  logger: Logger;
}

export class PremiereScheduler {
  readonly #deps: SchedulerDeps;
  readonly #timers = new Map<string, NodeJS.Timeout>();
  #off: (() => void) | undefined;
  #resync: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(deps: SchedulerDeps) {
    this.#deps = deps;
  }

  async open(): Promise<void> {
    if (this.#off || this.#closed) return;
    this.#off = this.#deps.broadcasts.onSaved((row) => this.#saved(row));
    this.#resync = setInterval(() => this.#rearmAll(), RESYNC_MS).unref();
    await this.#rearmAll();
  }

  async #rearmAll(): Promise<void> {
    try {
      for (const premiere of await this.#deps.store.pending()) await this.#arm(premiere);
    } catch (err) {
      this.#deps.logger.error({ err }, 'reading premieres failed');
    }
  }

  #saved(row: BroadcastRow): void {
    if (row.kind !== 'premiere' && !this.#timers.has(row.id)) return;
    if (row.kind === 'premiere' && (row.state === 'scheduled' || row.state === 'live')) {
      void this.#arm(row as PendingPremiere);
      return;
    }
    this.#disarm(row.id);
    // However it ended (played out, or staff ended it early), its replay is the clip: ready at once.
    if (row.kind === 'premiere' && row.state === 'ended' && row.startedAt && !row.replayReadyAt) this.#act(row.id, 'marking the replay ready', () => this.#deps.broadcasts.markReplayReady(row.id));
  }

  async #arm(premiere: PendingPremiere): Promise<void> {
    if (this.#closed) return;
    const at = premiere.state === 'scheduled' ? premiere.scheduledStart.getTime() : await this.#endOf(premiere);
    this.#disarm(premiere.id);
    if (at === null || this.#closed) return;
    const delay = Math.max(0, at - this.#deps.clock.now().getTime());
    if (delay > HORIZON_MS) return;
    const fire = premiere.state === 'scheduled' ? () => this.#start(premiere.id) : () => this.#end(premiere.id);
    this.#timers.set(premiere.id, setTimeout(fire, delay).unref());
  }

  /** When a live premiere has played its clip out (and the tail), by the clip's length. */
  async #endOf(premiere: PendingPremiere): Promise<number | null> {
    if (!premiere.clipId || !premiere.startedAt) return null;
    const clip = await this.#deps.store.clip(premiere.clipId);
    if (!clip?.renditions) return null;
    return premiere.startedAt.getTime() + clip.renditions.durationSeconds * 1000 + END_TAIL_MS;
  }

  #start(id: string): void {
    this.#timers.delete(id);
    this.#act(id, 'starting the premiere', async () => {
      const b = await this.#deps.broadcasts.get(id);
      // Another replica may have moved or rescheduled it since this timer was set.
      // A premiere with no clip (written around the rules, e.g. by a series) has nothing to play.
      if (b.kind !== 'premiere' || b.state !== 'scheduled' || !b.clipId) return;
      const start = new Date(b.scheduledStart);
      if (start.getTime() > this.#deps.clock.now().getTime()) return void this.#arm({ id, state: 'scheduled', scheduledStart: start, startedAt: null, clipId: b.clipId });
      await this.#deps.broadcasts.startPremiere(id, start);
    });
  }

  #end(id: string): void {
    this.#timers.delete(id);
    this.#act(id, 'ending the premiere', async () => {
      const b = await this.#deps.broadcasts.get(id);
      if (b.kind === 'premiere' && b.state === 'live') await this.#deps.broadcasts.endFromMedia(id, 'finished');
    });
  }

  /** Runs a move; losing a race to another replica (the state already moved) is not a failure. */
  #act(id: string, what: string, move: () => Promise<unknown>): void {
    move().catch((err: { code?: string }) => {
      if (err.code === 'INVALID_STATE_TRANSITION') return;
      this.#deps.logger.error({ err, broadcastId: id }, `${what} failed`);
    });
  }

  #disarm(id: string): void {
    clearTimeout(this.#timers.get(id));
    this.#timers.delete(id);
  }

  /** Stops every timer and listener. Safe to call twice. */
  close(): void {
    this.#closed = true;
    this.#off?.();
    clearInterval(this.#resync);
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }
}
