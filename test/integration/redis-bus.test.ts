// The channel bus over the real Redis on this machine: two RedisBus instances stand for two
// control-plane processes sharing one broadcast's channel.
import { randomUUID } from 'node:crypto';
import t from 'tap';
import type { Delivery, PublicEvent, UnnumberedEvent } from '../../server/realtime/bus.ts';
import { RedisBus, type RedisBusOptions } from '../../server/realtime/redis-bus.ts';
import { redisClient, redisPrefix, redisUrl } from '../helpers/redis.ts';
import { until } from '../helpers/until.ts';

type Tap = { teardown(fn: () => unknown): void };

async function openBus(t: Tap, prefix: string, options: Partial<RedisBusOptions> = {}): Promise<RedisBus> {
  const bus = await RedisBus.create({ url: redisUrl(), prefix, ...options });
  t.teardown(() => bus.close());
  return bus;
}

/** Two processes on one prefix, as two replicas behind one load balancer. */
async function twoProcesses(t: Tap, options: Partial<RedisBusOptions> = {}) {
  const prefix = redisPrefix(t);
  return [await openBus(t, prefix, options), await openBus(t, prefix, options)] as const;
}

/** Every delivery a subscriber hears, in the order it heard them. */
async function listen(bus: RedisBus, broadcastId: string) {
  const heard: Delivery[] = [];
  const stop = await bus.subscribe(broadcastId, (d) => heard.push(d));
  const publicSeqs = () => heard.flatMap((d) => (d.kind === 'public' ? [d.event.seq] : []));
  return { heard, stop, publicSeqs };
}

const hidden = (): UnnumberedEvent => ({ type: 'chat.hidden', messageId: randomUUID() });
const idOf = (e: PublicEvent) => (e.type === 'chat.hidden' ? e.messageId : '');
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

t.test('events published concurrently by two processes are numbered without gaps and heard in the same order by both', async (t) => {
  const [one, two] = await twoProcesses(t);
  const broadcastId = randomUUID();
  const onOne = await listen(one, broadcastId);
  const onTwo = await listen(two, broadcastId);

  const published = await Promise.all(range(1, 60).map((i) => (i % 2 ? one : two).publish(broadcastId, hidden())));

  t.same(published.map((e) => e.seq).sort((a, b) => a - b), range(1, 60), 'publish returned every seq from 1 to 60 once');
  await until('process one heard all 60 events', () => onOne.publicSeqs().length >= 60);
  await until('process two heard all 60 events', () => onTwo.publicSeqs().length >= 60);
  t.same(onOne.publicSeqs(), range(1, 60), 'process one heard seq 1..60 in order');
  t.same(onTwo.publicSeqs(), range(1, 60), 'process two heard seq 1..60 in order');
  const order = (heard: Delivery[]) => heard.map((d) => (d.kind === 'public' ? `${d.event.seq}:${idOf(d.event)}` : ''));
  t.same(order(onOne.heard), order(onTwo.heard), 'the same event under the same seq on both');
  const bySeq = new Map(published.map((e) => [e.seq, idOf(e)]));
  t.same(order(onOne.heard), range(1, 60).map((seq) => `${seq}:${bySeq.get(seq)}`), 'what publish returned is what subscribers heard');
  t.equal(await two.lastSeq(broadcastId), 60);
  t.equal(await one.lastSeq(randomUUID()), 0, 'a broadcast without events is at seq 0');
});

t.test('since() returns exactly the events after a seq, and null when they are no longer all kept', async (t) => {
  const [one, two] = await twoProcesses(t, { keep: 5 });
  const broadcastId = randomUUID();
  const published: PublicEvent[] = [];
  for (let i = 0; i < 10; i++) published.push(await (i % 2 ? one : two).publish(broadcastId, hidden()));

  t.same(await one.since(broadcastId, 7), published.slice(7), 'events 8..10 from the other process too');
  t.same(await two.since(broadcastId, 5), published.slice(5), 'events 6..10: exactly the five kept');
  t.same(await one.since(broadcastId, 10), [], 'nothing after the latest');
  t.equal(await one.since(broadcastId, 4), null, 'event 5 is no longer kept');
  t.equal(await one.since(broadcastId, 11), null, 'a seq from the future (Redis was emptied) gets a snapshot');
  t.same(await one.since(randomUUID(), 0), [], 'a broadcast without events has nothing to replay');
});

t.test('staff events reach every process and do not advance the seq', async (t) => {
  const [one, two] = await twoProcesses(t);
  const broadcastId = randomUUID();
  const onOne = await listen(one, broadcastId);
  const onTwo = await listen(two, broadcastId);
  await one.publish(broadcastId, hidden());
  await two.publishStaff(broadcastId, { type: 'bans', bans: [] });
  await one.publish(broadcastId, hidden());

  for (const [name, on] of [['one', onOne], ['two', onTwo]] as const) {
    await until(`process ${name} heard three deliveries`, () => on.heard.length >= 3);
    t.same(on.heard.map((d) => `${d.kind}:${d.event.type}`), ['public:chat.hidden', 'staff:bans', 'public:chat.hidden'], `process ${name}, in publish order`);
    t.same(on.publicSeqs(), [1, 2], `process ${name}: the staff event took no seq`);
  }
});

t.test('an unsubscribed listener hears nothing more; the process leaves the Redis channel with its last listener', async (t) => {
  const prefix = redisPrefix(t);
  const [one, two] = [await openBus(t, prefix), await openBus(t, prefix)];
  const redis = redisClient(t);
  const broadcastId = randomUUID();
  const subscribers = async () => ((await redis.call('PUBSUB', 'NUMSUB', `${prefix}bc:${broadcastId}`)) as [string, number])[1];
  const first = await listen(one, broadcastId);
  const second = await listen(one, broadcastId);
  t.equal(await subscribers(), 1, 'two listeners, one subscription');
  await two.publish(broadcastId, hidden());
  await until('both listeners heard the first event', () => first.heard.length === 1 && second.heard.length === 1);
  first.stop();
  await two.publish(broadcastId, hidden());
  await until('the remaining listener heard the second event', () => second.heard.length === 2);
  t.equal(first.heard.length, 1, 'the unsubscribed listener heard only the first');
  second.stop();
  await until('process one unsubscribed from the broadcast', async () => (await subscribers()) === 0);
});

t.test('viewer counts add up over processes, and a process that stops reporting drops out', async (t) => {
  const [one, two] = await twoProcesses(t, { viewersFreshMs: 1000 });
  const broadcastId = randomUUID();
  t.equal(await one.reportViewers(broadcastId, 3), 3);
  t.equal(await two.reportViewers(broadcastId, 4), 7, 'process two sees both');
  t.equal(await one.reportViewers(broadcastId, 2), 6, 'a process replaces its own count, not adds to it');
  // Process two goes silent (as a crashed one does): within its freshness its sockets stop counting.
  await until('process two no longer counts once it stopped reporting', async () => (await one.reportViewers(broadcastId, 2)) === 2, 10_000, 200);
  t.equal(await two.reportViewers(broadcastId, 1), 3, 'reporting again counts it again');
  t.equal(await one.reportViewers(randomUUID(), 0), 0, 'another broadcast counts apart');
});

t.test('a process that closes stops counting at once', async (t) => {
  const [one, two] = await twoProcesses(t, { viewersFreshMs: 60_000 });
  const broadcastId = randomUUID();
  await one.reportViewers(broadcastId, 5);
  t.equal(await two.reportViewers(broadcastId, 1), 6);
  await one.close();
  await one.close();
  t.equal(await two.reportViewers(broadcastId, 1), 1, "process one's sockets left with it");
});

t.test('a subscriber whose connection is killed misses nothing: the events published while it was away come first, in order', async (t) => {
  const [one, two] = await twoProcesses(t);
  const redis = redisClient(t);
  const broadcastId = randomUUID();
  const onTwo = await listen(two, broadcastId);
  for (let i = 0; i < 5; i++) await one.publish(broadcastId, hidden());
  await until('process two heard the first five', () => onTwo.publicSeqs().length === 5);

  const name = `linbo-bus-subscriber:${two.processId}`;
  const idBefore = await subscriberId(redis, name);
  t.equal(Number(await redis.call('CLIENT', 'KILL', 'ID', idBefore)), 1, "process two's subscriber connection was killed");
  // Published at once, while the subscriber is still away (it reconnects after a delay).
  for (let i = 0; i < 20; i++) await one.publish(broadcastId, hidden());
  await until('process two heard all 25 after reconnecting', () => onTwo.publicSeqs().length >= 25);
  t.not(await subscriberId(redis, name), idBefore, 'it is a new connection');
  t.same(onTwo.publicSeqs(), range(1, 25), 'every event once, in seq order');

  for (let i = 0; i < 3; i++) await one.publish(broadcastId, hidden());
  await until('live events follow on the new connection', () => onTwo.publicSeqs().length >= 28);
  t.same(onTwo.publicSeqs(), range(1, 28));
});

t.test('a subscriber killed before it heard any event still gets those published while it was away', async (t) => {
  const [one, two] = await twoProcesses(t);
  const redis = redisClient(t);
  const broadcastId = randomUUID();
  await one.publish(broadcastId, hidden());
  const onTwo = await listen(two, broadcastId);
  await redis.call('CLIENT', 'KILL', 'ID', await subscriberId(redis, `linbo-bus-subscriber:${two.processId}`));
  for (let i = 0; i < 4; i++) await one.publish(broadcastId, hidden());
  await until('process two heard the four events after it subscribed', () => onTwo.publicSeqs().length >= 4);
  t.same(onTwo.publicSeqs(), [2, 3, 4, 5], 'from the seq it subscribed at, nothing before, nothing twice');
});

t.test('events in flight when the publishing connection is killed are numbered once each, none twice', async (t) => {
  const [one, two] = await twoProcesses(t);
  const redis = redisClient(t);
  const broadcastId = randomUUID();
  const onTwo = await listen(two, broadcastId);
  const id = await subscriberId(redis, `linbo-bus:${one.processId}`);
  const publishing = range(1, 300).map(() => one.publish(broadcastId, hidden()));
  await redis.call('CLIENT', 'KILL', 'ID', id);
  const published = await Promise.all(publishing);

  t.same(published.map((e) => e.seq).sort((a, b) => a - b), range(1, 300), 'publish returned seq 1..300');
  const last = await one.lastSeq(broadcastId);
  await until('process two heard every event numbered', () => onTwo.publicSeqs().length >= last);
  const ids = onTwo.heard.flatMap((d) => (d.kind === 'public' ? [idOf(d.event)] : []));
  t.equal(new Set(ids).size, ids.length, 'no event was heard twice');
  t.equal(last, 300, 'each event numbered once');
  t.same(onTwo.publicSeqs(), range(1, 300));
});

t.test('when Redis loses the numbering (restarted empty), it goes on above what open channels have delivered', async (t) => {
  const prefix = redisPrefix(t);
  const [one, two, withoutSockets] = [await openBus(t, prefix), await openBus(t, prefix), await openBus(t, prefix)];
  const redis = redisClient(t);
  const broadcastId = randomUUID();
  const forget = () => redis.del(`${prefix}bc:${broadcastId}:seq`, `${prefix}bc:${broadcastId}:events`);
  const onOne = await listen(one, broadcastId);
  const onTwo = await listen(two, broadcastId);
  for (let i = 0; i < 5; i++) await withoutSockets.publish(broadcastId, hidden());
  await until('both processes heard the first five', () => onOne.publicSeqs().length === 5 && onTwo.publicSeqs().length === 5);

  // A restart drops the connections too: the subscriber that comes back finds the numbering gone.
  await forget();
  await redis.call('CLIENT', 'KILL', 'ID', await subscriberId(redis, `linbo-bus-subscriber:${two.processId}`));
  await until('the process that reconnected put the numbering back', async () => (await two.lastSeq(broadcastId)) === 5);
  t.equal((await withoutSockets.publish(broadcastId, hidden())).seq, 6, 'a process without sockets numbers on from there');

  // Lost without a reconnect to notice it: a process with sockets numbers on from what it delivered.
  await until('process one heard event 6', () => onOne.publicSeqs().length === 6);
  await forget();
  t.equal((await one.publish(broadcastId, hidden())).seq, 7, 'a process with sockets numbers on from what it delivered');

  await until('both heard event 7', () => onOne.publicSeqs().length === 7 && onTwo.publicSeqs().length === 7);
  t.same(onOne.publicSeqs(), range(1, 7), 'process one: no gap, nothing twice');
  t.same(onTwo.publicSeqs(), range(1, 7), 'process two: no gap, nothing twice');
  t.same((await two.since(broadcastId, 6))?.map((e) => e.seq), [7], 'resuming after 6 gives 7');
  t.equal(await two.since(broadcastId, 3), null, 'what Redis lost is no longer kept: a snapshot');
});

t.test('a Redis that does not answer at start is a clear error', async (t) => {
  await t.rejects(RedisBus.create({ url: 'redis://127.0.0.1:1' }), /Redis at redis:\/\/127\.0\.0\.1:1\/? \(REDIS_URL\) did not answer: connect ECONNREFUSED/);
});

t.test('keys are named under the prefix and expire after the last event', async (t) => {
  const prefix = redisPrefix(t);
  const bus = await openBus(t, prefix, { expireDays: 2 });
  const redis = redisClient(t);
  const broadcastId = randomUUID();
  await bus.publish(broadcastId, hidden());
  await bus.reportViewers(broadcastId, 1);
  const keys = (await redis.keys(`${prefix}*`)).sort();
  const base = `${prefix}bc:${broadcastId}`;
  t.same(keys.filter((key) => !key.startsWith(`${base}:published:`)), ['events', 'seq', 'viewers'].map((k) => `${base}:${k}`));
  for (const key of keys) {
    const ttl = await redis.pttl(key);
    if (key.startsWith(`${base}:published:`)) t.ok(ttl > 0 && ttl <= 60_000, `the publish's own key, against sending it twice, lasts a minute (${ttl} ms)`);
    else t.ok(ttl > 86_400_000 && ttl <= 2 * 86_400_000, `${key} expires in two days (${ttl} ms)`);
  }
  t.equal(keys.length, 4, 'one publish key');

  // Days later, sockets still open on the channel keep its numbering from expiring under them.
  await redis.pexpire(`${base}:seq`, 5_000);
  await redis.pexpire(`${base}:events`, 5_000);
  await bus.reportViewers(broadcastId, 1);
  t.ok((await redis.pttl(`${base}:seq`)) > 86_400_000, 'the seq lives on while viewers are reported');
  t.ok((await redis.pttl(`${base}:events`)) > 86_400_000, 'and the kept events');
});

async function subscriberId(redis: ReturnType<typeof redisClient>, name: string): Promise<string> {
  return until(`a connection named ${name}`, async () => {
    const list = String(await redis.call('CLIENT', 'LIST'));
    return /\bid=(\d+)\b/.exec(list.split('\n').find((line) => line.includes(` name=${name} `)) ?? '')?.[1];
  });
}
