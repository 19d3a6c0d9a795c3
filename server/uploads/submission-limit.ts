// Residents may start a few submissions an hour per device and per address. What counts: the clips sent
// in the last hour (the DB) and the uploads begun in the last hour still in progress in this process (an
// upload abandoned on a flaky connection stops counting after the hour, like a sent clip). A place is
// taken before counting, so two creations at once cannot both slip under the limit.
import type { Clock } from '../clock.ts';
import { ApiError } from '../http/errors.ts';
import type { SubmissionStore } from './store.ts';

interface InProgress {
  readonly viewerId: string;
  readonly ip: string;
  readonly at: number;
}

const HOUR_MS = 3600_000;

export class SubmissionLimit {
  readonly #store: SubmissionStore;
  readonly #clock: Clock;
  readonly #perDevice: number;
  readonly #perIp: number;
  readonly #expireMs: number;
  readonly #inProgress = new Map<string, InProgress>();

  constructor(store: SubmissionStore, options: { clock: Clock; perDevice: number; perIp: number; expireMs: number }) {
    this.#store = store;
    this.#clock = options.clock;
    this.#perDevice = options.perDevice;
    this.#perIp = options.perIp;
    this.#expireMs = options.expireMs;
  }

  /** Takes a place for `uploadId` or throws SUBMISSION_RATE_LIMITED (leaving none taken). */
  async take(uploadId: string, viewerId: string, ip: string): Promise<void> {
    const now = this.#clock.now().getTime();
    for (const [id, entry] of this.#inProgress) if (entry.at + this.#expireMs < now) this.#inProgress.delete(id);
    this.#inProgress.set(uploadId, { viewerId, ip, at: now });
    const since = new Date(now - HOUR_MS);
    const [byDevice, byIp] = await Promise.all([this.#store.sinceByDevice(viewerId, since), this.#store.sinceByIp(ip, since)]);
    const pending = [...this.#inProgress.values()].filter((e) => e.at > since.getTime());
    const deviceCount = byDevice + pending.filter((e) => e.viewerId === viewerId).length;
    const ipCount = byIp + pending.filter((e) => e.ip === ip).length;
    if (deviceCount > this.#perDevice || ipCount > this.#perIp) {
      this.#inProgress.delete(uploadId);
      const which = deviceCount > this.#perDevice ? `${this.#perDevice} videos an hour from one device` : `${this.#perIp} videos an hour from one network`;
      throw new ApiError('SUBMISSION_RATE_LIMITED', `At most ${which}; try again later`, { retryAfterSeconds: 3600 });
    }
  }

  /** The upload finished (it is a clip now, counted in the DB) or was refused or removed. */
  release(uploadId: string): void {
    this.#inProgress.delete(uploadId);
  }
}
