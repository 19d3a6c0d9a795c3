// Bad input and abuse on the realtime channel: each gets an error frame with a stable code or a
// close with a reason, and the other viewers on the channel are unaffected.
import t from 'tap';
import { startApp } from '../helpers/app.ts';
import { channelBroadcast, closeAll, joinChannel, ofType, openChannel, type ChannelClient } from '../helpers/channel.ts';

const errorAfter = (client: ChannelClient, reason: string, mark: number) => client.next(reason, ofType('error'), mark);

t.test('malformed JSON, unknown types, invalid fields and messages before hello are refused by code; the socket stays usable', async (t) => {
  const ctx = await startApp(t, { listen: true });
  const { url } = await channelBroadcast(ctx);
  const client = await openChannel(url, { hello: null });
  t.teardown(() => closeAll([client]));
  const refusals: [string | object, string][] = [
    [{ type: 'question.ask', text: '先问' }, 'HELLO_FIRST'],
    ['{"type": "hello"', 'MALFORMED_JSON'],
    ['[1, 2]', 'MALFORMED_JSON'],
    [{ type: 'question.delete', questionId: 'x' }, 'UNKNOWN_TYPE'],
    [{ text: 'no type' }, 'UNKNOWN_TYPE'],
    [{ type: 'hello', name: '' }, 'INVALID_MESSAGE'],
    [{ type: 'hello', extra: true }, 'INVALID_MESSAGE'],
  ];
  for (const [sent, code] of refusals) {
    const mark = client.frames.length;
    client.ws.send(typeof sent === 'string' ? sent : JSON.stringify(sent));
    const error = await errorAfter(client, `no refusal of ${JSON.stringify(sent)}`, mark);
    t.equal(error.code, code, JSON.stringify(sent));
  }
  client.send({ type: 'hello' });
  await client.next('hello after refusals got no snapshot', ofType('snapshot'));
  for (const [sent, code] of [
    [{ type: 'question.ask', text: '' }, 'INVALID_MESSAGE'],
    [{ type: 'question.upvote', questionId: 'not-a-uuid' }, 'INVALID_MESSAGE'],
    [{ type: 'like', count: 51 }, 'INVALID_MESSAGE'],
    [{ type: 'hello' }, 'HELLO_FIRST'],
  ] as const) {
    const mark = client.frames.length;
    client.send(sent);
    t.equal((await errorAfter(client, `no refusal of ${JSON.stringify(sent)}`, mark)).code, code, JSON.stringify(sent));
  }
  client.send({ type: 'question.ask', text: '还能问吗？' });
  await client.next('the socket did not work after the refusals', (f) => f.type === 'question.added' && f.question.text === '还能问吗？');
});

t.test('a frame over the size limit closes the socket with 1009', async (t) => {
  const ctx = await startApp(t, { listen: true });
  const { url } = await channelBroadcast(ctx);
  const client = await joinChannel(url);
  client.ws.send(JSON.stringify({ type: 'question.ask', text: 'x'.repeat(5000) }));
  t.equal((await client.closed).code, 1009);
});

t.test('a flood is RATE_LIMITED, then closed 4029, while another viewer keeps asking', async (t) => {
  const ctx = await startApp(t, { listen: true });
  const { url } = await channelBroadcast(ctx);
  const flooder = await joinChannel(url);
  const neighbour = await joinChannel(url);
  t.teardown(() => closeAll([flooder, neighbour]));
  for (let i = 0; i < 200; i++) flooder.send({ type: 'like', count: 1 });
  const limited = await flooder.next('the flooder was never limited', ofType('error'));
  t.equal(limited.code, 'RATE_LIMITED');
  t.ok(limited.retryAfterMs > 0, 'says when to try again');
  t.equal((await flooder.closed).code, 4029);
  neighbour.send({ type: 'question.ask', text: '邻居的问题' });
  await neighbour.next('the neighbour was affected', (f) => f.type === 'question.added');
  t.notOk(neighbour.frames.some(ofType('error')), 'the neighbour was never refused');
});

t.test('a viewer sending a host action is FORBIDDEN', async (t) => {
  const ctx = await startApp(t, { listen: true });
  const { url } = await channelBroadcast(ctx);
  const viewer = await joinChannel(url);
  t.teardown(() => closeAll([viewer]));
  viewer.send({ type: 'question.ask', text: '问题' });
  const { question } = await viewer.next('no question', ofType('question.added'));
  viewer.send({ type: 'question.answer', questionId: question.id });
  const refused = await viewer.next('no refusal', ofType('error'));
  t.equal(refused.code, 'FORBIDDEN');
  t.equal(refused.ref, 'question.answer');
});

t.test('a banned viewer is closed 4003, and again when it comes back on a new socket', async (t) => {
  const ctx = await startApp(t, { listen: true });
  const { url, admin } = await channelBroadcast(ctx);
  const moderator = await joinChannel(url, { headers: { authorization: admin.authorization } });
  const viewer = await joinChannel(url);
  t.teardown(() => closeAll([moderator, viewer]));
  moderator.send({ type: 'viewer.ban', viewerId: viewer.frames[0]!.viewerId, reason: '广告' });
  const bans = await moderator.next('the moderator did not get the ban list', ofType('bans'));
  t.equal(bans.bans[0].viewerId, viewer.frames[0]!.viewerId);
  t.equal((await viewer.closed).code, 4003);
  t.equal(viewer.frames.find(ofType('error'))?.code, 'BANNED');
  const cookie = viewer.setCookie!.split(';')[0]!;
  const again = await openChannel(url, { headers: { cookie } });
  t.equal((await again.closed).code, 4003, 'the same device on a new socket');
  t.equal(again.frames.find(ofType('error'))?.code, 'BANNED');
  const device = viewer.frames[0]!.device;
  const viaHello = await openChannel(url, { hello: { type: 'hello', device } });
  t.equal((await viaHello.closed).code, 4003, 'the same device named in hello');
});

t.test('a socket that stops reading is closed 4008 while the others keep receiving', async (t) => {
  const ctx = await startApp(t, { listen: true, env: { LINBO_WS_MAX_BUFFERED_BYTES: String(64 * 1024) } });
  const { url, id } = await channelBroadcast(ctx);
  const slow = await joinChannel(url);
  const reader = await joinChannel(url);
  t.teardown(() => closeAll([slow, reader]));
  // The client stops reading; the kernel's buffers on loopback take a few MB before the server's fill.
  const socket = (slow.ws as unknown as { _socket: import('node:net').Socket })._socket;
  socket.pause();
  const bus = ctx.services.realtimeHub.bus;
  const question = { id: '00000000-0000-4000-8000-000000000001', text: '长'.repeat(300), author: { id: 'x'.repeat(16), name: '压力测试' }, upvotes: 0, state: 'open' as const, pinned: false, askedAt: new Date().toISOString(), answeredAt: null };
  await reader.next('the reader never counted two viewers', (f) => f.type === 'viewers' && f.now === 2);
  const mark = reader.frames.length;
  const dropped = () => reader.frames.slice(mark).some((f) => f.type === 'viewers' && f.now === 1);
  for (let round = 0; round < 100 && !dropped(); round++) {
    let last = 0;
    for (let i = 0; i < 100; i++) last = (await bus.publish(id, { type: 'question.updated', question: { ...question, upvotes: round * 100 + i } })).seq;
    await reader.next(`the reader did not get event ${last}`, (f) => f.seq === last, mark);
  }
  await reader.next('the slow socket was never dropped from the count', dropped);
  socket.resume();
  t.equal((await slow.closed).code, 4008);
  const after = (await bus.publish(id, { type: 'state', state: 'live' })).seq;
  await reader.next('the reader stopped receiving', (f) => f.seq === after);
});

t.test('an address over its socket limit is told to try later (1013)', async (t) => {
  const ctx = await startApp(t, { listen: true, env: { LINBO_WS_MAX_PER_IP: '2' } });
  const { url } = await channelBroadcast(ctx);
  const first = await joinChannel(url);
  const second = await joinChannel(url);
  t.teardown(() => closeAll([first, second]));
  const third = await openChannel(url);
  t.equal((await third.closed).code, 1013);
  second.close();
  await second.closed;
  const fourth = await joinChannel(url).catch(async () => undefined);
  t.teardown(() => closeAll(fourth ? [fourth] : []));
  t.ok(fourth, 'a socket that left makes room');
});

t.test('messages from one address share its rate limit: refused, but not closed, for what the address sent', async (t) => {
  const ctx = await startApp(t, { listen: true, env: { LINBO_WS_RATE_PER_IP: '1', LINBO_WS_RATE_PER_SOCKET: '100' } });
  const { url } = await channelBroadcast(ctx);
  // The address's burst is 2: the two hellos take it.
  const a = await joinChannel(url);
  const b = await joinChannel(url);
  t.teardown(() => closeAll([a, b]));
  for (let i = 0; i < 60; i++) a.send({ type: 'like', count: 1 });
  await a.next('the address limit did not refuse all 60', () => a.frames.filter(ofType('error')).length >= 60);
  t.ok(
    a.frames.filter(ofType('error')).every((f) => f.code === 'RATE_LIMITED'),
    'each refused as RATE_LIMITED',
  );
  t.equal(a.ws.readyState, a.ws.OPEN, 'a socket within its own limit is not closed as a flooder');
});

t.test('a socket that answers no pings is dropped; one that never says hello is closed 4000', async (t) => {
  const ctx = await startApp(t, { listen: true, env: { LINBO_WS_HEARTBEAT_MS: '300' } });
  const { url } = await channelBroadcast(ctx);
  const silent = await joinChannel(url);
  const watcher = await joinChannel(url);
  const mute = await openChannel(url, { hello: null });
  t.teardown(() => closeAll([silent, watcher, mute]));
  await watcher.next('the watcher never counted two viewers', (f) => f.type === 'viewers' && f.now === 2);
  // A phone that lost its signal: nothing it would send arrives, not even its pongs.
  (silent.ws as unknown as { _socket: import('node:net').Socket })._socket.pause();
  await watcher.next('the silent socket was never dropped', (f) => f.type === 'viewers' && f.now === 1);
  t.equal((await mute.closed).code, 4000);
});

t.test('a burst of questions is cut off after a few', async (t) => {
  const ctx = await startApp(t, { listen: true });
  const { url } = await channelBroadcast(ctx);
  const asker = await joinChannel(url);
  t.teardown(() => closeAll([asker]));
  for (let i = 0; i < 8; i++) asker.send({ type: 'question.ask', text: `刷屏${i}` });
  // Each question is either published (and comes back) or refused.
  const answered = () => asker.frames.filter((f) => f.type === 'question.added' || f.type === 'error');
  await asker.next('not every question was answered', () => answered().length >= 8);
  const refused = asker.frames.filter(ofType('error'));
  t.ok(refused.length > 0, 'some were refused');
  t.ok(
    refused.every((f) => f.code === 'RATE_LIMITED' && f.retryAfterMs > 0),
    'each refusal is RATE_LIMITED with a time to wait',
  );
  t.ok(
    refused.some((f) => f.ref === 'question.ask'),
    'a question is refused as a question: it costs more than a like',
  );
  t.ok(asker.frames.some(ofType('question.added')), 'the first went through');
});
