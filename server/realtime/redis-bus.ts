// The channel bus scaled out (REDIS_URL): every control-plane process publishes through Redis and
// hears every broadcast it holds sockets for on one subscriber connection. One Lua script numbers,
// keeps and publishes each public event, so `seq` is gap-free and in one order across processes
// (Redis runs scripts one at a time and delivers a channel's messages in publish order).
//
// What Redis holds (all under the key prefix, default `linbo:`), per broadcast:
//   bc:<id>:seq      the latest seq                 bc:<id>:events   the last KEEP numbered events, newest first
//   bc:<id>:viewers  sockets held per process, each with the Redis time it was reported
//   bc:<id>:published:<uuid>  for a minute, the seq one publish got (ioredis resends after a drop)
// Each expires EXPIRE_DAYS after the broadcast's last event or the last socket on it, so Redis does not grow forever.
//
// A subscriber connection that drops misses the messages published until it is back: on reconnect
// it subscribes again, reads what came after the last public event it delivered from the kept list,
// and hands that over before any live message. Staff frames carry no seq and are not kept: the ones
// sent during the outage are lost (the staff page's next snapshot shows them). When more than KEEP
// events passed, listeners see the seq jump, as a client does after the same gap, and resume with a snapshot.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { ChannelBus, Delivery, PublicEvent, StaffEvent, UnnumberedEvent } from './bus.ts';
import { PUBLISH, REPORT_VIEWERS, SINCE, type Scripts } from './redis-scripts.ts';

export interface RedisBusOptions {
  url: string;
  /** Key and channel prefix: several installations (or test runs) may share one Redis. */
  prefix?: string;
  /** Public events kept per broadcast for clients that reconnect. */
  keep?: number;
  /** A process that has not reported its viewers for this long no longer counts (it crashed). */
  viewersFreshMs?: number;
  expireDays?: number;
  logger?: Logger;
}

type Listener = (delivery: Delivery) => void;

interface Subscription {
  readonly broadcastId: string;
  readonly listeners: Set<Listener>;
  /** SUBSCRIBE acknowledged: messages published from here on reach this process. */
  ready: Promise<unknown>;
  /** The seq of the last public event handed to listeners; null until the first one. */
  delivered: number | null;
  /** The latest seq when the subscription began: where a reconnect resumes from before any event arrived. */
  baseline: number | null;
  /** While missed events are read back, live messages wait here so they follow them in order. */
  held: Delivery[] | null;
  catchingUp: boolean;
  /** Another catch-up was asked for while one ran (a second reconnect): it reads again before releasing. */
  again: boolean;
}

export class RedisBus implements ChannelBus {
  readonly #commands: Redis & Scripts;
  readonly #subscriber: Redis;
  readonly #prefix: string;
  readonly #keep: number;
  readonly #freshMs: number;
  readonly #ttlMs: number;
  readonly #log: Logger | undefined;
  /** Names this process's viewer entry and its two connections (`CLIENT LIST` shows linbo-bus:<id>). */
  readonly processId: string;
  readonly #subscriptions = new Map<string, Subscription>();
  readonly #byChannel = new Map<string, Subscription>();
  readonly #reported = new Set<string>();
  #closed = false;

  /** Connects both connections; a Redis that does not answer is an error naming it, not an endless retry. */
  static async create(options: RedisBusOptions): Promise<RedisBus> {
    const processId = randomUUID();
    const commands = new Redis(options.url, { lazyConnect: true, connectionName: `linbo-bus:${processId}` });
    const subscriber = commands.duplicate({ lazyConnect: true, autoResubscribe: false, connectionName: `linbo-bus-subscriber:${processId}` });
    // connect() only says "Connection is closed"; the 'error' event has the reason (ECONNREFUSED, auth).
    let reason: Error | undefined;
    const remember = (err: Error) => (reason = err);
    commands.on('error', remember);
    subscriber.on('error', remember);
    try {
      await commands.connect();
      await subscriber.connect();
    } catch (err) {
      commands.disconnect();
      subscriber.disconnect();
      const cause = reason ?? (err as Error);
      throw new Error(`Redis at ${redacted(options.url)} (REDIS_URL) did not answer: ${cause.message}`, { cause });
    }
    commands.off('error', remember);
    subscriber.off('error', remember);
    return new RedisBus(processId, commands, subscriber, options);
  }

  private constructor(processId: string, commands: Redis, subscriber: Redis, options: RedisBusOptions) {
    this.processId = processId;
    commands.defineCommand('linboPublish', { numberOfKeys: 4, lua: PUBLISH });
    commands.defineCommand('linboSince', { numberOfKeys: 2, lua: SINCE });
    commands.defineCommand('linboReportViewers', { numberOfKeys: 3, lua: REPORT_VIEWERS });
    this.#commands = commands as Redis & Scripts;
    this.#subscriber = subscriber;
    this.#prefix = options.prefix ?? 'linbo:';
    this.#keep = options.keep ?? 1000;
    this.#freshMs = options.viewersFreshMs ?? 5000;
    this.#ttlMs = (options.expireDays ?? 7) * 86_400_000;
    this.#log = options.logger;
    // ioredis reconnects by itself; these only say so (an 'error' without a listener would be thrown).
    const warn = (connection: string) => (err: Error) => this.#log?.warn({ err: err.message, connection }, 'Redis connection error; reconnecting');
    commands.on('error', warn('commands'));
    subscriber.on('error', warn('subscriber'));
    subscriber.on('message', (channel: string, message: string) => this.#onMessage(channel, message));
    subscriber.on('ready', () => void this.#resubscribe());
  }

  async publish(broadcastId: string, event: UnnumberedEvent): Promise<PublicEvent> {
    const k = this.#keys(broadcastId);
    const publishKey = `${k.base}:published:${randomUUID()}`;
    const seq = await this.#commands.linboPublish(k.seq, k.events, k.channel, publishKey, JSON.stringify(event), this.#keep, this.#ttlMs);
    return { ...event, seq } as PublicEvent;
  }

  async publishStaff(broadcastId: string, event: StaffEvent): Promise<void> {
    const delivery: Delivery = { kind: 'staff', event };
    await this.#commands.publish(this.#keys(broadcastId).channel, JSON.stringify(delivery));
  }

  async subscribe(broadcastId: string, listener: Listener): Promise<() => void> {
    let sub = this.#subscriptions.get(broadcastId);
    if (!sub) {
      const channel = this.#keys(broadcastId).channel;
      const ready = this.#subscriber.subscribe(channel).then(async () => {
        created.baseline = await this.lastSeq(broadcastId);
      });
      const created: Subscription = { broadcastId, listeners: new Set(), ready, delivered: null, baseline: null, held: null, catchingUp: false, again: false };
      sub = created;
      this.#subscriptions.set(broadcastId, sub);
      this.#byChannel.set(channel, sub);
    }
    const joined = sub;
    joined.listeners.add(listener);
    try {
      await joined.ready;
    } catch (err) {
      joined.listeners.delete(listener);
      throw err;
    }
    return () => {
      if (!joined.listeners.delete(listener) || joined.listeners.size > 0 || this.#subscriptions.get(broadcastId) !== joined) return;
      this.#subscriptions.delete(broadcastId);
      const channel = this.#keys(broadcastId).channel;
      this.#byChannel.delete(channel);
      if (!this.#closed) this.#subscriber.unsubscribe(channel).catch(() => {});
    };
  }

  async lastSeq(broadcastId: string): Promise<number> {
    return Number((await this.#commands.get(this.#keys(broadcastId).seq)) ?? 0);
  }

  async since(broadcastId: string, afterSeq: number): Promise<PublicEvent[] | null> {
    const k = this.#keys(broadcastId);
    const [last, ...newestFirst] = await this.#commands.linboSince(k.seq, k.events, afterSeq);
    if (last === -1) return null;
    return newestFirst.reverse().map((text) => JSON.parse(String(text)) as PublicEvent);
  }

  async reportViewers(broadcastId: string, here: number): Promise<number> {
    if (here > 0) this.#reported.add(broadcastId);
    else this.#reported.delete(broadcastId);
    const k = this.#keys(broadcastId);
    return this.#commands.linboReportViewers(k.viewers, k.seq, k.events, this.processId, here, this.#freshMs, this.#ttlMs);
  }

  /** Safe to call twice. This process's viewers stop counting at once rather than when they go stale. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#subscriptions.clear();
    this.#byChannel.clear();
    const reported = [...this.#reported].map((id) => this.#commands.hdel(this.#keys(id).viewers, this.processId).catch(() => 0));
    await Promise.all(reported);
    await Promise.all([quit(this.#commands), quit(this.#subscriber)]);
  }

  #keys(broadcastId: string) {
    const base = `${this.#prefix}bc:${broadcastId}`;
    return { base, seq: `${base}:seq`, events: `${base}:events`, viewers: `${base}:viewers`, channel: base };
  }

  #onMessage(channel: string, message: string): void {
    const sub = this.#byChannel.get(channel);
    if (!sub) return;
    let delivery: Delivery;
    try {
      delivery = JSON.parse(message) as Delivery;
    } catch {
      this.#log?.warn({ channel }, 'unreadable message on the channel bus');
      return;
    }
    this.#take(sub, delivery);
  }

  /** Hands a delivery to the listeners in seq order: repeats are dropped, a gap is filled from the kept events first. */
  #take(sub: Subscription, delivery: Delivery): void {
    if (sub.held) {
      sub.held.push(delivery);
      return;
    }
    if (delivery.kind === 'public') {
      const { seq } = delivery.event;
      if (sub.delivered !== null && seq <= sub.delivered) return;
      if (sub.delivered !== null && seq > sub.delivered + 1) {
        sub.held = [delivery];
        this.#requestCatchUp(sub);
        return;
      }
      sub.delivered = seq;
    }
    this.#emit(sub, delivery);
  }

  #emit(sub: Subscription, delivery: Delivery): void {
    for (const listener of sub.listeners) {
      try {
        listener(delivery);
      } catch (err) {
        this.#log?.error({ err, broadcastId: sub.broadcastId }, 'channel bus listener failed');
      }
    }
  }

  #requestCatchUp(sub: Subscription): void {
    sub.held ??= [];
    if (sub.catchingUp) {
      sub.again = true;
      return;
    }
    sub.catchingUp = true;
    void this.#catchUp(sub);
  }

  /** Reads the public events after the last delivered one from the kept list, then releases what was held. */
  async #catchUp(sub: Subscription): Promise<void> {
    do {
      sub.again = false;
      for (;;) {
        if (this.#closed || this.#subscriptions.get(sub.broadcastId) !== sub) return;
        try {
          await this.#deliverMissed(sub);
          break;
        } catch (err) {
          // Redis is away again: try once more shortly; ioredis queues the read until it is back.
          this.#log?.warn({ err: (err as Error).message, broadcastId: sub.broadcastId }, 'channel bus could not read missed events; retrying');
          await new Promise((r) => setTimeout(r, 500));
        }
      }
    } while (sub.again);
    sub.catchingUp = false;
    const held = sub.held ?? [];
    sub.held = null;
    for (const delivery of held) this.#take(sub, delivery);
  }

  async #deliverMissed(sub: Subscription): Promise<void> {
    const after = sub.delivered ?? sub.baseline;
    if (after === null) return;
    const missed = await this.since(sub.broadcastId, after);
    if (missed === null) {
      this.#log?.warn({ broadcastId: sub.broadcastId, after }, 'channel bus missed more events than Redis keeps');
      sub.delivered = null;
      sub.baseline = null;
      return;
    }
    for (const event of missed) {
      if (sub.delivered !== null && event.seq <= sub.delivered) continue;
      sub.delivered = event.seq;
      this.#emit(sub, { kind: 'public', event });
    }
  }

  /** After a reconnect: subscribe again, then deliver what was published while the connection was down. */
  async #resubscribe(): Promise<void> {
    const subs = [...this.#subscriptions.values()];
    if (this.#closed || subs.length === 0) return;
    for (const sub of subs) sub.held ??= [];
    try {
      await this.#subscriber.subscribe(...subs.map((sub) => this.#keys(sub.broadcastId).channel));
    } catch (err) {
      // The connection dropped again; its next 'ready' comes back here.
      this.#log?.warn({ err: (err as Error).message }, 'channel bus could not subscribe again');
      return;
    }
    for (const sub of subs) this.#requestCatchUp(sub);
  }
}

async function quit(redis: Redis): Promise<void> {
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
}

function redacted(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.href;
  } catch {
    return 'REDIS_URL';
  }
}
