// The subscribing half of the Redis channel bus (redis-bus.ts): one connection per process in
// subscriber mode, one Redis channel per broadcast this process holds sockets for however many
// listeners it has, and delivery in seq order.
//
// A connection that drops misses the messages published until it is back: on reconnect it subscribes
// again, reads what came after the last public event it delivered from the kept list (`since`), and
// hands that over before any live message; a gap seen in the live stream is filled the same way, and
// a repeat is dropped. Staff frames carry no seq and are not kept: the ones sent during the outage
// are lost (the staff page's next snapshot shows them). When more than the kept events passed,
// listeners see the seq jump, as a client does after the same gap, and resume with a snapshot.
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Delivery, PublicEvent } from './bus.ts';

export interface BusSubscriberDeps {
  /** A connection of its own (it enters subscriber mode), with ioredis's autoResubscribe off: this resubscribes in order. */
  connection: Redis;
  channelOf(broadcastId: string): string;
  lastSeq(broadcastId: string): Promise<number>;
  since(broadcastId: string, afterSeq: number): Promise<PublicEvent[] | null>;
  /** Numbering goes on above `floor`: Redis lost it (restarted empty) while this process had delivered up to there. */
  raise(broadcastId: string, floor: number): Promise<void>;
  logger: Logger | undefined;
}

export type Listener = (delivery: Delivery) => void;

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

export class BusSubscriber {
  readonly #deps: BusSubscriberDeps;
  readonly #connection: Redis;
  readonly #subscriptions = new Map<string, Subscription>();
  readonly #byChannel = new Map<string, Subscription>();
  #closed = false;

  constructor(deps: BusSubscriberDeps) {
    this.#deps = deps;
    this.#connection = deps.connection;
    this.#connection.on('message', (channel: string, message: string) => this.#onMessage(channel, message));
    this.#connection.on('ready', () => void this.#resubscribe());
  }

  async subscribe(broadcastId: string, listener: Listener): Promise<() => void> {
    let sub = this.#subscriptions.get(broadcastId);
    if (!sub) {
      const channel = this.#deps.channelOf(broadcastId);
      const ready = this.#connection.subscribe(channel).then(
        async () => {
          created.baseline = await this.#deps.lastSeq(broadcastId);
        },
        (err: unknown) => {
          // Forgotten, so the next subscriber tries again rather than inherit the failure.
          if (this.#subscriptions.get(broadcastId) === created) this.#subscriptions.delete(broadcastId);
          if (this.#byChannel.get(channel) === created) this.#byChannel.delete(channel);
          throw err;
        },
      );
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
      const channel = this.#deps.channelOf(broadcastId);
      this.#byChannel.delete(channel);
      if (!this.#closed) this.#connection.unsubscribe(channel).catch(() => {});
    };
  }

  /** The latest seq this process handed to listeners of the broadcast (0: none, or not subscribed). */
  delivered(broadcastId: string): number {
    const sub = this.#subscriptions.get(broadcastId);
    return sub?.delivered ?? sub?.baseline ?? 0;
  }

  /** Listeners hear nothing more; the caller quits the connection. */
  close(): void {
    this.#closed = true;
    this.#subscriptions.clear();
    this.#byChannel.clear();
  }

  #onMessage(channel: string, message: string): void {
    const sub = this.#byChannel.get(channel);
    if (!sub) return;
    let delivery: Delivery;
    try {
      delivery = JSON.parse(message) as Delivery;
    } catch {
      this.#deps.logger?.warn({ channel }, 'unreadable message on the channel bus');
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
        this.#deps.logger?.error({ err, broadcastId: sub.broadcastId }, 'channel bus listener failed');
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
          this.#deps.logger?.warn({ err: (err as Error).message, broadcastId: sub.broadcastId }, 'channel bus could not read missed events; retrying');
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
    const missed = await this.#deps.since(sub.broadcastId, after);
    if (missed === null && (await this.#deps.lastSeq(sub.broadcastId)) < after) {
      // Redis restarted empty: numbering must not start again under what these listeners have seen.
      // Events numbered below `after` meanwhile (by a process with no sockets here) are dropped as repeats.
      this.#deps.logger?.warn({ broadcastId: sub.broadcastId, after }, 'Redis lost the channel numbering; it goes on from this process');
      await this.#deps.raise(sub.broadcastId, after);
      return;
    }
    if (missed === null) {
      this.#deps.logger?.warn({ broadcastId: sub.broadcastId, after }, 'channel bus missed more events than Redis keeps');
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
      await this.#connection.subscribe(...subs.map((sub) => this.#deps.channelOf(sub.broadcastId)));
    } catch (err) {
      // The connection dropped again; its next 'ready' comes back here.
      this.#deps.logger?.warn({ err: (err as Error).message }, 'channel bus could not subscribe again');
      return;
    }
    for (const sub of subs) this.#requestCatchUp(sub);
  }
}
