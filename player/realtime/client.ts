// A browser client for a broadcast's realtime channel (docs/realtime.md): one WebSocket that says
// hello, keeps one view of the channel up to date from the snapshot, replayed and live events, resumes
// from its last `seq` after a drop (with backoff and jitter, so a crowd that lost the same server does
// not return in one wave), and reconnects when it sees a gap. Shared by the watch page and the console
// (studio and moderation pages), so it holds no words and draws nothing; the view and how frames change
// it are in view.ts.
import type { CLOSE } from '../../server/contracts/realtime.ts';
import { applyFrame, emptyView, type ChannelView, type ClientMessage, type Connection, type RealtimeErrorCode, type ServerMessage } from './view.ts';

export * from './view.ts';

// Typed against the contract's values, so a renumbered close code does not compile here.
const BANNED: (typeof CLOSE)['BANNED'] = 4003;
const NOT_FOUND: (typeof CLOSE)['BROADCAST_NOT_FOUND'] = 4004;

/** Events numbered one by one across the channel; everything else repeats the latest number. */
const PUBLIC = new Set<ServerMessage['type']>(['question.added', 'question.updated', 'chat.message', 'chat.hidden', 'state', 'settings']);
const OUTBOX_MAX = 20;
const DEVICE_KEY = 'linbo.device';
const DEVICE_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;

export interface ChannelError {
  code: RealtimeErrorCode;
  message: string;
  ref?: string;
  retryAfterMs?: number;
}

/** What changed: a frame from the server, the connection itself, or this client's own upvote. */
export type Change = ServerMessage | { type: 'connection' } | { type: 'upvoted' };
export type Listener = (view: ChannelView, change: Change) => void;

export interface ClientOptions {
  /** The broadcast's `links.channel`. */
  url: string;
  /** Display name sent in `hello`. */
  name?: string | null;
}

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null; // blocked in some WebViews and private modes
  }
}

export class ChannelClient {
  readonly view: ChannelView = emptyView();
  readonly #url: string;
  #name: string | null;
  #socket: WebSocket | null = null;
  #lastSeq: number | null = null;
  #welcomed = false;
  #attempts = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;
  readonly #listeners = new Set<Listener>();
  readonly #errorListeners = new Set<(error: ChannelError) => void>();
  readonly #outbox: ClientMessage[] = [];

  constructor(options: ClientOptions) {
    this.#url = options.url;
    this.#name = options.name || null;
    this.#connect();
  }

  /** Calls `listener` after every change; returns what removes it. */
  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    listener(this.view, { type: 'connection' });
    return () => this.#listeners.delete(listener);
  }

  /** Refusals from the server (rate limits, filters, bans...), for a page to explain. */
  onError(listener: (error: ChannelError) => void): () => void {
    this.#errorListeners.add(listener);
    return () => this.#errorListeners.delete(listener);
  }

  /** Sends now when welcomed, else once welcomed (a few only: a page offline for long does not pile up). */
  send(message: ClientMessage): void {
    if (this.#closed || this.view.banned) return;
    if (this.#welcomed && this.#socket?.readyState === WebSocket.OPEN) this.#socket.send(JSON.stringify(message));
    else if (this.#outbox.length < OUTBOX_MAX) this.#outbox.push(message);
  }

  /** The name travels in `hello` only, so a new one reconnects (resuming where it was). */
  setName(name: string | null): void {
    const next = name || null;
    if (next === this.#name) return;
    this.#name = next;
    this.#reconnect();
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#socket?.close(1000);
    this.#socket = null;
    this.#listeners.clear();
    this.#errorListeners.clear();
  }

  #emit(change: Change): void {
    for (const listener of this.#listeners) listener(this.view, change);
  }

  #setConnection(connection: Connection): void {
    if (this.view.connection === connection) return;
    this.view.connection = connection;
    this.#emit({ type: 'connection' });
  }

  #connect(): void {
    if (this.#closed) return;
    this.#welcomed = false;
    this.#setConnection('connecting');
    let socket: WebSocket;
    try {
      socket = new WebSocket(this.#url);
    } catch {
      return this.#retry();
    }
    this.#socket = socket;
    socket.onopen = () => socket.send(JSON.stringify(this.#hello()));
    socket.onmessage = (event) => {
      if (socket !== this.#socket || typeof event.data !== 'string') return;
      let message: ServerMessage;
      try {
        message = JSON.parse(event.data) as ServerMessage;
      } catch {
        return;
      }
      this.#receive(message);
    };
    socket.onclose = (event) => {
      if (socket !== this.#socket) return;
      this.#socket = null;
      this.#welcomed = false;
      if (event.code === BANNED) this.view.banned = true;
      if (event.code === NOT_FOUND) this.view.missing = true;
      this.#setConnection('closed');
      if (!this.view.banned && !this.view.missing) this.#retry();
    };
  }

  #hello(): ClientMessage {
    const hello: ClientMessage & { type: 'hello' } = { type: 'hello' };
    if (this.#lastSeq !== null) hello.lastSeq = this.#lastSeq;
    if (this.#name) hello.name = this.#name;
    const device = storage()?.getItem(DEVICE_KEY);
    if (device && DEVICE_PATTERN.test(device)) hello.device = device;
    return hello;
  }

  /** 0.5 s doubling to 30 s, each wait drawn between half and all of it. */
  #retry(): void {
    if (this.#closed) return;
    clearTimeout(this.#timer);
    const ceiling = Math.min(30_000, 500 * 2 ** this.#attempts);
    this.#attempts += 1;
    this.#timer = setTimeout(() => this.#connect(), ceiling * (0.5 + Math.random() * 0.5));
  }

  /** Drops this socket and opens another at once, resuming from lastSeq. */
  #reconnect(): void {
    const socket = this.#socket;
    this.#socket = null;
    socket?.close(1000);
    clearTimeout(this.#timer);
    this.#connect();
  }

  #receive(message: ServerMessage): void {
    if (PUBLIC.has(message.type) && this.#lastSeq !== null) {
      // A number skipped means an event missed: resume from the last one seen, which replays it.
      if (message.seq > this.#lastSeq + 1) return this.#reconnect();
      if (message.seq === this.#lastSeq + 1) this.#lastSeq = message.seq;
    }
    applyFrame(this.view, message);
    if (message.type === 'welcome') {
      this.#welcomed = true;
      this.#attempts = 0;
      try {
        storage()?.setItem(DEVICE_KEY, message.device);
      } catch {
        // storage full or refused: the cookie alone names the device
      }
      this.#setConnection('open');
      for (const queued of this.#outbox.splice(0)) this.send(queued);
    } else if (message.type === 'snapshot') {
      this.#lastSeq = message.seq;
    } else if (message.type === 'error') {
      const error: ChannelError = { code: message.code, message: message.message, ref: message.ref, retryAfterMs: message.retryAfterMs };
      for (const listener of this.#errorListeners) listener(error);
    }
    this.#emit(message);
  }

  /** Upvotes once: marks it at once so a second tap sends nothing. */
  upvote(questionId: string): void {
    if (this.view.upvoted.has(questionId)) return;
    this.view.upvoted.add(questionId);
    this.send({ type: 'question.upvote', questionId });
    this.#emit({ type: 'upvoted' });
  }
}
