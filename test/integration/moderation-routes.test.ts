// The realtime channel's REST side: the site-wide word list and a broadcast's audience numbers.
import t, { type Test } from 'tap';
import { DB_KINDS } from '../helpers/db.ts';
import { staff, startApp, type TestApp } from '../helpers/app.ts';
import { createBroadcast, createChannel } from '../helpers/schedule.ts';
import { RealtimeError } from '../../server/realtime/domain.ts';

const UNKNOWN = '00000000-0000-4000-8000-000000000000';
const viewer = (viewerId: string) => ({ viewerId, name: viewerId, role: 'viewer' as const });

function problem(t: Test, res: Awaited<ReturnType<TestApp['app']['inject']>>, status: number, code: string) {
  t.equal(res.statusCode, status, `${code}: ${res.body}`);
  t.match(res.headers['content-type'], /^application\/problem\+json/);
  t.equal(res.json().code, code);
}

for (const db of DB_KINDS) {
  t.test(`[${db}] an editor replaces the word list; the next question with a listed word is refused`, async (t) => {
    const ctx = await startApp(t, { db });
    const editor = await staff(ctx, 'editor');
    t.same((await ctx.app.inject({ url: '/api/moderation/words', headers: editor })).json(), { words: [] }, 'empty by default');
    const put = await ctx.app.inject({ method: 'PUT', url: '/api/moderation/words', headers: editor, payload: { words: [' 骗子 ', 'spam', 'ＳＰＡＭ', '   '] } });
    t.equal(put.statusCode, 200);
    t.same(put.json(), { words: ['spam', '骗子'] }, 'trimmed, blanks and duplicates dropped');
    t.same((await ctx.app.inject({ url: '/api/moderation/words', headers: await staff(ctx, 'admin') })).json(), { words: ['spam', '骗子'] });

    const channel = await createChannel(ctx, editor);
    const broadcast = await createBroadcast(ctx, editor, channel.id);
    t.equal(broadcast.state, 'scheduled');
    const refused = await ctx.services.realtime.ask(broadcast.id, viewer('a'), '他是骗 子').catch((err: unknown) => err);
    t.equal(refused instanceof RealtimeError && refused.code, 'WORD_FILTERED');

    t.same((await ctx.app.inject({ method: 'PUT', url: '/api/moderation/words', headers: editor, payload: { words: [] } })).json(), { words: [] });
    t.equal((await ctx.services.realtime.ask(broadcast.id, viewer('a'), '他是骗子')).state, 'open', 'an emptied list refuses nothing');
  });
}

for (const db of DB_KINDS) {
  t.test(`[${db}] two editors saving the word list at once: one whole list wins`, async (t) => {
    const ctx = await startApp(t, { db });
    const editor = await staff(ctx, 'editor');
    const admin = await staff(ctx, 'admin');
    const lists = [['骗子', '傻瓜', 'spam'], ['广告', '代购']];
    const saves = await Promise.all(
      Array.from({ length: 6 }, (_, i) => ctx.app.inject({ method: 'PUT', url: '/api/moderation/words', headers: i % 2 ? admin : editor, payload: { words: lists[i % 2] } })),
    );
    t.same(saves.map((r) => r.statusCode), [200, 200, 200, 200, 200, 200]);
    const stored = await ctx.services.realtime.words();
    t.ok(lists.some((list) => JSON.stringify([...list].sort()) === JSON.stringify([...stored].sort())), `one of the lists, whole: ${stored.join(',')}`);
  });
}

t.test('the word list is for editors and admins only', async (t) => {
  const ctx = await startApp(t);
  const host = await staff(ctx, 'host');
  problem(t, await ctx.app.inject({ url: '/api/moderation/words' }), 401, 'UNAUTHENTICATED');
  problem(t, await ctx.app.inject({ url: '/api/moderation/words', headers: host }), 403, 'FORBIDDEN');
  problem(t, await ctx.app.inject({ method: 'PUT', url: '/api/moderation/words', headers: host, payload: { words: ['x'] } }), 403, 'FORBIDDEN');
  problem(t, await ctx.app.inject({ method: 'PUT', url: '/api/moderation/words', payload: { words: ['x'] } }), 401, 'UNAUTHENTICATED');
  t.same(await ctx.services.realtime.words(), [], 'nothing was stored');
});

t.test('a word list that does not match the schema is refused as problem JSON and changes nothing', async (t) => {
  const ctx = await startApp(t);
  const editor = await staff(ctx, 'editor');
  await ctx.app.inject({ method: 'PUT', url: '/api/moderation/words', headers: editor, payload: { words: ['骗子'] } });
  for (const [name, payload] of [
    ['no words field', {}],
    ['words not a list', { words: '骗子' }],
    ['a word that is not a string', { words: [42] }],
    ['an empty word', { words: [''] }],
    ['a word over 50 characters', { words: ['长'.repeat(51)] }],
    ['more than 1000 words', { words: Array.from({ length: 1001 }, (_, i) => `w${i}`) }],
    ['an unknown field', { words: [], replace: true }],
  ] as const) {
    t.test(name, async (t) => problem(t, await ctx.app.inject({ method: 'PUT', url: '/api/moderation/words', headers: editor, payload }), 400, 'VALIDATION_FAILED'));
  }
  problem(t, await ctx.app.inject({ method: 'PUT', url: '/api/moderation/words', headers: { ...editor, 'content-type': 'application/json' }, payload: '{"words": [' }), 400, 'MALFORMED_JSON');
  t.same(await ctx.services.realtime.words(), ['骗子'], 'the stored list is unchanged');
});

for (const db of DB_KINDS) {
  t.test(`[${db}] staff read a broadcast's audience afterwards: likes, peak and total viewers, questions, answered`, async (t) => {
    const ctx = await startApp(t, { db });
    const editor = await staff(ctx, 'editor');
    const host = await staff(ctx, 'host', 'host1');
    const otherHost = await staff(ctx, 'host', 'host2');
    const channel = await createChannel(ctx, editor);
    const broadcast = await createBroadcast(ctx, editor, channel.id, { hostId: host.id });
    const url = `/api/broadcasts/${broadcast.id}/audience`;
    t.same((await ctx.app.inject({ url, headers: editor })).json(), { likes: 0, viewersPeak: 0, viewersTotal: 0, questions: 0, answered: 0 }, 'zero before anyone came');

    t.equal(broadcast.state, 'scheduled');
    const realtime = ctx.services.realtime;
    for (const device of ['a', 'b', 'c', 'a']) await realtime.recordViewer(broadcast.id, device);
    await realtime.recordAudience(broadcast.id, 3);
    await realtime.recordAudience(broadcast.id, 1);
    await realtime.addLikes(broadcast.id, 250);
    const q1 = await realtime.ask(broadcast.id, viewer('a'), '问题一');
    const q2 = await realtime.ask(broadcast.id, viewer('b'), '问题二');
    await realtime.ask(broadcast.id, viewer('c'), '问题三');
    await realtime.answer(broadcast.id, q1.id);
    await realtime.hide(broadcast.id, q2.id);

    const expected = { likes: 250, viewersPeak: 3, viewersTotal: 3, questions: 3, answered: 1 };
    t.same((await ctx.app.inject({ url, headers: editor })).json(), expected);
    t.same((await ctx.app.inject({ url, headers: host })).json(), expected, 'its host reads it too');
    problem(t, await ctx.app.inject({ url, headers: otherHost }), 403, 'NOT_ASSIGNED_HOST');
    problem(t, await ctx.app.inject({ url }), 401, 'UNAUTHENTICATED');
    problem(t, await ctx.app.inject({ url: `/api/broadcasts/${UNKNOWN}/audience`, headers: editor }), 404, 'BROADCAST_NOT_FOUND');
    problem(t, await ctx.app.inject({ url: '/api/broadcasts/42/audience', headers: editor }), 400, 'VALIDATION_FAILED');
  });
}

t.test('OpenAPI documents the word list and the audience routes', async (t) => {
  const ctx = await startApp(t);
  const doc = (await ctx.app.inject({ url: '/docs/json' })).json();
  t.ok(doc.paths['/api/moderation/words']?.get, 'GET words');
  t.ok(doc.paths['/api/moderation/words']?.put?.requestBody, 'PUT words with its body');
  t.ok(doc.paths['/api/broadcasts/{id}/audience']?.get?.responses?.['200'], 'GET audience with its response');
});
