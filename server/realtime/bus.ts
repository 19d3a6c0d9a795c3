// How a broadcast's channel reaches every control-plane process that holds some of its sockets. The
// embedded default is one process (local-bus.ts); with REDIS_URL, Redis carries events between
// replicas (redis-bus.ts). Either way the bus alone numbers public events, so `seq` has no gaps and
// every process delivers the same events in the same order.
import type { ServerMessage } from '../contracts/realtime.ts';

/** A public event before it is numbered: every socket on the channel receives it. */
export type PublicEvent = Extract<ServerMessage, { type: 'question.added' | 'question.updated' | 'chat.message' | 'chat.hidden' | 'state' | 'settings' }>;
export type UnnumberedEvent = DistributiveOmit<PublicEvent, 'seq'>;
/** A frame for the broadcast's staff sockets only (pending questions, bans); it carries no seq of its own. */
export type StaffEvent = DistributiveOmit<Extract<ServerMessage, { type: 'question.added' | 'question.updated' | 'bans' }>, 'seq'>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export type Delivery = { kind: 'public'; event: PublicEvent } | { kind: 'staff'; event: StaffEvent };

export interface ChannelBus {
  /** Numbers the event (the next seq, gap-free across processes), keeps it for resuming clients and delivers it to every subscriber, this process's included. */
  publish(broadcastId: string, event: UnnumberedEvent): Promise<PublicEvent>;
  publishStaff(broadcastId: string, event: StaffEvent): Promise<void>;
  /** Deliveries arrive in seq order. Returns the function that unsubscribes. */
  subscribe(broadcastId: string, listener: (delivery: Delivery) => void): Promise<() => void>;
  /** The seq of the latest public event (0 before the first). */
  lastSeq(broadcastId: string): Promise<number>;
  /** The public events after `afterSeq`, oldest first, or null when they are no longer all kept (the client then gets a snapshot). */
  since(broadcastId: string, afterSeq: number): Promise<PublicEvent[] | null>;
  /** Reports the sockets this process holds on the channel now; returns the count over every live process. */
  reportViewers(broadcastId: string, here: number): Promise<number>;
  close(): Promise<void>;
}
