// One socket on a broadcast's channel. A gala holds ten thousand of these in one process, so a peer
// keeps a few numbers and references: no timers of its own (the hub sweeps heartbeats and hello
// deadlines for all of them), no queue beyond what the channel's tick hands it.
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import type { ChannelRole, ServerMessage } from '../contracts/realtime.ts';
import type { Actor } from './domain.ts';

/** `rate` tokens a second up to `burst`. */
export class TokenBucket {
  readonly rate: number;
  readonly burst: number;
  #tokens: number;
  #at: number;
  constructor(rate: number, burst: number, now: number) {
    this.rate = rate;
    this.burst = burst;
    this.#tokens = burst;
    this.#at = now;
  }

  /** Takes `cost` tokens; otherwise takes none and returns how many ms until they are there. */
  take(now: number, cost = 1): number {
    this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#at) * this.rate) / 1000);
    this.#at = now;
    if (this.#tokens >= cost) {
      this.#tokens -= cost;
      return 0;
    }
    return Math.ceil(((cost - this.#tokens) * 1000) / this.rate);
  }
}

/** A frame sent in a tick: public events carry their seq; counts and staff frames do not advance it. */
export interface Entry {
  frame: Buffer;
  /** The public event's seq, or 0 for frames that are not numbered events. */
  seq: number;
  staffOnly: boolean;
}

export type PeerPhase = 'hello' | 'syncing' | 'live' | 'closed';

export class Peer {
  readonly ws: WebSocket;
  /** The TCP socket under `ws`: the channel's tick writes prebuilt frames to it directly (channel.ts). */
  readonly raw: Duplex;
  readonly ip: string;
  readonly broadcastId: string;
  /** The token from the cookie, or the one `hello.device` brings. */
  device: string;
  readonly role: ChannelRole;
  readonly openedAt: number;
  readonly bucket: TokenBucket;
  /** Refusals a flooding socket may still earn before it is closed; refills at one a second. */
  readonly grace: TokenBucket;
  phase: PeerPhase = 'hello';
  viewerId = '';
  name: string | null = null;
  missedPongs = 0;
  /** The seq of the latest public event written to this socket. */
  seq = 0;
  /** Public events up to this seq are already in what the peer was sent on joining; later ticks skip them. */
  after = 0;
  /** Entries of ticks written while the peer's snapshot or replay was being read. */
  backlog: Entry[] | null = null;
  /** Messages are handled one at a time, in the order they came. */
  work: Promise<void> = Promise.resolve();

  constructor(init: { ws: WebSocket; raw: Duplex; ip: string; broadcastId: string; device: string; role: ChannelRole; now: number; messagesPerSecond: number }) {
    this.ws = init.ws;
    this.raw = init.raw;
    this.ip = init.ip;
    this.broadcastId = init.broadcastId;
    this.device = init.device;
    this.role = init.role;
    this.openedAt = init.now;
    this.bucket = new TokenBucket(init.messagesPerSecond, init.messagesPerSecond * 4, init.now);
    this.grace = new TokenBucket(1, 20, init.now);
  }

  get staff(): boolean {
    return this.role !== 'viewer';
  }

  get actor(): Actor {
    return { viewerId: this.viewerId, name: this.name, role: this.role };
  }

  get open(): boolean {
    return this.phase !== 'closed' && this.ws.readyState === this.ws.OPEN;
  }

  /** A frame for this socket alone, stamped with the seq it has been sent up to. */
  send(message: DistributiveOmit<ServerMessage, 'seq'>): void {
    if (this.open) this.ws.send(JSON.stringify({ ...message, seq: this.seq }));
  }

  close(code: number, reason: string): void {
    if (this.phase === 'closed') return;
    this.phase = 'closed';
    this.backlog = null;
    this.ws.close(code, reason);
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
