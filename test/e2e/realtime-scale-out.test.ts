// Two control-plane processes (server/main.ts, as `npm start` runs it) on one PostgreSQL database and
// one Redis serve the same broadcast's channel: residents on either see the same events under the
// same numbers, and counts add up over both. No media node: the channel does not need one.
import t from 'tap';
import { closeAll, joinChannel, openChannel, type ChannelClient, type Frame } from '../helpers/channel.ts';
import { freshPostgresDatabase } from '../helpers/db.ts';
import { randomPort, startLinbo, tempDataDir } from '../helpers/linbo-process.ts';
import { cutRedisConnectionsOf, deleteKeysAtEnd, redisClient, redisUrl } from '../helpers/redis.ts';
import { until } from '../helpers/until.ts';

/** The frames numbered one by one (docs/realtime.md); the others repeat the latest seq. */
const PUBLIC_TYPES = new Set(['question.added', 'question.updated', 'chat.message', 'chat.hidden', 'state', 'settings']);

/** A resident's numbered events as `seq type question upvotes`, in the order they arrived. */
const publicEvents = (client: ChannelClient) =>
  client.frames.filter((f) => PUBLIC_TYPES.has(f.type)).map((f) => `${f.seq} ${f.type} ${f.question?.id ?? ''} ${f.question?.upvotes ?? ''}`);
const asked = (text: string) => (f: Frame) => f.type === 'question.added' && f.question.text === text;
const upvotesOf = (client: ChannelClient, id: string) =>
  client.frames.filter((f) => f.type.startsWith('question.') && f.question.id === id).at(-1)?.question.upvotes;
/** The latest count of `type` a resident received, once it satisfies `ok`. */
const latest = (reason: string, client: ChannelClient, type: 'viewers' | 'likes', ok: (f: Frame) => boolean) =>
  until(reason, () => {
    const last = client.frames.findLast((f) => f.type === type);
    return last && ok(last) ? last : undefined;
  });

t.test('two processes serve one channel: questions cross over, counts add up, every resident gets the same gap-free numbers', async (t) => {
  const database = await freshPostgresDatabase();
  t.teardown(() => database.drop());
  const env = { DATABASE_URL: database.url, REDIS_URL: redisUrl() };
  const ports = [randomPort(), randomPort()];
  // The first seeds the demo broadcasts; the second finds them in the shared database.
  const first = startLinbo(t, { dataDir: tempDataDir(t), port: ports[0], media: false, env });
  const countdown = await until('process 1 prints the demo countdown', () => /Demo broadcast countdown: \S+\/countdown\/([0-9a-f-]{36})/.exec(first.output()), 60_000, 100);
  const broadcastId = countdown[1];
  deleteKeysAtEnd(t, `linbo:bc:${broadcastId}*`);
  const second = startLinbo(t, { dataDir: tempDataDir(t), port: ports[1], media: false, env });
  await until('process 2 answers', async () => (await fetch(`http://127.0.0.1:${ports[1]}/healthz`).catch(() => null))?.ok, 60_000, 100);

  const broadcast = await (await fetch(`http://127.0.0.1:${ports[0]}/api/broadcasts/${broadcastId}`)).json();
  const channelOn = (port: string) => {
    const url = new URL(broadcast.links.channel);
    url.hostname = '127.0.0.1';
    url.port = port;
    return url.href;
  };
  // Two residents on each process (A, C on 1; B, D on 2); a socket without a cookie is a device of its own.
  const clients: ChannelClient[] = [];
  t.teardown(() => closeAll(clients));
  const join = async (port: string) => {
    const client = await joinChannel(channelOn(port));
    clients.push(client);
    return client;
  };
  const [a, b, c, d] = [await join(ports[0]), await join(ports[1]), await join(ports[0]), await join(ports[1])];
  const residents = { A: a, B: b, C: c, D: d };
  const snapshots = [a, b, c, d].map((client) => client.frames.find((f) => f.type === 'snapshot')!);
  t.same(new Set(snapshots.map((s) => s.seq)).size, 1, 'every snapshot is at the same seq');
  const startSeq = snapshots[0]!.seq;
  const startLikes = snapshots[0]!.likes.total;

  b.send({ type: 'question.ask', text: '没有遗嘱,独生子女能继承全部财产吗?' });
  const fromTwo = (await a.next('A on process 1 sees the question asked on process 2', asked('没有遗嘱,独生子女能继承全部财产吗?'))).question;
  a.send({ type: 'question.ask', text: '社区的体检几点开始?' });
  const fromOne = (await b.next('B on process 2 sees the question asked on process 1', asked('社区的体检几点开始?'))).question;

  for (const client of [a, b, c, d]) client.send({ type: 'question.upvote', questionId: fromTwo.id });
  c.send({ type: 'question.upvote', questionId: fromOne.id });
  d.send({ type: 'question.upvote', questionId: fromOne.id });
  for (const [name, client] of Object.entries(residents)) {
    await until(`${name} sees four upvotes on the first question and two on the second`, () =>
      upvotesOf(client, fromTwo.id) === 4 && upvotesOf(client, fromOne.id) === 2);
  }

  a.send({ type: 'like', count: 3 });
  b.send({ type: 'like', count: 5 });
  d.send({ type: 'like', count: 2 });
  for (const [name, client] of Object.entries(residents)) {
    await latest(`${name} sees the likes from both processes added up`, client, 'likes', (f) => f.total === startLikes + 10);
    await latest(`${name} sees the four sockets on both processes`, client, 'viewers', (f) => f.now === 4);
  }

  // Process 2 loses Redis for a moment while questions are asked on process 1: its residents miss none.
  t.ok((await cutRedisConnectionsOf(redisClient(t), second.child.pid!)) >= 2, "process 2's connections to Redis were cut");
  const duringCut = ['停车场晚上开放吗?', '老年食堂周末开吗?', '哪里可以打疫苗?'];
  for (const text of duringCut) a.send({ type: 'question.ask', text });
  for (const [name, client] of Object.entries(residents)) {
    for (const text of duringCut) await client.next(`${name} sees "${text}", asked while process 2 reconnected`, asked(text));
  }

  // Every question event is numbered: 5 asked + 6 upvotes, one after the other from the snapshot's seq.
  const expected = publicEvents(a);
  t.same(expected.map((e) => Number(e.split(' ')[0])), Array.from({ length: 11 }, (_, i) => startSeq + 1 + i), 'seq runs on without a gap');
  for (const [name, client] of Object.entries({ B: b, C: c, D: d })) {
    t.same(publicEvents(client), expected, `${name} got the same events under the same numbers`);
  }

  // C leaves process 1 and misses a question; back on process 2 with its last seq, it gets exactly that.
  const lastSeenByC = c.frames.at(-1)!.seq;
  const device = c.frames.find((f) => f.type === 'welcome')!.device;
  c.close();
  await latest('B sees C gone', b, 'viewers', (f) => f.now === 3);
  b.send({ type: 'question.ask', text: '讲座有回放吗?' });
  const missed = await a.next('A sees the question asked while C was away', asked('讲座有回放吗?'));
  const cAgain = await openChannel(channelOn(ports[1]), { hello: { type: 'hello', lastSeq: lastSeenByC, device } });
  clients.push(cAgain);
  await cAgain.next('C, back on process 2, gets the question it missed', asked('讲座有回放吗?'));
  t.equal(missed.seq, lastSeenByC + 1, 'the one event after what C saw');
  t.notOk(cAgain.frames.some((f) => f.type === 'snapshot'), 'resumed without a snapshot');
  t.same(publicEvents(cAgain), publicEvents(a).slice(-1), 'the event it missed, under the same seq');

  // Process 1 dies without closing its sockets: its residents stop counting within seconds.
  await latest('B counts C again', b, 'viewers', (f) => f.now === 4);
  first.child.kill('SIGKILL');
  await first.exited;
  await latest('B no longer counts the residents of the killed process', b, 'viewers', (f) => f.now === 3);
  d.send({ type: 'question.ask', text: '下周讲什么?' });
  const after = await b.next("process 2 goes on: B sees D's question", asked('下周讲什么?'));
  t.equal(after.seq, missed.seq + 1, 'numbering goes on without a gap');
  t.equal(second.child.exitCode, null, 'process 2 still runs');
});
