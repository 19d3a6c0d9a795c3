// Residents' recent submissions, read from the clips they became (the submission limit's durable part).
import { and, count, eq, gt } from 'drizzle-orm';
import type { Db } from '../store/db.ts';
import { clips } from '../store/schema.ts';

export class SubmissionStore {
  readonly #db: Db;
  constructor(db: Db) {
    this.#db = db;
  }

  async sinceByDevice(viewerId: string, since: Date): Promise<number> {
    const [row] = await this.#db.select({ n: count() }).from(clips).where(and(eq(clips.submitterViewerId, viewerId), gt(clips.createdAt, since)));
    return row?.n ?? 0;
  }

  async sinceByIp(ip: string, since: Date): Promise<number> {
    const [row] = await this.#db.select({ n: count() }).from(clips).where(and(eq(clips.submitterIp, ip), gt(clips.createdAt, since)));
    return row?.n ?? 0;
  }
}
