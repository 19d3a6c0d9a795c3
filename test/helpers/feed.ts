// Clips in a channel's feed for tests of what residents see: rows written straight into the clips
// table in the state a reviewer would leave them (the feed reads that table; how a clip gets there is
// the clips module's business), and replays of broadcasts that really went live and ended.
import { randomUUID } from 'node:crypto';
import { clips } from '../../server/store/schema.ts';
import type { TestApp } from './app.ts';
import { createBroadcast } from './schedule.ts';

type ClipState = (typeof clips.$inferInsert)['state'];

export interface ClipRowOptions {
  title?: string;
  state?: ClipState;
  /** When it was published (published clips only); default: now. */
  publishedAt?: Date;
  /** The sending device's viewer id (a resident's submission). */
  submitterViewerId?: string;
}

export async function insertClip(ctx: TestApp, channelId: string, options: ClipRowOptions = {}): Promise<string> {
  const id = randomUUID();
  const state = options.state ?? 'published';
  const now = ctx.services.clock.now();
  await ctx.services.store.db.insert(clips).values({
    id,
    channelId,
    title: options.title ?? '广场舞表演',
    filename: 'dance.mp4',
    source: options.submitterViewerId ? 'resident' : 'staff',
    submitterViewerId: options.submitterViewerId ?? null,
    submitterName: options.submitterViewerId ? '王阿姨' : null,
    state,
    sizeBytes: 1_000_000,
    durationSeconds: 12,
    width: 1280,
    height: 720,
    progress: state === 'published' || state === 'in_review' ? 100 : 0,
    rejectReason: state === 'rejected' ? '画面不清楚' : null,
    publishedAt: state === 'published' ? (options.publishedAt ?? now) : null,
    createdAt: now,
    updatedAt: now,
  });
  return id;
}

/** A public broadcast that went live, ended, and whose replay is ready. */
export async function endedWithReplay(ctx: TestApp, headers: { authorization: string }, channelId: string, title = '上周的讲座'): Promise<string> {
  const b = await createBroadcast(ctx, headers, channelId, { title });
  for (const action of ['start', 'end']) {
    const res = await ctx.app.inject({ method: 'POST', url: `/api/broadcasts/${b.id}/${action}`, headers });
    if (res.statusCode !== 200) throw new Error(`${action}: ${res.statusCode} ${res.body}`);
  }
  await ctx.services.broadcasts.markReplayReady(b.id);
  return b.id;
}
