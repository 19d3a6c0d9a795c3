// What premieres read from the database: the clip a premiere plays (its state and what its VOD job
// published) and the premieres still to start or still running, for the scheduler.
import { and, eq, inArray } from 'drizzle-orm';
import type { VodResult } from '../clips/ports.ts';
import type { Db } from '../store/db.ts';
import { broadcasts, clips } from '../store/schema.ts';

export interface PremiereClip {
  readonly id: string;
  readonly channelId: string;
  readonly state: (typeof clips.$inferSelect)['state'];
  /** What the VOD job published; null until it has. */
  readonly renditions: VodResult | null;
}

export interface PendingPremiere {
  readonly id: string;
  readonly state: 'scheduled' | 'live';
  readonly scheduledStart: Date;
  readonly startedAt: Date | null;
  readonly clipId: string | null;
}

export class PremiereStore {
  readonly #db: Db;
  constructor(db: Db) {
    this.#db = db;
  }

  async clip(id: string): Promise<PremiereClip | undefined> {
    const [row] = await this.#db
      .select({ id: clips.id, channelId: clips.channelId, state: clips.state, renditions: clips.renditions })
      .from(clips)
      .where(eq(clips.id, id));
    return row && { ...row, renditions: row.renditions as VodResult | null };
  }

  /** Premieres the scheduler has to start or end. */
  async pending(): Promise<PendingPremiere[]> {
    const rows = await this.#db
      .select({ id: broadcasts.id, state: broadcasts.state, scheduledStart: broadcasts.scheduledStart, startedAt: broadcasts.startedAt, clipId: broadcasts.clipId })
      .from(broadcasts)
      .where(and(eq(broadcasts.kind, 'premiere'), inArray(broadcasts.state, ['scheduled', 'live'])));
    return rows as PendingPremiere[];
  }
}
