// The realtime channel end to end: real `ws` clients against the app on a real port, over PGlite and
// PostgreSQL. What a resident's page and the host's studio rely on: hello, Q&A fan-out, counts,
// resuming without a gap, pre-review, state changes, and that a restart keeps what was said.
import t from 'tap';
import { startApp } from '../helpers/app.ts';
import { DB_KINDS, freshStore } from '../helpers/db.ts';
import { appOnStore, channelBroadcast, closeAll, joinChannel, ofType, openChannel, type Frame } from '../helpers/channel.ts';

const QUESTION = '没有遗嘱，独生子女能继承全部财产吗？';

for (const db of DB_KINDS) {
  t.test(`${db}: hello gets a welcome, then a snapshot of the broadcast`, async (t) => {
    const ctx = await startApp(t, { db, listen: true });
    const { url } = await channelBroadcast(ctx);
    const viewer = await joinChannel(url, { hello: { type: 'hello', name: '张阿姨' } });
    t.teardown(() => closeAll([viewer]));
    const [welcome, snapshot] = viewer.frames;
    t.equal(welcome!.type, 'welcome');
    t.equal(welcome!.role, 'viewer');
    t.equal(welcome!.name, '张阿姨');
    t.match(welcome!.viewerId, /^[A-Za-z0-9_-]{16}$/);
    t.not(welcome!.viewerId, welcome!.device, 'the public id is not the device token');
    t.match(viewer.setCookie, /^linbo_device=[A-Za-z0-9_-]+;.*HttpOnly/i, 'the device cookie is set on the upgrade');
    t.equal(snapshot!.type, 'snapshot');
    t.equal(snapshot!.state, 'live');
    t.same(snapshot!.questions, []);
    t.equal(snapshot!.seq, welcome!.seq);
  });

  t.test(`${db}: a question asked on one socket reaches another`, async (t) => {
    const ctx = await startApp(t, { db, listen: true });
    const { url } = await channelBroadcast(ctx);
    const asker = await joinChannel(url, { hello: { type: 'hello', name: '张阿姨' } });
    const other = await joinChannel(url);
    t.teardown(() => closeAll([asker, other]));
    asker.send({ type: 'question.ask', text: QUESTION });
    const added = await other.next('the other viewer did not see the question', ofType('question.added'));
    t.equal(added.question.text, QUESTION);
    t.equal(added.question.author.name, '张阿姨');
    t.equal(added.question.author.id, asker.frames[0]!.viewerId);
    t.equal(added.question.state, 'open');
    t.equal(added.seq, other.frames[0]!.seq + 1, 'the first event after the snapshot is the next seq');
  });

  t.test(`${db}: a restart keeps the questions, the likes total and the viewer statistics`, async (t) => {
    const store = await freshStore(db);
    t.teardown(() => store.close());
    const first = await appOnStore(t, store);
    const { url, id } = await channelBroadcast(first);
    const a = await joinChannel(url);
    const b = await joinChannel(url);
    a.send({ type: 'question.ask', text: QUESTION });
    a.send({ type: 'like', count: 7 });
    await b.next('b did not see the likes', (f) => f.type === 'likes' && f.total === 7);
    await b.next('b did not see two viewers', (f) => f.type === 'viewers' && f.now === 2);
    closeAll([a, b]);
    await first.app.close();

    const second = await appOnStore(t, store);
    const c = await joinChannel(`${second.url.replace(/^http/, 'ws')}/api/broadcasts/${id}/channel`);
    t.teardown(() => closeAll([c]));
    const snapshot = c.frames.find(ofType('snapshot'))!;
    t.same(
      snapshot.questions.map((q: Frame) => q.text),
      [QUESTION],
    );
    t.equal(snapshot.likes.total, 7);
    t.equal(snapshot.viewers.peak, 2, 'the peak of the first run');
    t.equal(snapshot.viewers.total, 2, 'the two devices of the first run (a device joining is counted at the next counts tick)');
    await c.next('the third device was not counted', (f) => f.type === 'viewers' && f.total === 3);
  });
}

t.test('an upvote counts once per viewer; the second is ALREADY_UPVOTED', async (t) => {
  const ctx = await startApp(t, { listen: true });
  const { url } = await channelBroadcast(ctx);
  const asker = await joinChannel(url);
  const voter = await joinChannel(url);
  t.teardown(() => closeAll([asker, voter]));
  asker.send({ type: 'question.ask', text: QUESTION });
  const { question } = await voter.next('no question', ofType('question.added'));
  voter.send({ type: 'question.upvote', questionId: question.id });
  const updated = await asker.next('the asker did not see the upvote', ofType('question.updated'));
  t.equal(updated.question.upvotes, 1);
  voter.send({ type: 'question.upvote', questionId: question.id });
  const refused = await voter.next('no refusal', ofType('error'));
  t.equal(refused.code, 'ALREADY_UPVOTED');
  t.equal(refused.ref, 'question.upvote');
});

t.test('likes are counted in batches: a likes total at most once a second, not one per tap', async (t) => {
  const ctx = await startApp(t, { listen: true });
  const { url } = await channelBroadcast(ctx);
  const tapper = await joinChannel(url);
  const watcher = await joinChannel(url);
  t.teardown(() => closeAll([tapper, watcher]));
  for (let i = 0; i < 10; i++) tapper.send({ type: 'like', count: 2 });
  await watcher.next('the watcher never saw the total of 20', (f) => f.type === 'likes' && f.total === 20);
  const totals = watcher.frames.filter(ofType('likes'));
  t.ok(totals.length < 10, `${totals.length} likes frames for 10 taps messages`);
  t.same(
    totals.map((f) => f.total),
    [...totals.map((f) => f.total)].sort((x, y) => x - y),
    'the total only grows',
  );
});

t.test('viewer counts: now, peak and distinct devices', async (t) => {
  const ctx = await startApp(t, { listen: true });
  const { url } = await channelBroadcast(ctx);
  const a = await joinChannel(url);
  const b = await joinChannel(url);
  await a.next('a did not see two viewers', (f) => f.type === 'viewers' && f.now === 2 && f.peak === 2 && f.total === 2);
  b.close();
  await a.next('a did not see b leave', (f) => f.type === 'viewers' && f.now === 1 && f.peak === 2);
  const cookie = a.setCookie!.split(';')[0]!;
  const again = await joinChannel(url, { headers: { cookie } });
  t.teardown(() => closeAll([a, again]));
  t.equal(again.frames[0]!.viewerId, a.frames[0]!.viewerId, 'the same device, the same viewer');
  const seen = await a.next('a did not see the same device come back', (f) => f.type === 'viewers' && f.now === 2);
  t.equal(seen.total, 2, 'the device returning is not a new viewer');
});

t.test('a client resuming with its lastSeq gets exactly the events it missed, then the live stream', async (t) => {
  const ctx = await startApp(t, { listen: true });
  const { url } = await channelBroadcast(ctx);
  const asker = await joinChannel(url);
  const leaver = await joinChannel(url);
  t.teardown(() => closeAll([asker, leaver]));
  const lastSeq = leaver.frames[1]!.seq;
  leaver.close();
  await leaver.closed;
  for (const n of [1, 2, 3]) {
    asker.send({ type: 'question.ask', text: `问题${n}` });
    await asker.next(`question ${n} not echoed`, (f) => f.type === 'question.added' && f.question.text === `问题${n}`);
  }
  const back = await openChannel(url, { hello: { type: 'hello', lastSeq } });
  t.teardown(() => closeAll([back]));
  await back.next('the replay did not arrive', (f) => f.type === 'question.added' && f.question.text === '问题3');
  t.equal(back.frames[0]!.type, 'welcome');
  t.notOk(back.frames.some(ofType('snapshot')), 'no snapshot when the events are kept');
  const missed = back.frames.filter(ofType('question.added'));
  t.same(
    missed.map((f) => [f.seq, f.question.text]),
    [
      [lastSeq + 1, '问题1'],
      [lastSeq + 2, '问题2'],
      [lastSeq + 3, '问题3'],
    ],
  );
  asker.send({ type: 'question.ask', text: '问题4' });
  const live = await back.next('the live stream did not follow', (f) => f.type === 'question.added' && f.question.text === '问题4');
  t.equal(live.seq, lastSeq + 4);
  t.equal(back.frames.filter(ofType('question.added')).length, 4, 'nothing twice');
});

t.test('a client too far behind, or ahead of a restarted server, gets a fresh snapshot', async (t) => {
  const ctx = await startApp(t, { listen: true });
  const { url, id } = await channelBroadcast(ctx);
  const bus = ctx.services.realtimeHub.bus;
  for (let i = 0; i < 1100; i++) await bus.publish(id, { type: 'state', state: 'live' });
  const behind = await openChannel(url, { hello: { type: 'hello', lastSeq: 1 } });
  const ahead = await openChannel(url, { hello: { type: 'hello', lastSeq: 99_999 } });
  t.teardown(() => closeAll([behind, ahead]));
  for (const client of [behind, ahead]) {
    const snapshot = await client.next('no snapshot', ofType('snapshot'));
    t.equal(snapshot.seq, await bus.lastSeq(id));
    t.notOk(client.frames.some(ofType('state')), 'no partial replay');
  }
});

t.test('pre-review: a question waits, seen by its author and moderators only, until approved', async (t) => {
  const ctx = await startApp(t, { listen: true });
  const { url, admin } = await channelBroadcast(ctx);
  const moderator = await joinChannel(url, { headers: { authorization: admin.authorization } });
  t.equal(moderator.frames[0]!.role, 'moderator');
  const asker = await joinChannel(url);
  const other = await joinChannel(url);
  t.teardown(() => closeAll([moderator, asker, other]));
  moderator.send({ type: 'settings.update', preReview: true });
  await other.next('the settings did not reach viewers', (f) => f.type === 'settings' && f.settings.preReview === true);
  const mark = other.frames.length;
  asker.send({ type: 'question.ask', text: QUESTION });
  const own = await asker.next('the author did not see its pending question', ofType('question.added'));
  t.equal(own.question.state, 'pending');
  const queued = await moderator.next('the moderator did not see the pending question', ofType('question.added'));
  t.equal(queued.question.id, own.question.id);
  moderator.send({ type: 'question.approve', questionId: own.question.id });
  const approved = await other.next('the other viewer did not see it approved', ofType('question.added'), mark);
  t.equal(approved.question.state, 'open');
  t.notOk(
    other.frames.some((f) => f.question?.state === 'pending'),
    'the other viewer never saw it pending',
  );
});

t.test('every open page hears the broadcast go live and end', async (t) => {
  const ctx = await startApp(t, { listen: true });
  const { url, id, admin } = await channelBroadcast(ctx, { live: false });
  const viewer = await joinChannel(url);
  t.teardown(() => closeAll([viewer]));
  t.equal(viewer.frames[1]!.state, 'scheduled');
  for (const [action, state] of [
    ['start', 'live'],
    ['end', 'ended'],
  ] as const) {
    const res = await ctx.app.inject({ method: 'POST', url: `/api/broadcasts/${id}/${action}`, headers: { authorization: admin.authorization } });
    t.equal(res.statusCode, 200);
    await viewer.next(`the viewer did not hear ${state}`, (f) => f.type === 'state' && f.state === state);
  }
});

t.test('an unknown broadcast is closed 4004; a plain GET is told to upgrade; the API docs list the endpoint', async (t) => {
  const ctx = await startApp(t, { listen: true });
  const client = await openChannel(`${ctx.url.replace(/^http/, 'ws')}/api/broadcasts/00000000-0000-4000-8000-000000000000/channel`);
  t.equal((await client.closed).code, 4004);
  const res = await fetch(`${ctx.url}/api/broadcasts/00000000-0000-4000-8000-000000000000/channel`);
  t.equal(res.status, 426);
  t.equal((await res.json()).code, 'UPGRADE_REQUIRED');
  const openapi = (await ctx.app.inject({ method: 'GET', url: '/docs/json' })).json();
  t.match(openapi.paths['/api/broadcasts/{id}/channel'].get.description, /docs\/realtime\.md/, 'the API docs point to the protocol');
});

t.test('the session cookie makes a moderator only from our own pages; a bearer token from anywhere', async (t) => {
  const ctx = await startApp(t, { listen: true });
  const { url, admin } = await channelBroadcast(ctx);
  const session = `linbo_session=${admin.authorization.slice('Bearer '.length)}`;
  const own = await joinChannel(url, { headers: { cookie: session, origin: ctx.url } });
  const elsewhere = await joinChannel(url, { headers: { cookie: session, origin: 'https://evil.example' } });
  const api = await joinChannel(url, { headers: { authorization: admin.authorization, origin: 'https://evil.example' } });
  t.teardown(() => closeAll([own, elsewhere, api]));
  t.equal(own.frames[0]!.role, 'moderator');
  t.equal(elsewhere.frames[0]!.role, 'viewer', 'a page on another site gets a viewer');
  t.equal(api.frames[0]!.role, 'moderator');
});
