// Whether a feed is arriving, from its video producer's byte count (a feed without picture is not a
// broadcast): `flowing` when bytes start to grow (first time, or again after a silence), `silent` when
// they have not grown for SILENCE_MS. Polled: mediasoup reports no per-packet event to this process.
import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup';

/** No new packet for this long: the sender has dropped. */
const SILENCE_MS = 3_000;
const POLL_MS = 500;

export class FeedFlow extends EventEmitter<{ flowing: []; silent: [] }> {
  readonly #producer: types.Producer;
  readonly #poll: NodeJS.Timeout;
  #lastBytes = 0;
  #lastChange = 0;
  #flowing = false;
  #closed = false;

  constructor(producer: types.Producer) {
    super();
    this.#producer = producer;
    this.#poll = setInterval(() => void this.#check(), POLL_MS);
  }

  get flowing(): boolean {
    return this.#flowing;
  }

  async #check(): Promise<void> {
    let bytes: number;
    try {
      bytes = (await this.#producer.getStats()).reduce((sum, s) => sum + s.byteCount, 0);
    } catch {
      return; // closed while asking
    }
    if (this.#closed) return;
    const now = Date.now();
    if (bytes !== this.#lastBytes) {
      this.#lastBytes = bytes;
      this.#lastChange = now;
      if (!this.#flowing) {
        this.#flowing = true;
        this.emit('flowing');
      }
    } else if (this.#flowing && now - this.#lastChange > SILENCE_MS) {
      this.#flowing = false;
      this.emit('silent');
    }
  }

  close(): void {
    this.#closed = true;
    clearInterval(this.#poll);
  }
}
