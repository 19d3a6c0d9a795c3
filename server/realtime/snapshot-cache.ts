// The part of a viewer's snapshot every viewer shares, read once per seq. A crowd opening the page at
// once (a gala at 19:00) would otherwise read the same questions and chat from the database for each
// of ten thousand sockets. Joins reuse the view while the channel has delivered no public event since
// it was read, and joins that arrive while it is being read wait for that one read.
import type { SharedView } from './domain.ts';

export interface SharedSnapshot {
  /** The view was read after this seq was delivered, so it holds at least every event up to it. */
  seq: number;
  view: SharedView;
}

export class SnapshotCache {
  readonly #read: () => Promise<SharedView>;
  #entry: { seq: number; view: Promise<SharedView> } | undefined;

  constructor(read: () => Promise<SharedView>) {
    this.#read = read;
  }

  /**
   * The view for a join that found `seq` the latest delivered event. Taken at the call, before the
   * read starts, so a read shared by later joins with the same seq still began after that event.
   */
  async get(seq: number): Promise<SharedSnapshot> {
    let entry = this.#entry;
    if (!entry || entry.seq !== seq) {
      entry = { seq, view: this.#read() };
      this.#entry = entry;
      const started = entry;
      // A failed read is not kept: the next join tries again.
      started.view.catch(() => {
        if (this.#entry === started) this.#entry = undefined;
      });
    }
    return { seq: entry.seq, view: await entry.view };
  }

  /** Something the view shows changed without a public event: the next join reads again. */
  clear(): void {
    this.#entry = undefined;
  }
}
