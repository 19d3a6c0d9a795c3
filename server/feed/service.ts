// What residents see of a channel: its upcoming broadcasts, its published clips and replays newest
// first, its followers; and what a device does there: follow, like a clip, count a view. A device is
// its viewer id (viewerIdOf the linbo_device cookie), never the token itself.
import type { Clock } from '../clock.ts';
import type { Broadcast } from '../contracts/broadcasts.ts';
import type { ChannelFeed, Clip, FeedItem } from '../contracts/clips.ts';
import { ApiError } from '../http/errors.ts';
import type { BroadcastService } from '../broadcasts/service.ts';
import { imageUrl } from '../broadcasts/links.ts';
import { toClip, type ClipUrls } from '../clips/view.ts';
import type { ClipService } from '../clips/service.ts';
import type { ChannelRow, ClipRow, ClipTotals, FeedCursor, FeedStore } from './store.ts';

export interface FeedDeps extends ClipUrls {
  broadcasts: Pick<BroadcastService, 'list' | 'getPublic'>;
  /** Who may see a clip that is not published yet is the clips module's rule. */
  clips: Pick<ClipService, 'getFor'>;
  clock: Clock;
}

export interface FollowState {
  followers: number;
  following: boolean;
}

const UPCOMING_LIMIT = 10;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `<ISO time>_<id>` in base64url: opaque to clients, checked on the way back in. */
export function encodeCursor(c: FeedCursor): string {
  return Buffer.from(`${c.at.toISOString()}_${c.id}`).toString('base64url');
}

export function decodeCursor(text: string): FeedCursor {
  const [iso, id] = Buffer.from(text, 'base64url').toString().split('_');
  const at = new Date(iso ?? '');
  if (!id || !UUID.test(id) || Number.isNaN(at.getTime())) throw new ApiError('FEED_BAD_CURSOR');
  return { at, id };
}

/** Newest first; equal times by id, the same order the store pages by. */
const newerFirst = (a: { at: Date; id: string }, b: { at: Date; id: string }) => b.at.getTime() - a.at.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

export class FeedService {
  readonly #store: FeedStore;
  readonly #deps: FeedDeps;

  constructor(store: FeedStore, deps: FeedDeps) {
    this.#store = store;
    this.#deps = deps;
  }

  async #channel(id: string): Promise<ChannelRow> {
    const row = UUID.test(id) ? await this.#store.channelById(id) : undefined;
    if (!row) throw new ApiError('CHANNEL_NOT_FOUND', `No channel ${id}`);
    return row;
  }

  /** The channel with this address, or null (the pages show a friendly 404). */
  async channelBySlug(slug: string): Promise<ChannelRow | null> {
    return (await this.#store.channelBySlug(slug)) ?? null;
  }

  async feed(channelId: string, viewerId: string, query: { before?: string; limit?: number }): Promise<ChannelFeed> {
    const channel = await this.#channel(channelId);
    const limit = query.limit ?? 12;
    const before = query.before ? decodeCursor(query.before) : null;
    // One more of each than asked: whether anything is left after this page.
    const [clipRows, replayRefs, followers, following, upcoming] = await Promise.all([
      this.#store.publishedClips(channel.id, before, limit + 1),
      this.#store.replays(channel.id, before, limit + 1),
      this.#store.followers(channel.id),
      this.#store.follows(channel.id, viewerId),
      before ? Promise.resolve([]) : this.#upcoming(channel.id),
    ]);
    const merged = [
      ...clipRows.map((row) => ({ at: row.publishedAt!, id: row.id, clip: row })),
      ...replayRefs.map((ref) => ({ at: ref.at, id: ref.id, clip: null })),
    ].sort(newerFirst);
    const page = merged.slice(0, limit);
    const liked = await this.#store.likedAmong(page.flatMap((e) => (e.clip ? [e.clip.id] : [])), viewerId);
    const items: FeedItem[] = [];
    for (const entry of page) {
      const at = entry.at.toISOString();
      if (entry.clip) items.push({ kind: 'clip', at, clip: this.#clip(entry.clip, channel), liked: liked.has(entry.clip.id) });
      else items.push({ kind: 'replay', at, broadcast: await this.#deps.broadcasts.getPublic(entry.id) });
    }
    const last = page.at(-1);
    return {
      channel: { id: channel.id, name: channel.name, slug: channel.slug, description: channel.description, avatarUrl: channel.avatarImageId ? imageUrl(this.#deps.publicUrl, channel.avatarImageId) : null },
      followers,
      following,
      upcoming,
      items,
      nextCursor: merged.length > limit && last ? encodeCursor(last) : null,
    };
  }

  /** Live now and scheduled, public only, soonest first. */
  async #upcoming(channelId: string): Promise<Broadcast[]> {
    const [live, scheduled] = await Promise.all(
      (['live', 'scheduled'] as const).map((state) => this.#deps.broadcasts.list(null, { channelId, state, limit: UPCOMING_LIMIT })),
    );
    return [...live, ...scheduled]
      .sort((a, b) => Date.parse(a.scheduledStart) - Date.parse(b.scheduledStart))
      .slice(0, UPCOMING_LIMIT);
  }

  #clip(row: ClipRow, channel: ChannelRow): Clip {
    return toClip({ row, channel }, this.#deps);
  }

  async followState(channelId: string, viewerId: string): Promise<FollowState> {
    const channel = await this.#channel(channelId);
    const [followers, following] = await Promise.all([this.#store.followers(channel.id), this.#store.follows(channel.id, viewerId)]);
    return { followers, following };
  }

  async follow(channelId: string, viewerId: string, on: boolean): Promise<FollowState> {
    const channel = await this.#channel(channelId);
    if (on) await this.#store.follow(channel.id, viewerId, this.#deps.clock.now());
    else await this.#store.unfollow(channel.id, viewerId);
    return this.followState(channel.id, viewerId);
  }

  /** A clip as a resident's device may see it (published, or one it sent), with this device's heart. */
  async clipFor(id: string, viewerId: string): Promise<{ clip: Clip; counts: ClipTotals } | null> {
    if (!UUID.test(id)) return null;
    try {
      const clip = await this.#deps.clips.getFor(null, viewerId, id);
      return { clip, counts: (await this.#store.totals(clip.id, viewerId))! };
    } catch (err) {
      if (err instanceof ApiError && err.code === 'CLIP_NOT_FOUND') return null;
      throw err;
    }
  }

  async #published(id: string): Promise<ClipRow> {
    const row = UUID.test(id) ? await this.#store.clip(id) : undefined;
    if (!row || row.state !== 'published') throw new ApiError('FEED_CLIP_NOT_PUBLISHED', `No published clip ${id}`);
    return row;
  }

  async like(clipId: string, viewerId: string, on: boolean): Promise<ClipTotals> {
    const row = await this.#published(clipId);
    if (on) await this.#store.like(row.id, viewerId, this.#deps.clock.now());
    else await this.#store.unlike(row.id, viewerId);
    return (await this.#store.totals(row.id, viewerId))!;
  }

  async view(clipId: string, viewerId: string): Promise<ClipTotals> {
    const row = await this.#published(clipId);
    await this.#store.view(row.id, viewerId, this.#deps.clock.now());
    return (await this.#store.totals(row.id, viewerId))!;
  }
}
