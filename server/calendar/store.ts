// What the calendar feeds read: broadcasts as residents may see them. Read-only.
import { and, asc, eq, gte, ne } from 'drizzle-orm';
import type { Db } from '../store/db.ts';
import { broadcasts, channels, series } from '../store/schema.ts';

export type CalendarBroadcast = typeof broadcasts.$inferSelect;

/** A feed lists at most this many events; a calendar app needs no more. */
const FEED_LIMIT = 1000;

export class CalendarStore {
  readonly #db: Db;
  constructor(db: Db) {
    this.#db = db;
  }

  /** The broadcast unless it is a draft (a draft is invisible to residents). */
  async published(id: string): Promise<CalendarBroadcast | undefined> {
    const [row] = await this.#db
      .select()
      .from(broadcasts)
      .where(and(eq(broadcasts.id, id), ne(broadcasts.state, 'draft')));
    return row;
  }

  async seriesTitle(id: string): Promise<string | undefined> {
    const [row] = await this.#db.select({ title: series.title }).from(series).where(eq(series.id, id));
    return row?.title;
  }

  async channelName(id: string): Promise<string | undefined> {
    const [row] = await this.#db.select({ name: channels.name }).from(channels).where(eq(channels.id, id));
    return row?.name;
  }

  /** A series' occurrences (cancelled ones included, so calendars drop them) from `since` on. */
  seriesOccurrences(seriesId: string, since: Date): Promise<CalendarBroadcast[]> {
    return this.#db
      .select()
      .from(broadcasts)
      .where(and(eq(broadcasts.seriesId, seriesId), ne(broadcasts.state, 'draft'), gte(broadcasts.scheduledStart, since)))
      .orderBy(asc(broadcasts.scheduledStart), asc(broadcasts.id))
      .limit(FEED_LIMIT);
  }

  /** A channel's listed broadcasts (public, not drafts; cancelled ones included) from `since` on. */
  channelBroadcasts(channelId: string, since: Date): Promise<CalendarBroadcast[]> {
    return this.#db
      .select()
      .from(broadcasts)
      .where(
        and(
          eq(broadcasts.channelId, channelId),
          eq(broadcasts.visibility, 'public'),
          ne(broadcasts.state, 'draft'),
          gte(broadcasts.scheduledStart, since),
        ),
      )
      .orderBy(asc(broadcasts.scheduledStart), asc(broadcasts.id))
      .limit(FEED_LIMIT);
  }
}
