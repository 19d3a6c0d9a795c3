// The vod_jobs rows: the durable queue. Every step is one statement, so replicas sharing the database
// never run one job twice: a claim takes the oldest queued job with FOR UPDATE SKIP LOCKED (a job another
// replica is claiming at the same instant is skipped, not waited for), and a report only changes a job
// still running on the node that sends it.
import { and, asc, count, eq, gte, inArray, isNotNull, lt, or, sql } from 'drizzle-orm';
import type { ClipError } from '../contracts/clips.ts';
import type { Db } from '../store/db.ts';
import { vodJobs } from '../store/schema.ts';

export type VodJobRow = typeof vodJobs.$inferSelect;
type EndState = 'done' | 'failed' | 'cancelled';
const UNFINISHED = ['queued', 'running'] as const;

export class VodJobStore {
  readonly #db: Db;
  constructor(db: Db) {
    this.#db = db;
  }

  /** Queues the clip's job; false when it already has an unfinished one (the partial unique index). */
  async enqueue(clipId: string, now: Date): Promise<boolean> {
    const rows = await this.#db.insert(vodJobs).values({ clipId, createdAt: now }).onConflictDoNothing().returning({ id: vodJobs.id });
    return rows.length > 0;
  }

  /** Takes the oldest queued job for `nodeId`, counting the attempt; undefined when none is queued. */
  async claim(nodeId: string, now: Date): Promise<VodJobRow | undefined> {
    const oldest = this.#db
      .select({ id: vodJobs.id })
      .from(vodJobs)
      .where(eq(vodJobs.state, 'queued'))
      .orderBy(asc(vodJobs.createdAt))
      .limit(1)
      .for('update', { skipLocked: true });
    const [row] = await this.#db
      .update(vodJobs)
      .set({ state: 'running', nodeId, attempts: sql`${vodJobs.attempts} + 1`, progress: 0, etaSeconds: null, startedAt: now, heartbeatAt: now })
      .where(and(inArray(vodJobs.id, oldest), eq(vodJobs.state, 'queued')))
      .returning();
    return row;
  }

  /** Records a running job's progress (its sign of life); undefined when it no longer runs there. */
  async heartbeat(jobId: string, nodeId: string, progress: number, etaSeconds: number | null, now: Date): Promise<VodJobRow | undefined> {
    const [row] = await this.#db
      .update(vodJobs)
      .set({ progress, etaSeconds: etaSeconds === null ? null : Math.round(etaSeconds), heartbeatAt: now })
      .where(and(eq(vodJobs.id, jobId), eq(vodJobs.state, 'running'), eq(vodJobs.nodeId, nodeId)))
      .returning();
    return row;
  }

  /** Ends a job running on `nodeId`; undefined when it had already ended or moved (a late report). */
  async finish(jobId: string, nodeId: string, state: EndState, error: ClipError | null, now: Date): Promise<VodJobRow | undefined> {
    const [row] = await this.#db
      .update(vodJobs)
      .set({ state, error, finishedAt: now, ...(state === 'done' ? { progress: 100, etaSeconds: 0 } : {}) })
      .where(and(eq(vodJobs.id, jobId), eq(vodJobs.state, 'running'), eq(vodJobs.nodeId, nodeId)))
      .returning();
    return row;
  }

  /** Fails a job whatever node has it (its source is gone, or it ran out of attempts). */
  async fail(jobId: string, error: ClipError, now: Date): Promise<VodJobRow | undefined> {
    const [row] = await this.#db
      .update(vodJobs)
      .set({ state: 'failed', error, finishedAt: now })
      .where(and(eq(vodJobs.id, jobId), inArray(vodJobs.state, UNFINISHED)))
      .returning();
    return row;
  }

  /** Cancels the clip's unfinished job; the row as it was (its state and node tell who to stop), undefined when none. */
  async cancel(clipId: string, error: ClipError, now: Date): Promise<{ id: string; state: string; nodeId: string | null } | undefined> {
    return this.#db.transaction(async (tx) => {
      const [before] = await tx
        .select({ id: vodJobs.id, state: vodJobs.state, nodeId: vodJobs.nodeId })
        .from(vodJobs)
        .where(and(eq(vodJobs.clipId, clipId), inArray(vodJobs.state, UNFINISHED)))
        .for('update');
      if (!before) return undefined;
      await tx.update(vodJobs).set({ state: 'cancelled', error, finishedAt: now }).where(eq(vodJobs.id, before.id));
      return before;
    });
  }

  /**
   * Running jobs that lost their node (`nodeId`) or whose heartbeat is older than `staleBefore`: back to
   * the queue to be run again from the start, or failed with `error` once they have had `maxAttempts`.
   */
  async requeueLost(
    filter: { nodeId?: string; staleBefore?: Date },
    maxAttempts: number,
    error: ClipError,
    now: Date,
  ): Promise<{ requeued: VodJobRow[]; failed: VodJobRow[] }> {
    const lost = and(
      eq(vodJobs.state, 'running'),
      or(
        filter.nodeId === undefined ? undefined : eq(vodJobs.nodeId, filter.nodeId),
        filter.staleBefore === undefined ? undefined : lt(vodJobs.heartbeatAt, filter.staleBefore),
      ),
    );
    const failed = await this.#db
      .update(vodJobs)
      .set({ state: 'failed', error, finishedAt: now })
      .where(and(lost, gte(vodJobs.attempts, maxAttempts)))
      .returning();
    const requeued = await this.#db
      .update(vodJobs)
      .set({ state: 'queued', nodeId: null, progress: 0, etaSeconds: null, heartbeatAt: null })
      .where(lost)
      .returning();
    return { requeued, failed };
  }

  /** How many jobs each node is running now (every replica's dispatches count). */
  async runningByNode(): Promise<Map<string, number>> {
    const rows = await this.#db
      .select({ nodeId: vodJobs.nodeId, running: count() })
      .from(vodJobs)
      .where(and(eq(vodJobs.state, 'running'), isNotNull(vodJobs.nodeId)))
      .groupBy(vodJobs.nodeId);
    return new Map(rows.map((r) => [r.nodeId!, Number(r.running)]));
  }

  async byId(jobId: string): Promise<VodJobRow | undefined> {
    const [row] = await this.#db.select().from(vodJobs).where(eq(vodJobs.id, jobId));
    return row;
  }

  /** The clip's jobs, newest first. */
  byClip(clipId: string): Promise<VodJobRow[]> {
    return this.#db.select().from(vodJobs).where(eq(vodJobs.clipId, clipId)).orderBy(sql`${vodJobs.createdAt} desc`);
  }
}
