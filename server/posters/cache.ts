// Rendered posters kept in memory, least recently used first out, bounded by bytes. It holds the
// promise, not the PNG, so a QR code shared in a group chat and opened by many at once renders once.

interface Entry {
  png: Promise<Buffer>;
  bytes: number;
}

export class PosterCache {
  readonly #maxBytes: number;
  readonly #entries = new Map<string, Entry>();
  #bytes = 0;

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  /** The PNG under `key`, rendering it with `render` when it is not cached; a failed render is not kept. */
  get(key: string, render: () => Promise<Buffer>): Promise<Buffer> {
    const hit = this.#entries.get(key);
    if (hit) {
      // Re-inserting moves it to the end: Map iteration order is the recency order.
      this.#entries.delete(key);
      this.#entries.set(key, hit);
      return hit.png;
    }
    const entry: Entry = { png: render(), bytes: 0 };
    this.#entries.set(key, entry);
    entry.png.then(
      (png) => {
        if (this.#entries.get(key) !== entry) return;
        entry.bytes = png.length;
        this.#bytes += png.length;
        this.#evict();
      },
      () => {
        if (this.#entries.get(key) === entry) this.#entries.delete(key);
      },
    );
    return entry.png;
  }

  get size(): number {
    return this.#entries.size;
  }

  #evict(): void {
    for (const [key, entry] of this.#entries) {
      if (this.#bytes <= this.#maxBytes || this.#entries.size <= 1) return;
      this.#entries.delete(key);
      this.#bytes -= entry.bytes;
    }
  }
}
