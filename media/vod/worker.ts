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
      return;
    }
    if (this.#closed || this.#jobs.has(message.jobId)) return; // a repeated start is the same job
    const { jobId, clipId, source } = message;
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
    logger.info('VOD job started');
    void job.outcome.then((outcome) => {
      this.#jobs.delete(jobId);
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
