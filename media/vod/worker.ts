// The media node's VOD side: runs the jobs the control plane sends (vod.start), stops them (vod.cancel),
// and reports progress, done or failed on the bus. How many run at once is the control plane's call
// (server/vod/capacity.ts); the node runs what it is given.
import type { Logger } from 'pino';
import type { NodeBus, VodControlMessage } from '../../server/contracts/media.ts';
import type { MediaStorage } from '../storage/storage.ts';
import { VodTranscode } from './transcode.ts';

export interface VodWorkerOptions {
  readonly nodeId: string;
  readonly dataDir: string;
  readonly bus: NodeBus;
  readonly storage: MediaStorage;
  readonly logger: Logger;
}

export class VodWorker {
  readonly #options: VodWorkerOptions;
  readonly #jobs = new Map<string, VodTranscode>();
  /** The job each clip runs here, until it has ended: a retried clip's new job waits for the old one to clear its files. */
  readonly #runningOfClip = new Map<string, VodTranscode>();
  /** Jobs waiting for their clip's previous job, and whether they were cancelled meanwhile. */
  readonly #waiting = new Map<string, { cancelled: boolean }>();
  #closed = false;

  constructor(options: VodWorkerOptions) {
    this.#options = options;
  }

  get running(): number {
    return this.#jobs.size;
  }

  handle(message: VodControlMessage): void {
    if (message.type === 'vod.cancel') {
      this.#jobs.get(message.jobId)?.cancel();
      const waiting = this.#waiting.get(message.jobId);
      if (waiting) waiting.cancelled = true;
      return;
    }
    if (this.#closed || this.#jobs.has(message.jobId) || this.#waiting.has(message.jobId)) return; // a repeated start is the same job
    const { jobId, clipId, source } = message;
    // A cancelled job reports at once but removes what it published a moment later: a retry started
    // meanwhile would lose its own files to that removal.
    const previous = this.#runningOfClip.get(clipId);
    if (previous) {
      const waiting = { cancelled: false };
      this.#waiting.set(jobId, waiting);
      void previous.outcome.then(() => {
        this.#waiting.delete(jobId);
        if (!waiting.cancelled) this.handle(message);
      });
      return;
    }
    const { nodeId, bus, storage, dataDir } = this.#options;
    const logger = this.#options.logger.child({ jobId, clipId });
    const report = (send: () => void) => {
      if (!this.#closed) send();
    };
    const job = new VodTranscode({
      jobId,
      clipId,
      source,
      dataDir,
      storage,
      logger,
      onProgress: ({ percent, etaSeconds }) => report(() => bus.send({ type: 'vod.progress', jobId, nodeId, percent, etaSeconds })),
    });
    this.#jobs.set(jobId, job);
    this.#runningOfClip.set(clipId, job);
    logger.info('VOD job started');
    void job.outcome.then((outcome) => {
      this.#jobs.delete(jobId);
      if (this.#runningOfClip.get(clipId) === job) this.#runningOfClip.delete(clipId);
      logger.info({ ok: outcome.ok }, 'VOD job ended');
      report(() => bus.send(outcome.ok ? { type: 'vod.done', jobId, nodeId, result: outcome.result } : { type: 'vod.failed', jobId, nodeId, error: outcome.error }));
    });
  }

  /**
   * Stops every job without reporting it: a node going away is not a failed job. The control plane
   * re-queues them when this node is lost or registers again. Safe to call twice.
   */
  async close(): Promise<void> {
    this.#closed = true;
    const jobs = [...this.#jobs.values()];
    for (const job of jobs) job.cancel();
    await Promise.all(jobs.map((job) => job.outcome));
  }
}
