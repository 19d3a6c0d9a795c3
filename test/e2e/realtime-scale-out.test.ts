// Two control-plane processes (server/main.ts, as `npm start` runs it) on one PostgreSQL database and
// one Redis serve the same broadcast's channel: residents on either see the same events under the
// same numbers, and counts add up over both. No media node: the channel does not need one.
import t from 'tap';
import type { ServerMessage } from '../../server/contracts/realtime.ts';
import { ChannelSocket } from '../helpers/channel-socket.ts';
import { freshPostgresDatabase } from '../helpers/db.ts';
import { randomPort, startLinbo, tempDataDir } from '../helpers/linbo-process.ts';
import { deleteKeysAtEnd, redisUrl } from '../helpers/redis.ts';
import { until } from '../helpers/until.ts';

type Question = Extract<ServerMessage, { type: 'question.added' }>['question'];
const questionFrame = (text: string) => (f: ServerMessage): f is Extract<ServerMessage, { type: 'question.added' }> =>
  f.type === 'question.added' && f.question.text === text;
const upvotesOf = (socket: ChannelSocket, id: string) =>
  socket.frames.flatMap((f) => ((f.type === 'question.added' || f.type === 'question.updated') && f.question.id === id ? [f.question.upvotes] : [])).at(-1);

t.test('two processes serve one channel: questions cross over, counts add up, every viewer gets the same gap-free numbers', async (t) => {
  const database = await freshPostgresDatabase();
  t.teardown(() => database.drop());
  const env = { DATABASE_URL: database.url, REDIS_URL: redisUrl(), LOG_LEVEL: 'warn' };
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
  // Two residents on each process; each socket without a cookie is a device of its own.
  const viewers = [
    await ChannelSocket.open(t, 'A on process 1', channelOn(ports[0])),
    await ChannelSocket.open(t, 'B on process 2', channelOn(ports[1])),
    await ChannelSocket.open(t, 'C on process 1', channelOn(ports[0])),
    await ChannelSocket.open(t, 'D on process 2', channelOn(ports[1])),
  ];
  const [a, b, c, d] = viewers;
  const snapshots = viewers.map((v) => v.frames.find((f) => f.type === 'snapshot')!);
  t.same(new Set(snapshots.map((s) => s.seq)).size, 1, 'every snapshot is at the same seq');
  const startSeq = snapshots[0]!.seq;
  const startLikes = snapshots[0]!.type === 'snapshot' ? snapshots[0]!.likes.total : 0;

  b.send({ type: 'question.ask', text: '没有遗嘱,独生子女能继承全部财产吗?' });
  const fromTwo: Question = (await a.next('A on process 1 sees the question asked on process 2', questionFrame('没有遗嘱,独生子女能继承全部财产吗?'))).question;
  a.send({ type: 'question.ask', text: '社区的体检几点开始?' });
  const fromOne: Question = (await b.next('B on process 2 sees the question asked on process 1', questionFrame('社区的体检几点开始?'))).question;

  for (const viewer of viewers) viewer.send({ type: 'question.upvote', questionId: fromTwo.id });
  c.send({ type: 'question.upvote', questionId: fromOne.id });
  d.send({ type: 'question.upvote', questionId: fromOne.id });
  for (const viewer of viewers) {
    await until(`${viewer.name} sees four upvotes on the first question and two on the second`, () =>
      upvotesOf(viewer, fromTwo.id) === 4 && upvotesOf(viewer, fromOne.id) === 2);
  }

  a.send({ type: 'like', count: 3 });
  b.send({ type: 'like', count: 5 });
  d.send({ type: 'like', count: 2 });
  for (const viewer of viewers) {
    await viewer.latest(`${viewer.name} sees the likes from both processes added up`, 'likes', (f) => f.total === startLikes + 10);
    await viewer.latest(`${viewer.name} sees the four sockets on both processes`, 'viewers', (f) => f.now === 4);
  }

  // Every question event is numbered: 2 asked + 6 upvotes, one after the other from the snapshot's seq.
  const expected = a.publicEvents();
  t.same(expected.map((e) => Number(e.split(' ')[0])), Array.from({ length: 8 }, (_, i) => startSeq + 1 + i), 'seq runs on without a gap');
  for (const viewer of [b, c, d]) t.same(viewer.publicEvents(), expected, `${viewer.name} got the same events under the same numbers`);

  // C leaves process 1 and misses a question; back on process 2 with its last seq, it gets exactly that.
  const lastSeenByC = c.frames.at(-1)!.seq;
  const device = c.frames.find((f) => f.type === 'welcome')!;
  c.close();
  await b.latest('B sees C gone', 'viewers', (f) => f.now === 3);
  b.send({ type: 'question.ask', text: '讲座有回放吗?' });
  const missed = await a.next('A sees the question asked while C was away', questionFrame('讲座有回放吗?'));
  const cAgain = await ChannelSocket.open(t, 'C again, on process 2', channelOn(ports[1]), {
    lastSeq: lastSeenByC,
    device: device.type === 'welcome' ? device.device : undefined,
  });
  await cAgain.next('C gets the question it missed', questionFrame('讲座有回放吗?'));
  t.equal(missed.seq, lastSeenByC + 1, 'the one event after what C saw');
  t.notOk(cAgain.frames.some((f) => f.type === 'snapshot'), 'resumed without a snapshot');
  t.same(cAgain.publicEvents(), a.publicEvents().slice(-1), 'the event it missed, under the same seq');

  // Process 1 dies without closing its sockets: its viewers stop counting within seconds.
  await b.latest('B counts C again', 'viewers', (f) => f.now === 4);
  first.child.kill('SIGKILL');
  await first.exited;
  await b.latest('B no longer counts the viewers of the killed process', 'viewers', (f) => f.now === 3);
  d.send({ type: 'question.ask', text: '下周讲什么?' });
  const after = await b.next('process 2 goes on: B sees D\'s question', questionFrame('下周讲什么?'));
  t.equal(after.seq, missed.seq + 1, 'numbering goes on without a gap');
  t.equal(second.child.exitCode, null, 'process 2 still runs');
});
