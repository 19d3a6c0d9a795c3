// Joining the channel cheaply (a gala crowd opening the page at once): the domain's batch recording of
// devices and one-query own view, and the channel end to end: joins share one read of the snapshot
// while no event arrived, yet see every event exactly once; the unique total counts each device once
// across counts ticks and processes; a ban made on another process keeps the device out.
import t from 'tap';
import { eq } from 'drizzle-orm';
import { DB_KINDS, freshPostgresDatabase, freshStore } from '../helpers/db.ts';
import { deleteKeysAtEnd, redisUrl } from '../helpers/redis.ts';
import { appOnStore, channelBroadcast, closeAll, joinChannel, ofType, openChannel, type ChannelClient, type Frame } from '../helpers/channel.ts';
import { until } from '../helpers/until.ts';
import { postgresStore, type Store } from '../../server/store/db.ts';
import { broadcastAudience } from '../../server/store/schema.ts';
import { CLOSE } from '../../server/contracts/realtime.ts';
import type { Actor } from '../../server/realtime/domain.ts';
import { RealtimeService } from '../../server/realtime/service.ts';
import { RealtimeStore } from '../../server/realtime/store.ts';
import { AudienceStore } from '../../server/realtime/audience-store.ts';
import { systemClock } from '../../server/clock.ts';

const viewer = (viewerId: string): Actor => ({ viewerId, name: `居民${viewerId}`, role: 'viewer' });
/** Many sockets from one address, as the test's clients all are. */
const CROWD_ENV = { LINBO_WS_MAX_PER_IP: '1000', LINBO_WS_RATE_PER_IP: '100000', LINBO_WS_RATE_PER_SOCKET: '1000' };


async function storedTotal(store: Store, broadcastId: string): Promise<number> {
  const [row] = await store.db.select({ total: broadcastAudience.viewersTotal }).from(broadcastAudience).where(eq(broadcastAudience.broadcastId, broadcastId));
  return row?.total ?? 0;
}

/**
 * What is wrong with what a client saw of question `text` after its snapshot, or null: numbered
 * frames must follow the snapshot's seq without a gap or a repeat, and the question must be in the
 * snapshot or arrive live once (both is allowed: an event after the snapshot's seq that the stored
 * view already showed applies again as the upsert it is).
 */
function notOnce(client: ChannelClient, text: string): string | null {
  const snapshot = client.frames.find(ofType('snapshot'))!;
  const seqs = client.frames.filter((f: Frame) => f.type.startsWith('question.') && f.seq > 0).map((f) => f.seq);
  if (!seqs.every((seq, i) => seq === snapshot.seq + i + 1)) return `frames ${seqs.join(',')} after a snapshot at ${snapshot.seq}`;
  const inSnapshot = snapshot.questions.some((q: Frame) => q.text === text);
  const live = client.frames.filter((f) => f.question?.text === text).length;
  if (live > 1 || (!inSnapshot && live === 0)) return `${text}: in the snapshot ${inSnapshot}, live ${live} times`;
  return null;
}

for (const db of DB_KINDS) {
  t.test(`[${db}] devices recorded in batches count once, across batches and two processes`, async (t) => {
    const store = await freshStore(db);
    t.teardown(() => store.close());
    const app = await appOnStore(t, store);
    const { id } = await channelBroadcast(app);
    const service = () => new RealtimeService({ realtime: new RealtimeStore(store.db), audience: new AudienceStore(store.db) }, { clock: systemClock });
    const [one, two] = [service(), service()];
    t.equal(await one.recordViewers(id, ['a', 'b', 'a']), 2, 'a batch repeating a device counts it once');
    const [x, y] = await Promise.all([one.recordViewers(id, ['b', 'c', 'd']), two.recordViewers(id, ['c', 'd', 'e'])]);
    t.equal(x + y, 3, 'c, d and e are new once between the two');
    await one.recordViewer(id, 'e');
    t.equal(await two.recordViewers(id, []), 0);
    t.equal(await storedTotal(store, id), 5);
    const many = Array.from({ length: 12_000 }, (_, i) => `device-${i}`);
    t.equal(await one.recordViewers(id, many), 12_000, 'more devices than one statement takes');
    t.equal(await storedTotal(store, id), 12_005);
  });

  t.test(`[${db}] a viewer's own part of its snapshot: its upvotes and its own pending questions`, async (t) => {
    const store = await freshStore(db);
    t.teardown(() => store.close());
    const app = await appOnStore(t, store);
    const { id } = await channelBroadcast(app);
    const realtime = app.services.realtime;
    const open = await realtime.ask(id, viewer('a'), '公开的问题');
    const other = await realtime.ask(id, viewer('b'), '另一个问题');
    await realtime.upvote(id, viewer('c'), open.id);
    await realtime.updateSettings(id, { preReview: true });
    const mine = await realtime.ask(id, viewer('c'), '我待审的问题');
    await realtime.ask(id, viewer('d'), '别人待审的问题');
    await realtime.upvote(id, viewer('d'), other.id);
    const own = await realtime.ownView(id, 'c');
    t.same(own.upvoted, [open.id]);
    t.same(
      own.pending.map((q) => q.id),
      [mine.id],
    );
    t.same(await realtime.ownView(id, 'never-here'), { upvoted: [], pending: [] });
    const view = await realtime.view(id, viewer('c'));
    t.same(
      view.questions.map((q) => q.text),
      ['公开的问题', '另一个问题', '我待审的问题'],
      'the published ones by upvotes, then its own pending one',
    );
    const shared = await realtime.sharedView(id);
    t.same(
      shared.questions.map((q) => q.text),
      ['公开的问题', '另一个问题'],
      'the shared part has no pending question',
    );
    t.equal(shared.nothingOwn, false);
    t.notOk('nothingOwn' in view, 'the flag is not part of a viewer’s view');
  });

  t.test(`[${db}] the shared part says when no viewer has anything of its own: no upvote, no question waiting`, async (t) => {
    const store = await freshStore(db);
    t.teardown(() => store.close());
    const app = await appOnStore(t, store);
    const { id } = await channelBroadcast(app);
    const realtime = app.services.realtime;
    const question = await realtime.ask(id, viewer('a'), '公开的问题');
    t.equal((await realtime.sharedView(id)).nothingOwn, true, 'a published question is nobody’s own part');
    await realtime.updateSettings(id, { preReview: true });
    const pending = await realtime.ask(id, viewer('b'), '待审');
    t.equal((await realtime.sharedView(id)).nothingOwn, false, 'a question waiting for review');
    await realtime.approve(id, pending.id);
    t.equal((await realtime.sharedView(id)).nothingOwn, true);
    await realtime.upvote(id, viewer('c'), question.id);
    t.equal((await realtime.sharedView(id)).nothingOwn, false, 'an upvote');
  });
}

t.test('200 sockets joining at once share one snapshot read and see a question asked meanwhile exactly once', async (t) => {
  const store = await freshStore('postgres');
  t.teardown(() => store.close());
  const app = await appOnStore(t, store, CROWD_ENV);
  const { url, id } = await channelBroadcast(app);
  const asker = await joinChannel(url);
  t.teardown(() => closeAll([asker]));
  asker.send({ type: 'question.ask', text: '开场前的问题' });
  await asker.next('the first question was not echoed', ofType('question.added'));
  const realtime = app.services.realtime;
  const sharedView = realtime.sharedView.bind(realtime);
  let reads = 0;
  realtime.sharedView = (broadcastId) => {
    reads++;
    return sharedView(broadcastId);
  };
  t.teardown(() => {
    realtime.sharedView = sharedView;
  });
  const crowd = await Promise.all(Array.from({ length: 100 }, () => openChannel(url)));
  asker.send({ type: 'question.ask', text: '人潮中的问题' });
  crowd.push(...(await Promise.all(Array.from({ length: 100 }, () => openChannel(url)))));
  t.teardown(() => closeAll(crowd));
  await Promise.all(crowd.map((client) => client.next('no snapshot', ofType('snapshot'))));
  t.ok(reads >= 1 && reads <= 2, `${reads} reads of the shared snapshot for 200 joins and one event`);
  for (const client of crowd) {
    const snapshot = client.frames.find(ofType('snapshot'))!;
    t.ok(
      snapshot.questions.some((q: Frame) => q.text === '开场前的问题'),
      'the question asked before is in every snapshot',
    );
  }
  await until('not every socket saw the question asked meanwhile', () =>
    crowd.every((client) => client.frames.find(ofType('snapshot'))!.questions.some((q: Frame) => q.text === '人潮中的问题') || client.frames.some((f) => f.question?.text === '人潮中的问题')),
  );
  asker.send({ type: 'question.ask', text: '之后的问题' });
  await Promise.all(crowd.map((client) => client.next('the next event did not arrive', (f) => f.question?.text === '之后的问题')));
  const problems = crowd.map((client) => notOnce(client, '人潮中的问题') ?? notOnce(client, '之后的问题')).filter((problem) => problem !== null);
  t.same(problems, [], 'every socket saw each question once, in order');
});

t.test('a socket joining right after an event sees it, in its snapshot or as a live frame, and once', async (t) => {
  const store = await freshStore('postgres');
  t.teardown(() => store.close());
  const app = await appOnStore(t, store, CROWD_ENV);
  const { url } = await channelBroadcast(app);
  const asker = await joinChannel(url);
  t.teardown(() => closeAll([asker]));
  const joined: ChannelClient[] = [];
  t.teardown(() => closeAll(joined));
  for (let n = 0; n < 10; n++) {
    asker.send({ type: 'question.ask', text: `问题${n}` });
    const client = await openChannel(url);
    joined.push(client);
    await asker.next(`question ${n} not echoed`, (f) => f.question?.text === `问题${n}`);
    const seen = (c: ChannelClient) => c.frames.find(ofType('snapshot'))?.questions.some((q: Frame) => q.text === `问题${n}`) || c.frames.some((f) => f.question?.text === `问题${n}`);
    await until(`the socket opened right after question ${n} never saw it`, () => seen(client));
  }
  asker.send({ type: 'question.ask', text: '最后' });
  await Promise.all(joined.map((client) => client.next('the last question did not arrive', (f) => f.question?.text === '最后')));
  t.same(
    joined.map((client, i) => notOnce(client, `问题${i}`)).filter((problem) => problem !== null),
    [],
    'each socket saw the question asked right before it opened once',
  );
});

t.test('a device that asked for review or upvoted finds it in its snapshot when it comes back, after joins that skipped the own part', async (t) => {
  const store = await freshStore('postgres');
  t.teardown(() => store.close());
  const app = await appOnStore(t, store, CROWD_ENV);
  const { url, admin } = await channelBroadcast(app);
  const moderator = await joinChannel(url, { headers: { authorization: admin.authorization } });
  const clients: ChannelClient[] = [moderator];
  t.teardown(() => closeAll(clients));
  const join = async (cookie?: string) => {
    const client = await joinChannel(url, cookie ? { headers: { cookie } } : {});
    clients.push(client);
    return client;
  };
  moderator.send({ type: 'settings.update', preReview: true });
  await moderator.next('the settings did not change', (f) => f.type === 'settings' && f.settings.preReview);
  const asker = await join();
  const early = await join();
  t.same(early.frames.find(ofType('snapshot'))!.upvoted, [], 'nobody has anything of their own yet');
  asker.send({ type: 'question.ask', text: '待审的问题' });
  const pending = await asker.next('the author did not see its question', ofType('question.added'));
  await moderator.next('the moderator did not see the question', ofType('question.added'));
  const askerBack = await join(asker.setCookie!.split(';')[0]);
  t.same(
    askerBack.frames.find(ofType('snapshot'))!.questions.map((q: Frame) => [q.id, q.state]),
    [[pending.question.id, 'pending']],
    'its question waiting for review is in its snapshot',
  );
  t.same((await join()).frames.find(ofType('snapshot'))!.questions, [], 'not in anybody else’s');
  moderator.send({ type: 'question.approve', questionId: pending.question.id });
  await early.next('the approval did not arrive', (f) => f.type === 'question.added' && f.question.state === 'open');
  early.send({ type: 'question.upvote', questionId: pending.question.id });
  await moderator.next('the upvote did not arrive', (f) => f.type === 'question.updated' && f.question.upvotes === 1);
  const earlyBack = await join(early.setCookie!.split(';')[0]);
  t.same(earlyBack.frames.find(ofType('snapshot'))!.upvoted, [pending.question.id], 'its upvote is in its snapshot');
  t.same((await join()).frames.find(ofType('snapshot'))!.upvoted, [], 'not in anybody else’s');
});

t.test('two processes: each device counts once towards the total, whichever process and tick records it', async (t) => {
  const database = await freshPostgresDatabase();
  t.teardown(() => database.drop());
  const stores = [postgresStore(database.url), postgresStore(database.url)];
  t.teardown(() => Promise.all(stores.map((store) => store.close())));
  const env = { REDIS_URL: redisUrl(), ...CROWD_ENV };
  const [one, two] = [await appOnStore(t, stores[0]!, env), await appOnStore(t, stores[1]!, env)];
  const { id } = await channelBroadcast(one!);
  deleteKeysAtEnd(t, `linbo:bc:${id}:*`);
  const on = (app: typeof one) => `${app!.url.replace(/^http/, 'ws')}/api/broadcasts/${id}/channel`;
  const clients: ChannelClient[] = [];
  t.teardown(() => closeAll(clients));
  const join = async (app: typeof one, cookie?: string) => {
    const client = await joinChannel(on(app), cookie ? { headers: { cookie } } : {});
    clients.push(client);
    return client;
  };
  // Each of five devices opens a socket on both processes at once, a sixth on one only.
  const first = await Promise.all([0, 1, 2, 3, 4, 5].map(() => join(one)));
  const cookies = first.map((client) => client.setCookie!.split(';')[0]!);
  await Promise.all(cookies.slice(0, 5).map((cookie) => join(two, cookie)));
  await until('the total never reached 6 in the database', async () => (await storedTotal(stores[0]!, id)) === 6);
  // A later tick: the same devices again, on the other process, and one new device.
  const [again] = await Promise.all([join(two, cookies[5]), join(one, cookies[0]), join(two)]);
  await again!.next('the total did not reach 7', (f) => f.type === 'viewers' && f.total === 7);
  await until('the total was not 7 on both processes', () => clients.every((c) => c.frames.some((f) => f.type === 'viewers' && f.total === 7)));
  t.equal(await storedTotal(stores[0]!, id), 7, 'six devices, then one new: seven');
  t.notOk(
    clients.some((c) => c.frames.some((f) => f.type === 'viewers' && f.total > 7)),
    'no socket ever saw a device counted twice',
  );
});

t.test('a ban made on another process keeps the banned device out of a new socket', async (t) => {
  const database = await freshPostgresDatabase();
  t.teardown(() => database.drop());
  const stores = [postgresStore(database.url), postgresStore(database.url)];
  t.teardown(() => Promise.all(stores.map((store) => store.close())));
  const env = { REDIS_URL: redisUrl() };
  const [one, two] = [await appOnStore(t, stores[0]!, env), await appOnStore(t, stores[1]!, env)];
  const { id, admin } = await channelBroadcast(one!);
  deleteKeysAtEnd(t, `linbo:bc:${id}:*`);
  const on = (app: typeof one) => `${app!.url.replace(/^http/, 'ws')}/api/broadcasts/${id}/channel`;
  const moderator = await joinChannel(on(one), { headers: { authorization: admin.authorization } });
  const troll = await joinChannel(on(two));
  const bystander = await joinChannel(on(two));
  const clients = [moderator, troll, bystander];
  t.teardown(() => closeAll(clients));
  const cookie = troll.setCookie!.split(';')[0]!;
  const viewerId = troll.frames[0]!.viewerId;
  moderator.send({ type: 'viewer.ban', viewerId, reason: '刷屏' });
  t.equal((await troll.closed).code, CLOSE.BANNED, "the troll's socket on the other process is closed");
  const back = await openChannel(on(two), { headers: { cookie } });
  clients.push(back);
  const refused = await back.next('the banned device was let back in', ofType('error'));
  t.equal(refused.code, 'BANNED');
  t.equal((await back.closed).code, CLOSE.BANNED);
  t.notOk(back.frames.some(ofType('snapshot')), 'it got no snapshot');
  t.equal(bystander.ws.readyState, bystander.ws.OPEN, 'the other viewer on that process stays');
  // A channel opened after the ban reads the list: the other process, with none of its sockets left.
  bystander.close();
  await bystander.closed;
  const later = await openChannel(on(two), { headers: { cookie } });
  clients.push(later);
  t.equal((await later.closed).code, CLOSE.BANNED, 'refused by a channel opened after the ban too');
});
