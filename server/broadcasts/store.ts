// Broadcast rows, read together with their channel and host summaries. Every write is one statement
// conditioned on the version the service checked, so a request that loses a race changes nothing
// instead of overwriting what it did not see.
import { and, asc, eq, gte, isNull, lt, ne, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../store/db.ts';
import { accounts, broadcasts, channels } from '../store/schema.ts';
import type { BroadcastState } from './state.ts';
import type { BroadcastRelations, BroadcastRow } from './view.ts';

export type NewBroadcastRow = typeof broadcasts.$inferInsert;
export interface BroadcastRecord extends BroadcastRelations {
  row: BroadcastRow;
}

export interface BroadcastFilter {
  from?: Date;
  to?: Date;
  channelId?: string;
  seriesId?: string;
  state?: BroadcastState;
  /** Only what residents may find: public and not a draft. */
  listedOnly: boolean;
  limit: number;
}

/** The row as the service last read and checked it; a write applies only if it is still so. */
export interface Expected {
  version: number;
  state: BroadcastState;
}

export class BroadcastStore {
  readonly #db: Db;
  constructor(db: Db) {
    this.#db = db;
  }

  #select() {
    return this.#db
      .select({
        row: broadcasts,
        channel: { id: channels.id, name: channels.name, slug: channels.slug },
        host: { id: accounts.id, displayName: accounts.displayName },
      })
      .from(broadcasts)
      .innerJoin(channels, eq(channels.id, broadcasts.channelId))
      .leftJoin(accounts, eq(accounts.id, broadcasts.hostId));
  }

  async byId(id: string): Promise<BroadcastRecord | undefined> {
    const [record] = await this.#select().where(eq(broadcasts.id, id));
    return record;
  }

  list(filter: BroadcastFilter): Promise<BroadcastRecord[]> {
    const where: (SQL | undefined)[] = [
      filter.from && gte(broadcasts.scheduledStart, filter.from),
      filter.to && lt(broadcasts.scheduledStart, filter.to),
      filter.channelId ? eq(broadcasts.channelId, filter.channelId) : undefined,
      filter.seriesId ? eq(broadcasts.seriesId, filter.seriesId) : undefined,
      filter.state ? eq(broadcasts.state, filter.state) : undefined,
      filter.listedOnly ? and(eq(broadcasts.visibility, 'public'), ne(broadcasts.state, 'draft')) : undefined,
    ];
    return this.#select()
      .where(and(...where))
      .orderBy(asc(broadcasts.scheduledStart), asc(broadcasts.id))
      .limit(filter.limit);
  }

  async insert(values: NewBroadcastRow): Promise<BroadcastRow> {
    const [row] = await this.#db.insert(broadcasts).values(values).returning();
    return row;
  }

  /** Applies `values`, bumping version and updatedAt; undefined when the row changed since it was read. */
  async update(id: string, values: Partial<NewBroadcastRow>, expected: Expected, now: Date): Promise<BroadcastRow | undefined> {
    const [row] = await this.#db
      .update(broadcasts)
      .set({ ...values, version: sql`${broadcasts.version} + 1`, updatedAt: now })
      .where(this.#unchanged(id, expected))
      .returning();
    return row;
  }

  /** Deletes a broadcast that belongs to no series; false when the row changed since it was read. */
  async deleteOneOff(id: string, expected: Expected): Promise<boolean> {
    const deleted = await this.#db
      .delete(broadcasts)
      .where(and(this.#unchanged(id, expected), isNull(broadcasts.seriesId)))
      .returning({ id: broadcasts.id });
    return deleted.length > 0;
  }

  #unchanged(id: string, expected: Expected): SQL | undefined {
    return and(eq(broadcasts.id, id), eq(broadcasts.version, expected.version), eq(broadcasts.state, expected.state));
  }
}
