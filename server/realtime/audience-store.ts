// The numbers of a broadcast's audience and the per-device rows behind them: unique viewers, peak,
// likes, and each device's last chat time. Every counter changes in one SQL statement, so any number of
// control-plane processes can add to the same row at once.
import { and, eq, isNotNull, isNull, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../store/db.ts';
import { broadcastAudience, broadcastViewers } from '../store/schema.ts';

export interface AudienceRow {
  likes: number;
  viewersPeak: number;
  viewersTotal: number;
}

const NO_AUDIENCE: AudienceRow = { likes: 0, viewersPeak: 0, viewersTotal: 0 };
const VIEWERS_PER_STATEMENT = 5000;

export class AudienceStore {
  readonly #db: Db;
  constructor(db: Db) {
    this.#db = db;
  }

  // ── devices ──
  /** Counts the device towards the total the first time only: one statement, so replicas never count it twice. */
  async recordViewer(broadcastId: string, viewerId: string): Promise<void> {
    await this.#db.execute(sql`
      with inserted as (
        insert into ${broadcastViewers} (broadcast_id, viewer_id) values (${broadcastId}, ${viewerId})
        on conflict do nothing returning 1
      )
      insert into ${broadcastAudience} (broadcast_id, viewers_total)
      select ${broadcastId}, 1 from inserted
      on conflict (broadcast_id) do update set viewers_total = ${broadcastAudience}.viewers_total + 1`);
  }

  /**
   * A batch of devices in one statement; the database decides which are new, so two processes sending
   * the same device count it once. Returns how many were new. Batched (a gala's first minute brings
   * thousands) below PostgreSQL's limit on parameters.
   */
  async recordViewers(broadcastId: string, viewerIds: readonly string[]): Promise<number> {
    let added = 0;
    for (let i = 0; i < viewerIds.length; i += VIEWERS_PER_STATEMENT) {
      const rows = sql.join(
        viewerIds.slice(i, i + VIEWERS_PER_STATEMENT).map((id) => sql`(${broadcastId}, ${id})`),
        sql`, `,
      );
      const result = await this.#db.execute(sql`
        with inserted as (
          insert into ${broadcastViewers} (broadcast_id, viewer_id) values ${rows}
          on conflict do nothing returning 1
        ), counted as (
          insert into ${broadcastAudience} (broadcast_id, viewers_total)
          select ${broadcastId}, count(*) from inserted having count(*) > 0
          on conflict (broadcast_id) do update set viewers_total = ${broadcastAudience}.viewers_total + excluded.viewers_total
        )
        select count(*)::int as added from inserted`);
      // Both drivers (pg, PGlite) answer with `rows`.
      added += Number((result as unknown as { rows: { added: number }[] }).rows[0]?.added ?? 0);
    }
    return added;
  }

  async rememberName(broadcastId: string, viewerId: string, name: string | null): Promise<void> {
    if (name === null) return;
    await this.#db
      .update(broadcastViewers)
      .set({ name })
      // Only when it changed: a viewer chatting all evening rewrites nothing.
      .where(and(eq(broadcastViewers.broadcastId, broadcastId), eq(broadcastViewers.viewerId, viewerId), sql`${broadcastViewers.name} is distinct from ${name}`));
  }

  /**
   * Takes the viewer's chat turn when its last accepted message is older than `notAfter` (or there is
   * none): a conditional update, so two replicas cannot both let a message through. Returns the time of
   * the last accepted message when the turn is not yet due.
   */
  async takeChatTurn(broadcastId: string, viewerId: string, at: Date, notAfter: Date): Promise<{ taken: true } | { taken: false; lastAt: Date }> {
    const v = broadcastViewers;
    const key = and(eq(v.broadcastId, broadcastId), eq(v.viewerId, viewerId));
    const taken = await this.#db
      .update(v)
      .set({ lastChatAt: at })
      .where(and(key, or(isNull(v.lastChatAt), lte(v.lastChatAt, notAfter))))
      .returning({ viewerId: v.viewerId });
    if (taken.length > 0) return { taken: true };
    const [row] = await this.#db.select({ lastAt: v.lastChatAt }).from(v).where(and(key, isNotNull(v.lastChatAt)));
    return row?.lastAt ? { taken: false, lastAt: row.lastAt } : { taken: true };
  }

  // ── audience ──
  async audience(broadcastId: string): Promise<AudienceRow> {
    const [row] = await this.#db
      .select({ likes: broadcastAudience.likes, viewersPeak: broadcastAudience.viewersPeak, viewersTotal: broadcastAudience.viewersTotal })
      .from(broadcastAudience)
      .where(eq(broadcastAudience.broadcastId, broadcastId));
    return row ?? NO_AUDIENCE;
  }

  async addLikes(broadcastId: string, n: number): Promise<number> {
    const a = broadcastAudience;
    const [row] = await this.#db
      .insert(a)
      .values({ broadcastId, likes: n })
      .onConflictDoUpdate({ target: a.broadcastId, set: { likes: sql`${a.likes} + ${n}` } })
      .returning({ likes: a.likes });
    return Number(row!.likes);
  }

  async raisePeak(broadcastId: string, now: number): Promise<AudienceRow> {
    const a = broadcastAudience;
    const [row] = await this.#db
      .insert(a)
      .values({ broadcastId, viewersPeak: now })
      .onConflictDoUpdate({ target: a.broadcastId, set: { viewersPeak: sql`greatest(${a.viewersPeak}, excluded.viewers_peak)` } })
      .returning({ likes: a.likes, viewersPeak: a.viewersPeak, viewersTotal: a.viewersTotal });
    return row!;
  }
}
