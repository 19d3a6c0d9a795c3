// Clip rows, read together with their channel. Every state change is one statement
// conditioned on the states the service checked, so a job event and a reviewer racing each other
// cannot both win: the loser changes nothing and the service looks again.
import { and, desc, eq, inArray, notExists, sql, type SQL } from 'drizzle-orm';
import type { ClipSource, ClipState } from '../contracts/clips.ts';
import type { Db } from '../store/db.ts';
import { broadcasts, channels, clips } from '../store/schema.ts';
import type { ClipRecord } from './view.ts';

export type NewClipRow = typeof clips.$inferInsert;

export interface ClipFilter {
  channelId?: string;
  state?: ClipState;
  source?: ClipSource;
  /** A resident device's own submissions (viewerIdOf its cookie). */
  submitterViewerId?: string;
  limit: number;
}

export class ClipStore {
  readonly #db: Db;
  constructor(db: Db) {
    this.#db = db;
  }

  #select() {
    return this.#db
      .select({
        row: clips,
        channel: { id: channels.id, name: channels.name, slug: channels.slug, reviewStaffUploads: channels.reviewStaffUploads },
      })
      .from(clips)
      .innerJoin(channels, eq(channels.id, clips.channelId));
  }

  async byId(id: string): Promise<ClipRecord | undefined> {
    const [record] = await this.#select().where(eq(clips.id, id));
    return record;
  }

  /** Newest first. */
  list(filter: ClipFilter): Promise<ClipRecord[]> {
    const where: (SQL | undefined)[] = [
      filter.channelId ? eq(clips.channelId, filter.channelId) : undefined,
      filter.state ? eq(clips.state, filter.state) : undefined,
      filter.source ? eq(clips.source, filter.source) : undefined,
      filter.submitterViewerId ? eq(clips.submitterViewerId, filter.submitterViewerId) : undefined,
    ];
    return this.#select()
      .where(and(...where))
      .orderBy(desc(clips.createdAt), desc(clips.id))
      .limit(filter.limit);
  }

  /** False when a clip with this id exists already. */
  async insert(values: NewClipRow): Promise<boolean> {
    const inserted = await this.#db.insert(clips).values(values).onConflictDoNothing({ target: clips.id }).returning({ id: clips.id });
    return inserted.length > 0;
  }

  /** Applies `values` only while the clip is in one of `from`; false when it no longer is. */
  async update(id: string, values: Partial<NewClipRow>, from: readonly ClipState[], now: Date): Promise<boolean> {
    const updated = await this.#db
      .update(clips)
      .set({ ...values, updatedAt: now })
      .where(and(eq(clips.id, id), inArray(clips.state, [...from])))
      .returning({ id: clips.id });
    return updated.length > 0;
  }

  /** Deletes the clip unless a broadcast (a premiere) plays it; one statement, so no premiere is scheduled in between. */
  async deleteUnused(id: string): Promise<boolean> {
    const deleted = await this.#db
      .delete(clips)
      .where(and(eq(clips.id, id), notExists(this.#db.select({ id: broadcasts.id }).from(broadcasts).where(eq(broadcasts.clipId, id)))))
      .returning({ id: clips.id });
    return deleted.length > 0;
  }

  async usedByBroadcast(id: string): Promise<boolean> {
    const [row] = await this.#db.select({ n: sql<number>`count(*)::int` }).from(broadcasts).where(eq(broadcasts.clipId, id));
    return row.n > 0;
  }
}
