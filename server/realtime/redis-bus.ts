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
// Hearing events, in order and across reconnects, is redis-subscriber.ts.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { ChannelBus, Delivery, PublicEvent, StaffEvent, UnnumberedEvent } from './bus.ts';
import { PUBLISH, RAISE, REPORT_VIEWERS, SINCE, type Scripts } from './redis-scripts.ts';
import { BusSubscriber } from './redis-subscriber.ts';

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

export class RedisBus implements ChannelBus {
  readonly #commands: Redis & Scripts;
  readonly #subscriberConnection: Redis;
  readonly #subscriber: BusSubscriber;
  readonly #prefix: string;
  readonly #keep: number;
  readonly #freshMs: number;
  readonly #ttlMs: number;
  readonly #log: Logger | undefined;
  /** Names this process's viewer entry and its two connections (`CLIENT LIST` shows linbo-bus:<id>). */
  readonly processId: string;
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
    commands.defineCommand('linboRaise', { numberOfKeys: 1, lua: RAISE });
    commands.defineCommand('linboReportViewers', { numberOfKeys: 3, lua: REPORT_VIEWERS });
    this.#commands = commands as Redis & Scripts;
    this.#subscriberConnection = subscriber;
    this.#prefix = options.prefix ?? 'linbo:';
    this.#keep = options.keep ?? 1000;
    this.#freshMs = options.viewersFreshMs ?? 5000;
    this.#ttlMs = (options.expireDays ?? 7) * 86_400_000;
    this.#log = options.logger;
    // ioredis reconnects by itself; these only say so (an 'error' without a listener would be thrown).
    const warn = (connection: string) => (err: Error) => this.#log?.warn({ err: err.message, connection }, 'Redis connection error; reconnecting');
    commands.on('error', warn('commands'));
    subscriber.on('error', warn('subscriber'));
    this.#subscriber = new BusSubscriber({
      connection: subscriber,
      channelOf: (broadcastId) => this.#keys(broadcastId).channel,
      lastSeq: (broadcastId) => this.lastSeq(broadcastId),
      since: (broadcastId, afterSeq) => this.since(broadcastId, afterSeq),
      raise: async (broadcastId, floor) => {
        await this.#commands.linboRaise(this.#keys(broadcastId).seq, floor, this.#ttlMs);
      },
      logger: this.#log,
    });
  }

  async publish(broadcastId: string, event: UnnumberedEvent): Promise<PublicEvent> {
    const k = this.#keys(broadcastId);
    const publishKey = `${k.base}:published:${randomUUID()}`;
    const seq = await this.#commands.linboPublish(k.seq, k.events, k.channel, publishKey, JSON.stringify(event), this.#keep, this.#ttlMs, this.#subscriber.delivered(broadcastId));
    return { ...event, seq } as PublicEvent;
  }

  async publishStaff(broadcastId: string, event: StaffEvent): Promise<void> {
    const delivery: Delivery = { kind: 'staff', event };
    await this.#commands.publish(this.#keys(broadcastId).channel, JSON.stringify(delivery));
  }

  subscribe(broadcastId: string, listener: (delivery: Delivery) => void): Promise<() => void> {
    return this.#subscriber.subscribe(broadcastId, listener);
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
    this.#subscriber.close();
    const reported = [...this.#reported].map((id) => this.#commands.hdel(this.#keys(id).viewers, this.processId).catch(() => 0));
    await Promise.all(reported);
    await Promise.all([quit(this.#commands), quit(this.#subscriberConnection)]);
  }

  #keys(broadcastId: string) {
    const base = `${this.#prefix}bc:${broadcastId}`;
    return { base, seq: `${base}:seq`, events: `${base}:events`, viewers: `${base}:viewers`, channel: base };
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
