import { and, asc, eq, notExists } from 'drizzle-orm';
import type { Db } from '../store/db.ts';
import { broadcasts, channels, clips, series } from '../store/schema.ts';

export type ChannelRow = typeof channels.$inferSelect;
export type NewChannelRow = typeof channels.$inferInsert;

export class ChannelStore {
  readonly #db: Db;
  constructor(db: Db) {
    this.#db = db;
  }

  list(): Promise<ChannelRow[]> {
    return this.#db.select().from(channels).orderBy(asc(channels.createdAt), asc(channels.id));
  }

  async byId(id: string): Promise<ChannelRow | undefined> {
    const [row] = await this.#db.select().from(channels).where(eq(channels.id, id));
    return row;
  }

  /** Undefined when the slug is taken. */
  async insert(values: NewChannelRow): Promise<ChannelRow | undefined> {
    const [row] = await this.#db.insert(channels).values(values).onConflictDoNothing({ target: channels.slug }).returning();
    return row;
  }

  async update(id: string, values: Partial<NewChannelRow>): Promise<ChannelRow | undefined> {
    const [row] = await this.#db.update(channels).set(values).where(eq(channels.id, id)).returning();
    return row;
  }

  /** Deletes the channel only while nothing is scheduled or uploaded in it; one statement, so no race adds a broadcast or clip in between. */
  async deleteIfEmpty(id: string): Promise<boolean> {
    const deleted = await this.#db
      .delete(channels)
      .where(
        and(
          eq(channels.id, id),
          notExists(this.#db.select({ id: broadcasts.id }).from(broadcasts).where(eq(broadcasts.channelId, id))),
          notExists(this.#db.select({ id: series.id }).from(series).where(eq(series.channelId, id))),
          notExists(this.#db.select({ id: clips.id }).from(clips).where(eq(clips.channelId, id))),
        ),
      )
      .returning({ id: channels.id });
    return deleted.length > 0;
  }
}
