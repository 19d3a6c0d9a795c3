// Unfinished uploads are removed once they are older than the expiry (tus 1.0 expiration extension).
// Our own sweep rather than the stores' deleteExpired(): the file store's compares the offset recorded
// at creation (always 0), so it would also delete finished uploads, the sources of clips; the S3
// store's lists every multipart upload in the bucket, media segments' included.
import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import type { UploadBackend } from './backend.ts';

export class UploadExpiry {
  readonly #backend: UploadBackend;
  readonly #clock: Clock;
  readonly #expireMs: number;
  readonly #logger: Logger;
  #timer: NodeJS.Timeout | undefined;

  constructor(backend: UploadBackend, options: { clock: Clock; expireMs: number; logger: Logger }) {
    this.#backend = backend;
    this.#clock = options.clock;
    this.#expireMs = options.expireMs;
    this.#logger = options.logger;
  }

  /** Removes every unfinished upload begun more than the expiry ago; gives their tus ids. */
  async sweep(): Promise<string[]> {
    const now = this.#clock.now().getTime();
    const removed: string[] = [];
    for await (const id of this.#backend.uploadIds()) {
      const upload = await this.#backend.datastore.getUpload(id).catch(() => undefined);
      if (!upload?.creation_date) continue;
      const unfinished = upload.size === undefined || upload.offset < upload.size;
      if (unfinished && new Date(upload.creation_date).getTime() + this.#expireMs < now) {
        await this.#backend.remove(this.#backend.clipIdOf(id));
        removed.push(id);
      }
    }
    return removed;
  }

  /** Sweeps every `everyMs` until close(). */
  start(everyMs: number): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => {
      this.sweep().then(
        (removed) => removed.length > 0 && this.#logger.info({ removed: removed.length }, 'expired uploads removed'),
        (err: unknown) => this.#logger.warn({ err }, 'expired uploads sweep failed'),
      );
    }, everyMs);
    this.#timer.unref();
  }

  close(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
