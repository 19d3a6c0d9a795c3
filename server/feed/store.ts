// The channel feed's reads (published clips and ready replays, read-only) and what it owns: likes and
// views per clip, one per device, and the devices that follow a channel. Devices appear only as
// viewerIdOf(cookie).
import { and, count, desc, eq, inArray, isNotNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../store/db.ts';
import { broadcasts, channelFollows, channels, clipLikes, clipViews, clips } from '../store/schema.ts';

export type ChannelRow = typeof channels.$inferSelect;
export type ClipRow = typeof clips.$inferSelect;

/** Where the previous page stopped: items strictly older than (at, id) come next. */
export interface FeedCursor {
  at: Date;
  id: string;
}

export interface ClipTotals {
  likes: number;
  views: number;
  liked: boolean;
}

export class FeedStore {
  readonly #db: Db;
  constructor(db: Db) {
    this.#db = db;
  }

  async channelById(id: string): Promise<ChannelRow | undefined> {
    const [row] = await this.#db.select().from(channels).where(eq(channels.id, id));
    return row;
  }

  async channelBySlug(slug: string): Promise<ChannelRow | undefined> {
    const [row] = await this.#db.select().from(channels).where(eq(channels.slug, slug));
    return row;
  }

  async clip(id: string): Promise<ClipRow | undefined> {
    const [row] = await this.#db.select().from(clips).where(eq(clips.id, id));
    return row;
  }

  /** Published clips, newest first, older than `before`. */
  publishedClips(channelId: string, before: FeedCursor | null, limit: number): Promise<ClipRow[]> {
    return this.#db
      .select()
      .from(clips)
      .where(and(eq(clips.channelId, channelId), eq(clips.state, 'published'), isNotNull(clips.publishedAt), older(clips.publishedAt, clips.id, before)))
      .orderBy(desc(clips.publishedAt), desc(clips.id))
      .limit(limit);
  }

  /** Ids and end times of the channel's public broadcasts whose replay is ready, newest first. */
  replays(channelId: string, before: FeedCursor | null, limit: number): Promise<{ id: string; at: Date }[]> {
    return this.#db
      .select({ id: broadcasts.id, at: sql<Date>`${broadcasts.endedAt}`.mapWith(broadcasts.endedAt) })
      .from(broadcasts)
      .where(
        and(
          eq(broadcasts.channelId, channelId),
          eq(broadcasts.state, 'ended'),
          eq(broadcasts.visibility, 'public'),
          isNotNull(broadcasts.replayReadyAt),
          isNotNull(broadcasts.endedAt),
          older(broadcasts.endedAt, broadcasts.id, before),
        ),
      )
      .orderBy(desc(broadcasts.endedAt), desc(broadcasts.id))
      .limit(limit);
  }

  async followers(channelId: string): Promise<number> {
    const [row] = await this.#db.select({ n: count() }).from(channelFollows).where(eq(channelFollows.channelId, channelId));
    return row.n;
  }

  async follows(channelId: string, viewerId: string): Promise<boolean> {
    const rows = await this.#db.select({ one: sql`1` }).from(channelFollows).where(and(eq(channelFollows.channelId, channelId), eq(channelFollows.viewerId, viewerId)));
    return rows.length > 0;
  }

  async follow(channelId: string, viewerId: string, now: Date): Promise<void> {
    await this.#db.insert(channelFollows).values({ channelId, viewerId, createdAt: now }).onConflictDoNothing();
  }

  async unfollow(channelId: string, viewerId: string): Promise<void> {
    await this.#db.delete(channelFollows).where(and(eq(channelFollows.channelId, channelId), eq(channelFollows.viewerId, viewerId)));
  }

  /**
   * The clip's counters move in the same transaction as the device's row, and only when that row was
   * new (or really removed): a device liking twice, or two taps racing, count once.
   */
  like(clipId: string, viewerId: string, now: Date): Promise<void> {
    return this.#db.transaction(async (tx) => {
      const added = await tx.insert(clipLikes).values({ clipId, viewerId, createdAt: now }).onConflictDoNothing().returning({ clipId: clipLikes.clipId });
      if (added.length) await tx.update(clips).set({ likes: sql`${clips.likes} + 1` }).where(eq(clips.id, clipId));
    });
  }

  unlike(clipId: string, viewerId: string): Promise<void> {
    return this.#db.transaction(async (tx) => {
      const removed = await tx.delete(clipLikes).where(and(eq(clipLikes.clipId, clipId), eq(clipLikes.viewerId, viewerId))).returning({ clipId: clipLikes.clipId });
      if (removed.length) await tx.update(clips).set({ likes: sql`greatest(${clips.likes} - 1, 0)` }).where(eq(clips.id, clipId));
    });
  }

  view(clipId: string, viewerId: string, now: Date): Promise<void> {
    return this.#db.transaction(async (tx) => {
      const added = await tx.insert(clipViews).values({ clipId, viewerId, createdAt: now }).onConflictDoNothing().returning({ clipId: clipViews.clipId });
      if (added.length) await tx.update(clips).set({ views: sql`${clips.views} + 1` }).where(eq(clips.id, clipId));
    });
  }

  async totals(clipId: string, viewerId: string): Promise<ClipTotals | undefined> {
    const [row] = await this.#db
      .select({
        likes: clips.likes,
        views: clips.views,
        liked: sql<boolean>`exists (select 1 from ${clipLikes} where ${clipLikes.clipId} = ${clips.id} and ${clipLikes.viewerId} = ${viewerId})`,
      })
      .from(clips)
      .where(eq(clips.id, clipId));
    return row;
  }

  /** Which of `clipIds` this device likes. */
  async likedAmong(clipIds: string[], viewerId: string): Promise<Set<string>> {
    if (!clipIds.length) return new Set();
    const rows = await this.#db
      .select({ clipId: clipLikes.clipId })
      .from(clipLikes)
      .where(and(eq(clipLikes.viewerId, viewerId), inArray(clipLikes.clipId, clipIds)));
    return new Set(rows.map((r) => r.clipId));
  }
}

function older(at: typeof clips.publishedAt | typeof broadcasts.endedAt, id: typeof clips.id | typeof broadcasts.id, before: FeedCursor | null): SQL | undefined {
  if (!before) return undefined;
  return or(lt(at, before.at), and(eq(at, before.at), lt(id, before.id)));
}
