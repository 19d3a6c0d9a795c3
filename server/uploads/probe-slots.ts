// How many finished uploads are probed at once: each probe runs ffprobe and a short ffmpeg decode in the
// control plane, so a crowd of residents pressing 发送 together waits in line instead of starting one
// decoder each on the machine that also serves the pages.
export class ProbeSlots {
  readonly #size: number;
  #running = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(size: number) {
    this.#size = Math.max(1, size);
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.#running >= this.#size) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    else this.#running++;
    try {
      return await work();
    } finally {
      // The slot passes straight to the next in line, or is given back.
      const next = this.#waiting.shift();
      if (next) next();
      else this.#running--;
    }
  }
}
