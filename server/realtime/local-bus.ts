// The embedded default: one process holds every socket, so numbering and delivery are a counter and
// a loop. A restart starts the numbers again from 0; a client resuming with a higher lastSeq than
// the bus knows gets a snapshot (since() returns null), so nothing is silently skipped.
import type { ChannelBus, Delivery, PublicEvent, StaffEvent, UnnumberedEvent } from './bus.ts';

/** Enough for a client that dropped off for a few seconds at a busy gala; further behind gets a snapshot. */
const KEPT = 1000;

class Topic {
  seq = 0;
  /** A ring of the last KEPT public events; `seq` of the newest is `this.seq`. */
  readonly ring: (PublicEvent | undefined)[] = new Array(KEPT);
  readonly listeners = new Set<(delivery: Delivery) => void>();
}

export class LocalBus implements ChannelBus {
  readonly #topics = new Map<string, Topic>();

  #topic(broadcastId: string): Topic {
    let topic = this.#topics.get(broadcastId);
    if (!topic) this.#topics.set(broadcastId, (topic = new Topic()));
    return topic;
  }

  async publish(broadcastId: string, event: UnnumberedEvent): Promise<PublicEvent> {
    const topic = this.#topic(broadcastId);
    const numbered = { ...event, seq: ++topic.seq } as PublicEvent;
    topic.ring[numbered.seq % KEPT] = numbered;
    this.#deliver(topic, { kind: 'public', event: numbered });
    return numbered;
  }

  async publishStaff(broadcastId: string, event: StaffEvent): Promise<void> {
    const topic = this.#topics.get(broadcastId);
    if (topic) this.#deliver(topic, { kind: 'staff', event });
  }

  async subscribe(broadcastId: string, listener: (delivery: Delivery) => void): Promise<() => void> {
    const topic = this.#topic(broadcastId);
    topic.listeners.add(listener);
    return () => {
      topic.listeners.delete(listener);
    };
  }

  async lastSeq(broadcastId: string): Promise<number> {
    return this.#topics.get(broadcastId)?.seq ?? 0;
  }

  async since(broadcastId: string, afterSeq: number): Promise<PublicEvent[] | null> {
    const last = this.#topics.get(broadcastId)?.seq ?? 0;
    if (afterSeq > last || last - afterSeq > KEPT) return null;
    const topic = this.#topic(broadcastId);
    const events: PublicEvent[] = [];
    for (let seq = afterSeq + 1; seq <= last; seq++) events.push(topic.ring[seq % KEPT]!);
    return events;
  }

  async reportViewers(_broadcastId: string, here: number): Promise<number> {
    return here;
  }

  async close(): Promise<void> {
    this.#topics.clear();
  }

  #deliver(topic: Topic, delivery: Delivery): void {
    for (const listener of topic.listeners) listener(delivery);
  }
}
