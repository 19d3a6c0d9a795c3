// The realtime domain against both databases: every rule the channel relies on, and that what it
// keeps survives a restart and adds up across processes.
import t from 'tap';
import { eq } from 'drizzle-orm';
import { DB_KINDS, freshStore } from '../helpers/db.ts';
import { FakeClock } from '../helpers/clock.ts';
import type { Store } from '../../server/store/db.ts';
import { broadcasts, channels } from '../../server/store/schema.ts';
import { RealtimeStore } from '../../server/realtime/store.ts';
import { RealtimeService } from '../../server/realtime/service.ts';
import { RealtimeError, type Actor } from '../../server/realtime/domain.ts';
import type { Broadcast } from '../../server/contracts/broadcasts.ts';

interface Teardown {
  teardown(fn: () => unknown): void;
}

const viewer = (viewerId: string, name: string | null = `居民${viewerId}`): Actor => ({ viewerId, name, role: 'viewer' });
const HOST: Actor = { viewerId: 'host-device', name: '主持人', role: 'host' };
const MODERATOR: Actor = { viewerId: 'mod-device', name: '管理员', role: 'moderator' };

async function setup(t: Teardown, db: (typeof DB_KINDS)[number]) {
  const store = await freshStore(db);
  t.teardown(() => store.close());
  const clock = new FakeClock('2026-12-04T12:00:00Z');
  const [channel] = await store.db.insert(channels).values({ slug: 'xingfu', name: '幸福街道' }).returning();
  const newBroadcast = async (state: Broadcast['state'] = 'live') => {
    const [row] = await store.db
      .insert(broadcasts)
      .values({
        channelId: channel!.id,
        title: '周五讲堂',
        kind: 'lecture',
        state,
        scheduledStart: clock.now(),
        durationMinutes: 45,
        streamKey: `key-${Math.random()}`,
        endedReason: state === 'ended' ? 'staff' : null,
      })
      .returning();
    return row!.id;
  };
  const service = (s: Store = store) => new RealtimeService(new RealtimeStore(s.db), { clock });
  return { store, clock, realtime: service(), service, newBroadcast, broadcastId: await newBroadcast() };
}

/** Resolves to the RealtimeError code the call was refused with. */
async function refusal(p: Promise<unknown>): Promise<{ code: string; retryAfterMs: number | undefined }> {
  try {
    await p;
  } catch (err) {
    if (err instanceof RealtimeError) return { code: err.code, retryAfterMs: err.retryAfterMs };
    throw err;
  }
  throw new Error('expected a refusal, the call succeeded');
}

for (const db of DB_KINDS) {
  t.test(`[${db}] questions: asked open, upvoted once per viewer, listed by upvotes`, async (t) => {
    const { realtime, broadcastId } = await setup(t, db);
    const first = await realtime.ask(broadcastId, viewer('a', '王阿姨'), '  没有遗嘱,独生子女能继承全部财产吗?  ');
    t.match(first, { text: '没有遗嘱,独生子女能继承全部财产吗?', author: { id: 'a', name: '王阿姨' }, upvotes: 0, state: 'open', pinned: false, answeredAt: null });
    const second = await realtime.ask(broadcastId, viewer('b'), '退休金怎么算?');
    const up = await realtime.upvote(broadcastId, viewer('c'), second.id);
    t.equal(up.upvotes, 1);
    t.equal((await refusal(realtime.upvote(broadcastId, viewer('c'), second.id))).code, 'ALREADY_UPVOTED');
    t.equal((await realtime.upvote(broadcastId, viewer('d'), second.id)).upvotes, 2);
    t.equal((await refusal(realtime.upvote(broadcastId, viewer('c'), '00000000-0000-4000-8000-000000000000'))).code, 'QUESTION_NOT_FOUND');
    const view = await realtime.view(broadcastId, viewer('c'));
    t.same(view.questions.map((q) => [q.id, q.upvotes]), [[second.id, 2], [first.id, 0]], 'most upvoted first');
    t.same(view.upvoted, [second.id]);
  });
}
