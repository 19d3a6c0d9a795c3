// Durable VOD jobs (VodJobs): queued in the database, dispatched to media nodes with free slots (on
// enqueue, when a node registers or reports its load, when a job ends), their reports forwarded to the
// clips (ClipJobSink). A job whose node is lost or falls silent is run again from the start, up to
// MAX_ATTEMPTS times. Every decision is a conditional statement in VodJobStore, so any number of
// control-plane replicas may run this side by side.
import type { Logger } from 'pino';
import type { ClipJobSink, ClipSources, VodJobs } from '../clips/ports.ts';
import type { Clock } from '../clock.ts';
import type { VodControlMessage, VodNodeMessage } from '../contracts/media.ts';
import type { NodeEvent } from '../media-nodes/service.ts';
import type { MediaNodeEntry } from '../media-nodes/registry.ts';
import { vodSlots } from './capacity.ts';
import { nodesLost, sourceMissing, VOD_CANCELLED } from './errors.ts';
import type { VodJobRow, VodJobStore } from './store.ts';

/** Runs of one job (each from the start) before it is failed: a third lost node is not bad luck. */
export const MAX_ATTEMPTS = 3;
/** Progress is written at most this often per job (nodes send it about once a second). */
const PROGRESS_EVERY_MS = 900;

/** What the service needs of MediaNodeService (the bus and the nodes it knows). */
export interface VodNodes {
  readonly registry: { nodes(): readonly MediaNodeEntry[] };
  sendVod(nodeId: string, message: VodControlMessage): boolean;
  onVod(listener: (message: VodNodeMessage) => void): () => void;
  onNodeEvent(listener: (event: NodeEvent) => void): () => void;
}

export interface VodJobDeps {
  readonly mediaNodes: VodNodes;
  readonly sources: ClipSources;
  readonly clock: Clock;
  readonly logger: Logger;
  /** A running job whose node has not reported for this long is re-queued (nodes report every second). */
  readonly staleMs?: number;
}

export class VodJobService implements VodJobs {
  readonly #store: VodJobStore;
  readonly #deps: VodJobDeps;
  readonly #staleMs: number;
  readonly #offs: (() => void)[];
  readonly #sweepTimer: NodeJS.Timeout;
  readonly #lastProgress = new Map<string, number>();
  #sink: ClipJobSink | undefined;
  /** Dispatches and sweeps run one at a time in this process (the database arbitrates between replicas). */
  #queue: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(store: VodJobStore, deps: VodJobDeps) {
    this.#store = store;
    this.#deps = deps;
    this.#staleMs = deps.staleMs ?? 20_000;
    this.#offs = [deps.mediaNodes.onVod((message) => void this.#report(message)), deps.mediaNodes.onNodeEvent((event) => this.#nodeEvent(event))];
    // Jobs left running by a control plane or node that went away (a restart) fall silent: re-queued here.
    this.#sweepTimer = setInterval(() => this.#serially(() => this.#requeue({ staleBefore: this.#staleBefore() })), this.#staleMs / 2);
    this.#sweepTimer.unref();
    this.#serially(() => this.#requeue({ staleBefore: this.#staleBefore() }));
  }

  /** Where job reports go (ClipService); set once at wiring. */
  attachSink(sink: ClipJobSink): void {
    this.#sink = sink;
    this.dispatch();
  }

  async enqueue(clipId: string): Promise<void> {
    const queued = await this.#store.enqueue(clipId, this.#deps.clock.now());
    if (queued) this.#deps.logger.info({ clipId }, 'VOD job queued');
    this.dispatch();
  }

  async cancel(clipId: string): Promise<boolean> {
    const job = await this.#store.cancel(clipId, VOD_CANCELLED, this.#deps.clock.now());
    if (!job) return false;
    this.#deps.logger.info({ clipId, jobId: job.id, nodeId: job.nodeId }, 'VOD job cancelled');
    // The node kills ffmpeg and removes what it had published; its vod.failed finds the job ended.
    if (job.state === 'running' && job.nodeId) this.#deps.mediaNodes.sendVod(job.nodeId, { type: 'vod.cancel', jobId: job.id });
    await this.#tell((sink) => sink.failed(clipId, VOD_CANCELLED), clipId);
    this.dispatch();
    return true;
  }

  /** Gives queued jobs to nodes with free slots; also runs by itself on the events named above. */
  dispatch(): void {
    this.#serially(() => this.#dispatch());
  }

  /** Resolves once what was asked of the service so far has been done (tests, shutdown). */
  settled(): Promise<void> {
    return this.#queue;
  }

  #serially(step: () => Promise<void>): void {
    this.#queue = this.#queue.then(step).catch((err) => this.#deps.logger.error({ err }, 'VOD job dispatch failed'));
  }

  #staleBefore(): Date {
    return new Date(this.#deps.clock.now().getTime() - this.#staleMs);
  }

  async #dispatch(): Promise<void> {
    if (this.#closed || !this.#sink) return;
    const running = await this.#store.runningByNode();
    const freshSince = this.#deps.clock.now().getTime() - this.#staleMs;
    const nodes = this.#deps.mediaNodes.registry.nodes().filter((n) => n.lastSeen >= freshSince);
    for (const node of nodes) {
      for (let free = vodSlots(node) - (running.get(node.nodeId) ?? 0); free > 0; free--) {
        const job = await this.#store.claim(node.nodeId, this.#deps.clock.now());
        if (!job) return;
        await this.#start(job, node.nodeId);
      }
    }
  }

  async #start(job: VodJobRow, nodeId: string): Promise<void> {
    const log = this.#deps.logger.child({ jobId: job.id, clipId: job.clipId, nodeId });
    let source;
    try {
      source = await this.#deps.sources.locate(job.clipId);
    } catch (err) {
      log.error({ err }, 'the VOD job’s source could not be located');
      const error = sourceMissing(err instanceof Error ? err.message : String(err));
      if (await this.#store.fail(job.id, error, this.#deps.clock.now())) await this.#tell((sink) => sink.failed(job.clipId, error), job.clipId);
      return;
    }
    log.info({ attempt: job.attempts }, 'VOD job sent to a media node');
    this.#deps.mediaNodes.sendVod(nodeId, { type: 'vod.start', jobId: job.id, clipId: job.clipId, source });
    await this.#tell((sink) => sink.started(job.clipId), job.clipId);
  }

  async #report(message: VodNodeMessage): Promise<void> {
    const now = this.#deps.clock.now();
    const { jobId, nodeId } = message;
    try {
      switch (message.type) {
        case 'vod.progress': {
          const last = this.#lastProgress.get(jobId) ?? 0;
          if (now.getTime() - last < PROGRESS_EVERY_MS && message.percent < 100) return;
          this.#lastProgress.set(jobId, now.getTime());
          const job = await this.#store.heartbeat(jobId, nodeId, message.percent, message.etaSeconds, now);
          if (job) await this.#tell((sink) => sink.progress(job.clipId, message.percent, message.etaSeconds), job.clipId);
          return;
        }
        case 'vod.done': {
          this.#lastProgress.delete(jobId);
          const job = await this.#store.finish(jobId, nodeId, 'done', null, now);
          if (job) await this.#tell((sink) => sink.done(job.clipId, message.result), job.clipId);
          this.dispatch();
          return;
        }
        case 'vod.failed': {
          this.#lastProgress.delete(jobId);
          const state = message.error.code === VOD_CANCELLED.code ? 'cancelled' : 'failed';
          const job = await this.#store.finish(jobId, nodeId, state, message.error, now);
          if (job) await this.#tell((sink) => sink.failed(job.clipId, message.error), job.clipId);
          this.dispatch();
          return;
        }
      }
    } catch (err) {
      this.#deps.logger.error({ err, jobId, nodeId, type: message.type }, 'could not record a VOD job report');
    }
  }

  #nodeEvent(event: NodeEvent): void {
    // A node that registers is a new process: whatever ran under its id before has died with the old one.
    if (event.kind === 'lost' || event.kind === 'registered') this.#serially(() => this.#requeue({ nodeId: event.nodeId }));
    this.dispatch();
  }

  async #requeue(filter: { nodeId?: string; staleBefore?: Date }): Promise<void> {
    if (this.#closed) return;
    const now = this.#deps.clock.now();
    const { requeued, failed } = await this.#store.requeueLost(filter, MAX_ATTEMPTS, nodesLost(MAX_ATTEMPTS), now);
    for (const job of requeued) this.#deps.logger.warn({ jobId: job.id, clipId: job.clipId, nodeId: job.nodeId, attempts: job.attempts }, 'VOD job lost its node; queued again');
    for (const job of failed) await this.#tell((sink) => sink.failed(job.clipId, nodesLost(job.attempts)), job.clipId);
    if (requeued.length > 0) await this.#dispatch();
  }

  /** The sink's failures are logged, never thrown back into the bus or the queue. */
  async #tell(call: (sink: ClipJobSink) => Promise<void>, clipId: string): Promise<void> {
    if (!this.#sink) return;
    try {
      await call(this.#sink);
    } catch (err) {
      this.#deps.logger.error({ err, clipId }, 'the clip could not take a VOD job report');
    }
  }

  /** Stops listening and dispatching; running jobs go on on their nodes. Safe to call twice. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#sweepTimer);
    for (const off of this.#offs.splice(0)) off();
    await this.#queue;
  }
}
