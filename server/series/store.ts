// Series rows and their occurrences (rows of `broadcasts` with a seriesId). Writes to occurrences are
// conditioned on what the plan read, so an occurrence edited alone in the meantime is left as it is.
import { and, asc, eq, gte, isNull, max, sql } from 'drizzle-orm';
import type { Db } from '../store/db.ts';
import { broadcasts, series } from '../store/schema.ts';
import type { SeriesFields, StoredOccurrence } from './plan.ts';

export type SeriesRow = typeof series.$inferSelect;
export type NewSeriesRow = typeof series.$inferInsert;
type NewBroadcastRow = typeof broadcasts.$inferInsert;

/** A new occurrence: the series' fields plus what every broadcast row needs. */
export type NewOccurrence = SeriesFields & Pick<NewBroadcastRow, 'channelId' | 'seriesId' | 'streamKey' | 'createdAt' | 'updatedAt'>;

export class SeriesStore {
  readonly #db: Db;
  constructor(db: Db) {
    this.#db = db;
  }

  /** Runs `work` in one transaction, with a store bound to it. */
  transaction<T>(work: (store: SeriesStore) => Promise<T>): Promise<T> {
    return this.#db.transaction((tx) => work(new SeriesStore(tx as unknown as Db)));
  }

  list(): Promise<SeriesRow[]> {
    return this.#db.select().from(series).orderBy(asc(series.createdAt), asc(series.id));
  }

  /** Series still producing occurrences. */
  active(): Promise<SeriesRow[]> {
    return this.#db.select().from(series).where(isNull(series.endedAt)).orderBy(asc(series.createdAt), asc(series.id));
  }

  async byId(id: string): Promise<SeriesRow | undefined> {
    const [row] = await this.#db.select().from(series).where(eq(series.id, id));
    return row;
  }

  /** Reads and locks the series until the transaction ends: one re-plan of a series at a time. */
  async lock(id: string): Promise<SeriesRow | undefined> {
    const [row] = await this.#db.select().from(series).where(eq(series.id, id)).for('update');
    return row;
  }

  async insert(values: NewSeriesRow): Promise<SeriesRow> {
    const [row] = await this.#db.insert(series).values(values).returning();
    return row;
  }

  async update(id: string, values: Partial<NewSeriesRow>): Promise<SeriesRow | undefined> {
    const [row] = await this.#db.update(series).set(values).where(eq(series.id, id)).returning();
    return row;
  }

  occurrencesSince(seriesId: string, since: Date): Promise<StoredOccurrence[]> {
    return this.#db
      .select()
      .from(broadcasts)
      .where(and(eq(broadcasts.seriesId, seriesId), gte(broadcasts.occurrenceStart, since)))
      .orderBy(asc(broadcasts.occurrenceStart));
  }

  async latestOccurrenceStart(seriesId: string): Promise<Date | undefined> {
    const [row] = await this.#db
      .select({ latest: max(broadcasts.occurrenceStart) })
      .from(broadcasts)
      .where(eq(broadcasts.seriesId, seriesId));
    return row?.latest ?? undefined;
  }

  /** Inserts the occurrences not there yet (another replica may have been first); returns how many were new. */
  async insertOccurrences(values: NewOccurrence[]): Promise<number> {
    if (values.length === 0) return 0;
    const rows = await this.#db
      .insert(broadcasts)
      .values(values.map((v) => ({ ...v, state: 'scheduled' as const, detached: false })))
      .onConflictDoNothing({ target: [broadcasts.seriesId, broadcasts.occurrenceStart] })
      .returning({ id: broadcasts.id });
    return rows.length;
  }

  /** Applies series-wide changes to an occurrence that still follows its series and is as read. */
  updateOccurrence(id: string, version: number, values: Partial<SeriesFields>, now: Date): Promise<boolean> {
    return this.#writeFollowing(id, version, values, now);
  }

  cancelOccurrence(id: string, version: number, now: Date): Promise<boolean> {
    return this.#writeFollowing(id, version, { state: 'cancelled' }, now);
  }

  /** false when the occurrence was edited alone, went live or was cancelled since it was read. */
  async #writeFollowing(id: string, version: number, values: Partial<NewBroadcastRow>, now: Date): Promise<boolean> {
    const rows = await this.#db
      .update(broadcasts)
      .set({ ...values, version: sql`${broadcasts.version} + 1`, updatedAt: now })
      .where(and(eq(broadcasts.id, id), eq(broadcasts.version, version), eq(broadcasts.detached, false), eq(broadcasts.state, 'scheduled')))
      .returning({ id: broadcasts.id });
    return rows.length > 0;
  }
}
