// The realtime domain against both databases: every rule the channel relies on, and that what it
// keeps survives a restart and adds up across processes.
import t from 'tap';
import { eq } from 'drizzle-orm';
import { DB_KINDS, freshStore } from '../helpers/db.ts';
import { FakeClock } from '../helpers/clock.ts';
import type { Store } from '../../server/store/db.ts';
import { broadcasts, channels } from '../../server/store/schema.ts';
import { RealtimeStore } from '../../server/realtime/store.ts';
import { AudienceStore } from '../../server/realtime/audience-store.ts';
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
  const service = (s: Store = store) => new RealtimeService({ realtime: new RealtimeStore(s.db), audience: new AudienceStore(s.db) }, { clock });
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

  t.test(`[${db}] pre-review: a viewer's question waits, seen by its author and staff only, until approved`, async (t) => {
    const { realtime, broadcastId } = await setup(t, db);
    t.same(await realtime.updateSettings(broadcastId, { preReview: true }), { chat: true, slowModeSeconds: 0, preReview: true });
    const asked = await realtime.ask(broadcastId, viewer('a'), '社区食堂几点开门?');
    t.equal(asked.state, 'pending');
    t.same((await realtime.view(broadcastId, viewer('a'))).questions.map((q) => q.id), [asked.id], 'its author sees it');
    t.same((await realtime.view(broadcastId, viewer('b'))).questions, [], 'another viewer does not');
    t.same((await realtime.view(broadcastId, MODERATOR)).questions.map((q) => q.state), ['pending'], 'a moderator does');
    t.equal((await refusal(realtime.upvote(broadcastId, viewer('b'), asked.id))).code, 'QUESTION_NOT_FOUND', 'nobody upvotes what is not published');
    t.equal((await realtime.approve(broadcastId, asked.id)).state, 'open');
    t.same((await realtime.view(broadcastId, viewer('b'))).questions.map((q) => q.id), [asked.id], 'approved: everybody sees it');
    t.equal((await realtime.ask(broadcastId, HOST, '主持人自己的问题')).state, 'open', "staff's own questions need no review");
    const waiting = await realtime.ask(broadcastId, viewer('b'), '主持人直接回答的问题');
    t.equal((await realtime.answer(broadcastId, waiting.id)).state, 'answered', 'answering a waiting question on air publishes it');
  });

  t.test(`[${db}] the host answers, pins one at a time and hides; a hidden question comes back on approval`, async (t) => {
    const { realtime, broadcastId, clock } = await setup(t, db);
    const a = await realtime.ask(broadcastId, viewer('a'), '问题一');
    const b = await realtime.ask(broadcastId, viewer('b'), '问题二');
    clock.advance(60_000);
    const answered = await realtime.answer(broadcastId, a.id);
    t.match(answered, { state: 'answered', answeredAt: clock.now().toISOString() });
    t.same(await realtime.answer(broadcastId, a.id), answered, 'answering twice changes nothing');

    t.same((await realtime.pin(broadcastId, a.id)).map((q) => [q.id, q.pinned]), [[a.id, true]]);
    const moved = await realtime.pin(broadcastId, b.id);
    t.same(moved.map((q) => [q.id, q.pinned]).sort(), [[a.id, false], [b.id, true]].sort(), 'pinning another unpins the first');
    t.same((await realtime.view(broadcastId, viewer('c'))).questions.map((q) => q.id), [b.id, a.id], 'the pinned one comes first');
    t.same((await realtime.pin(broadcastId, null)).map((q) => [q.id, q.pinned]), [[b.id, false]], 'null unpins');

    await realtime.pin(broadcastId, b.id);
    const hidden = await realtime.hide(broadcastId, b.id);
    t.match(hidden, { state: 'hidden', pinned: false }, 'hiding unpins');
    t.same((await realtime.view(broadcastId, viewer('c'))).questions.map((q) => q.id), [a.id], 'viewers no longer see it');
    t.same((await realtime.view(broadcastId, HOST)).questions.map((q) => q.state).sort(), ['answered', 'hidden'], 'staff still do');
    t.equal((await refusal(realtime.pin(broadcastId, b.id))).code, 'QUESTION_NOT_FOUND', 'a hidden question is not pinned');
    t.equal((await realtime.approve(broadcastId, b.id)).state, 'open');
    await realtime.hide(broadcastId, a.id);
    t.equal((await realtime.approve(broadcastId, a.id)).state, 'answered', 'an answered question hidden and brought back is still answered');
  });

  t.test(`[${db}] actions on a question that does not exist, or is another broadcast's, are QUESTION_NOT_FOUND`, async (t) => {
    const { realtime, broadcastId, newBroadcast } = await setup(t, db);
    const other = await newBroadcast();
    const elsewhere = await realtime.ask(other, viewer('a'), '别处的问题');
    for (const id of [elsewhere.id, '00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      for (const action of [
        () => realtime.answer(broadcastId, id),
        () => realtime.pin(broadcastId, id),
        () => realtime.hide(broadcastId, id),
        () => realtime.approve(broadcastId, id),
        () => realtime.upvote(broadcastId, viewer('b'), id),
      ]) {
        t.equal((await refusal(action())).code, 'QUESTION_NOT_FOUND', id);
      }
    }
    t.equal((await realtime.view(other, viewer('a'))).questions[0]?.state, 'open', "the other broadcast's question is untouched");
  });

  t.test(`[${db}] texts are kept as given, trimmed; empty or overlong texts are refused`, async (t) => {
    const { realtime, broadcastId } = await setup(t, db);
    const html = '<img src=x onerror=alert(1)> 这是<b>问题</b>';
    t.equal((await realtime.ask(broadcastId, viewer('a', '<script>x</script>'), html)).text, html, 'no escaping or stripping: clients render text');
    t.equal((await realtime.view(broadcastId, viewer('b'))).questions[0]?.author.name, '<script>x</script>');
    t.equal((await refusal(realtime.ask(broadcastId, viewer('a'), ' \n\u3000 '))).code, 'INVALID_MESSAGE');
    t.equal((await refusal(realtime.chat(broadcastId, viewer('a'), '   '))).code, 'INVALID_MESSAGE');
    t.equal((await refusal(realtime.ask(broadcastId, viewer('a'), '问'.repeat(301)))).code, 'INVALID_MESSAGE');
    t.equal((await realtime.ask(broadcastId, viewer('a', null), '问'.repeat(300))).author.name, '', 'a viewer without a name has an empty one');
  });

  t.test(`[${db}] the word list refuses questions and chat that contain a word on it`, async (t) => {
    const { realtime, broadcastId } = await setup(t, db);
    t.same(await realtime.replaceWords([' 骗子 ', '', 'spam', '骗子']), ['spam', '骗子']);
    t.equal((await refusal(realtime.ask(broadcastId, viewer('a'), '他是个骗 子'))).code, 'WORD_FILTERED');
    t.equal((await refusal(realtime.chat(broadcastId, viewer('a'), 'ＳＰＡＭ'))).code, 'WORD_FILTERED');
    t.equal((await refusal(realtime.ask(broadcastId, viewer('a', 'Spam王'), '正常的问题'))).code, 'WORD_FILTERED', 'nor under a name with one');
    t.equal((await realtime.view(broadcastId, viewer('a'))).questions.length, 0, 'nothing was kept');
    await realtime.replaceWords([]);
    t.equal((await realtime.chat(broadcastId, viewer('a'), '他是个骗子')).text, '他是个骗子', 'an emptied list refuses nothing');
  });

  t.test(`[${db}] chat: kept, latest 50 oldest first, off per broadcast, hidden messages leave the snapshot`, async (t) => {
    const { realtime, broadcastId, clock } = await setup(t, db);
    const sent = [];
    for (let i = 0; i < 55; i++) {
      clock.advance(1000);
      sent.push(await realtime.chat(broadcastId, viewer(`v${i % 5}`), `消息${i}`));
    }
    t.match(sent[0], { text: '消息0', author: { id: 'v0', name: '居民v0' } });
    let chat = (await realtime.view(broadcastId, viewer('x'))).chat;
    t.same(chat.map((m) => m.text), sent.slice(5).map((m) => m.text), 'the latest 50, oldest first');
    await realtime.hideChat(broadcastId, sent[54]!.id);
    chat = (await realtime.view(broadcastId, viewer('x'))).chat;
    t.equal(chat.at(-1)?.id, sent[53]!.id, 'a hidden message is left out');
    t.equal(chat.length, 50);
    t.equal((await refusal(realtime.hideChat(broadcastId, '00000000-0000-4000-8000-000000000000'))).code, 'MESSAGE_NOT_FOUND');
    t.equal((await refusal(realtime.hideChat(broadcastId, 'nope'))).code, 'MESSAGE_NOT_FOUND');

    await realtime.updateSettings(broadcastId, { chat: false });
    t.equal((await refusal(realtime.chat(broadcastId, viewer('v1'), '还在吗'))).code, 'CHAT_OFF');
    t.same((await realtime.facts(broadcastId))?.settings, { chat: false, slowModeSeconds: 0, preReview: false });
  });

  t.test(`[${db}] slow mode: one message per viewer per interval, with the time left; staff are not slowed`, async (t) => {
    const { realtime, broadcastId, clock, service } = await setup(t, db);
    await realtime.updateSettings(broadcastId, { slowModeSeconds: 10 });
    await realtime.chat(broadcastId, viewer('a'), '第一条');
    clock.advance(4000);
    t.same(await refusal(realtime.chat(broadcastId, viewer('a'), '第二条')), { code: 'SLOW_MODE', retryAfterMs: 6000 });
    t.same(await refusal(service().chat(broadcastId, viewer('a'), '第二条')), { code: 'SLOW_MODE', retryAfterMs: 6000 }, 'another process sees the same last message');
    await realtime.chat(broadcastId, viewer('b'), '别人不受影响');
    await realtime.chat(broadcastId, HOST, '主持人一');
    await realtime.chat(broadcastId, HOST, '主持人二');
    clock.advance(6000);
    t.equal((await realtime.chat(broadcastId, viewer('a'), '第二条')).text, '第二条', 'after the interval it goes through');
    t.equal((await realtime.view(broadcastId, viewer('x'))).chat.length, 5, 'refused messages were not kept');
  });

  t.test(`[${db}] slow mode holds when two processes take the same viewer's message at once`, async (t) => {
    const { realtime, broadcastId, service } = await setup(t, db);
    await realtime.updateSettings(broadcastId, { slowModeSeconds: 30 });
    const other = service();
    const results = await Promise.allSettled([realtime.chat(broadcastId, viewer('a'), '一'), other.chat(broadcastId, viewer('a'), '二')]);
    t.equal(results.filter((r) => r.status === 'fulfilled').length, 1, 'one goes through');
    const refused = results.find((r) => r.status === 'rejected');
    t.equal((refused?.reason as RealtimeError | undefined)?.code, 'SLOW_MODE');
  });

  t.test(`[${db}] an ended or cancelled broadcast takes no questions or chat; a draft is not found`, async (t) => {
    const { realtime, newBroadcast, store } = await setup(t, db);
    for (const state of ['ended', 'cancelled'] as const) {
      const id = await newBroadcast(state);
      t.equal((await refusal(realtime.ask(id, viewer('a'), '还能问吗'))).code, 'BROADCAST_OVER', state);
      t.equal((await refusal(realtime.chat(id, viewer('a'), '还能聊吗'))).code, 'BROADCAST_OVER', state);
      t.equal((await realtime.facts(id))?.state, state);
    }
    const scheduled = await newBroadcast('scheduled');
    t.equal((await realtime.ask(scheduled, viewer('a'), '开播前提问')).state, 'open', 'a scheduled broadcast takes questions before it starts');
    await store.db.update(broadcasts).set({ state: 'live' }).where(eq(broadcasts.id, scheduled));
    t.equal((await realtime.facts(scheduled))?.state, 'live', 'facts follow the stored state');
    t.equal(await realtime.facts(await newBroadcast('draft')), null);
    t.equal(await realtime.facts('00000000-0000-4000-8000-000000000000'), null);
    t.equal(await realtime.facts('not-a-uuid'), null);
  });

  t.test(`[${db}] bans: listed for staff with the viewer's last name, refuse the viewer's questions and chat, lifted by unban`, async (t) => {
    const { realtime, broadcastId, clock, newBroadcast } = await setup(t, db);
    await realtime.recordViewer(broadcastId, 'troll');
    await realtime.chat(broadcastId, viewer('troll', '路人'), '你好');
    await realtime.chat(broadcastId, viewer('troll', '捣乱者'), '刷屏');
    await realtime.chat(broadcastId, viewer('troll', null), '刷屏');
    const bans = await realtime.ban(broadcastId, 'troll', ' 刷屏 ');
    t.same(bans, [{ viewerId: 'troll', name: '捣乱者', reason: '刷屏', bannedAt: clock.now().toISOString() }], 'the last name it wrote under');
    t.equal(await realtime.isBanned(broadcastId, 'troll'), true);
    t.equal(await realtime.isBanned(await newBroadcast(), 'troll'), false, 'a ban is for one broadcast');
    t.equal((await refusal(realtime.ask(broadcastId, viewer('troll'), '我又来了'))).code, 'BANNED');
    t.equal((await refusal(realtime.chat(broadcastId, viewer('troll'), '我又来了'))).code, 'BANNED');
    t.same((await realtime.view(broadcastId, MODERATOR)).bans, bans, 'staff see the bans');
    t.equal((await realtime.view(broadcastId, viewer('other'))).bans, undefined, 'viewers do not');
    clock.advance(1000);
    t.same((await realtime.ban(broadcastId, 'never-seen', '')).map((b) => [b.viewerId, b.name]), [['troll', '捣乱者'], ['never-seen', '']]);
    t.same((await realtime.unban(broadcastId, 'troll')).map((b) => b.viewerId), ['never-seen']);
    t.equal(await realtime.isBanned(broadcastId, 'troll'), false);
    t.equal((await realtime.ask(broadcastId, viewer('troll'), '我改了')).state, 'open');
  });

  t.test(`[${db}] settings default to chat on, no slow mode, no pre-review, and change field by field`, async (t) => {
    const { realtime, broadcastId, newBroadcast } = await setup(t, db);
    t.same((await realtime.facts(broadcastId))?.settings, { chat: true, slowModeSeconds: 0, preReview: false });
    t.same(await realtime.updateSettings(broadcastId, {}), { chat: true, slowModeSeconds: 0, preReview: false });
    t.same(await realtime.updateSettings(broadcastId, { slowModeSeconds: 5 }), { chat: true, slowModeSeconds: 5, preReview: false });
    t.same(await realtime.updateSettings(broadcastId, { chat: false }), { chat: false, slowModeSeconds: 5, preReview: false }, 'other fields are kept');
    t.same((await realtime.facts(await newBroadcast()))?.settings, { chat: true, slowModeSeconds: 0, preReview: false }, 'per broadcast');
  });

  t.test(`[${db}] audience: unique devices counted once, peak only rises, likes add up`, async (t) => {
    const { realtime, broadcastId } = await setup(t, db);
    await realtime.recordViewer(broadcastId, 'a');
    await realtime.recordViewer(broadcastId, 'b');
    await realtime.recordViewer(broadcastId, 'a');
    t.same(await realtime.recordAudience(broadcastId, 2), { peak: 2, total: 2 });
    t.same(await realtime.recordAudience(broadcastId, 1), { peak: 2, total: 2 }, 'the peak does not fall');
    t.equal(await realtime.addLikes(broadcastId, 5), 5);
    t.equal(await realtime.addLikes(broadcastId, 7), 12);
    t.equal(await realtime.addLikes(broadcastId, 0), 12);
    t.match(await realtime.view(broadcastId, viewer('a')), { likes: 12, viewers: { peak: 2, total: 2 } });
  });

  t.test(`[${db}] two processes adding likes and viewers to one broadcast at once lose none`, async (t) => {
    const { realtime, broadcastId, service } = await setup(t, db);
    const other = service();
    const adds = [];
    for (let i = 0; i < 40; i++) adds.push((i % 2 ? realtime : other).addLikes(broadcastId, 3));
    for (let i = 0; i < 30; i++) adds.push((i % 2 ? realtime : other).recordViewer(broadcastId, `device-${i % 15}`));
    for (let i = 0; i < 10; i++) adds.push((i % 2 ? realtime : other).recordAudience(broadcastId, 10 * i));
    await Promise.all(adds);
    t.equal(await realtime.addLikes(broadcastId, 1), 121);
    t.same(await other.recordAudience(broadcastId, 0), { peak: 90, total: 15 });
  });

  t.test(`[${db}] two processes: one upvote per viewer however they race, and one pinned question`, async (t) => {
    const { realtime, broadcastId, service } = await setup(t, db);
    const other = service();
    const question = await realtime.ask(broadcastId, viewer('a'), '问题');
    const votes = [];
    for (let i = 0; i < 30; i++) votes.push((i % 2 ? realtime : other).upvote(broadcastId, viewer(`v${i % 10}`), question.id));
    const results = await Promise.allSettled(votes);
    t.equal(results.filter((r) => r.status === 'fulfilled').length, 10, 'one upvote per viewer went through');
    t.ok(
      results.every((r) => r.status === 'fulfilled' || (r.reason as RealtimeError).code === 'ALREADY_UPVOTED'),
      'the others were told they had already upvoted',
    );
    t.equal((await realtime.view(broadcastId, viewer('x'))).questions[0]?.upvotes, 10);

    const more = [];
    for (let i = 0; i < 6; i++) more.push((await realtime.ask(broadcastId, viewer(`p${i}`), `问题${i}`)).id);
    await Promise.all(more.map((id, i) => (i % 2 ? realtime : other).pin(broadcastId, id)));
    const pinned = (await realtime.view(broadcastId, MODERATOR)).questions.filter((q) => q.pinned);
    t.equal(pinned.length, 1, 'exactly one question is pinned');
  });

  t.test(`[${db}] a new service on the same database finds everything: questions, upvotes, likes, audience, bans, settings`, async (t) => {
    const { realtime, broadcastId, service } = await setup(t, db);
    await realtime.updateSettings(broadcastId, { preReview: true, slowModeSeconds: 3 });
    const pending = await realtime.ask(broadcastId, viewer('a'), '待审核的问题');
    const open = await realtime.approve(broadcastId, (await realtime.ask(broadcastId, viewer('b'), '公开的问题')).id);
    await realtime.upvote(broadcastId, viewer('c'), open.id);
    await realtime.answer(broadcastId, open.id);
    await realtime.recordViewer(broadcastId, 'c');
    await realtime.recordViewer(broadcastId, 'd');
    await realtime.recordAudience(broadcastId, 2);
    await realtime.addLikes(broadcastId, 42);
    await realtime.ban(broadcastId, 'd', '广告');

    const restarted = service();
    const staffView = await restarted.view(broadcastId, MODERATOR);
    t.same(staffView.settings, { chat: true, slowModeSeconds: 3, preReview: true });
    t.same(staffView.questions.map((q) => [q.id, q.state, q.upvotes]), [[open.id, 'answered', 1], [pending.id, 'pending', 0]]);
    t.match(staffView, { likes: 42, viewers: { peak: 2, total: 4 } }, 'a, b asked, c, d opened the channel');
    t.same(staffView.bans?.map((b) => [b.viewerId, b.reason]), [['d', '广告']]);
    t.same((await restarted.view(broadcastId, viewer('c'))).upvoted, [open.id]);
    t.equal((await refusal(restarted.upvote(broadcastId, viewer('c'), open.id))).code, 'ALREADY_UPVOTED');
    t.equal(await restarted.isBanned(broadcastId, 'd'), true);
  });

  t.test(`[${db}] deleting a broadcast deletes what its channel kept`, async (t) => {
    const { realtime, broadcastId, store, newBroadcast } = await setup(t, db);
    const kept = await newBroadcast();
    for (const id of [broadcastId, kept]) {
      const q = await realtime.ask(id, viewer('a'), '问题');
      await realtime.upvote(id, viewer('b'), q.id);
      await realtime.chat(id, viewer('a'), '消息');
      await realtime.ban(id, 'c', '');
      await realtime.addLikes(id, 1);
      await realtime.updateSettings(id, { chat: false });
    }
    await store.db.delete(broadcasts).where(eq(broadcasts.id, broadcastId));
    t.equal(await realtime.facts(broadcastId), null);
    const view = await realtime.view(kept, MODERATOR);
    t.match(view, { likes: 1, settings: { chat: false } });
    t.equal(view.questions.length, 1);
    t.equal(view.chat.length, 1);
  });
}
