// What a broadcast's channel keeps: questions, upvotes, chat, bans, settings, and the site-wide word
// list. An upvote and its count change in one SQL statement, so any number of control-plane processes
// can take upvotes for the same question at once. The numbers (viewers, likes) are in audience-store.ts.
import { and, asc, count, desc, eq, getTableColumns, inArray, or, sql } from 'drizzle-orm';
import type { Db } from '../store/db.ts';
import {
  broadcastViewers,
  broadcasts,
  moderationWords,
  realtimeBans,
  realtimeChatMessages,
  realtimeQuestions,
  realtimeSettings,
  realtimeUpvotes,
} from '../store/schema.ts';

export type QuestionRow = typeof realtimeQuestions.$inferSelect;
export type QuestionStateValue = QuestionRow['state'];
export type ChatRow = typeof realtimeChatMessages.$inferSelect;
export type SettingsRow = Omit<typeof realtimeSettings.$inferSelect, 'broadcastId'>;
export interface BanRow {
  viewerId: string;
  name: string | null;
  reason: string;
  bannedAt: Date;
}

export class RealtimeStore {
  readonly #db: Db;
  constructor(db: Db) {
    this.#db = db;
  }

  async broadcast(id: string): Promise<{ state: (typeof broadcasts.$inferSelect)['state']; hostId: string | null } | undefined> {
    const [row] = await this.#db.select({ state: broadcasts.state, hostId: broadcasts.hostId }).from(broadcasts).where(eq(broadcasts.id, id));
    return row;
  }

  // ── settings ──
  async settings(broadcastId: string): Promise<SettingsRow | undefined> {
    const [row] = await this.#db
      .select({ chat: realtimeSettings.chat, slowModeSeconds: realtimeSettings.slowModeSeconds, preReview: realtimeSettings.preReview })
      .from(realtimeSettings)
      .where(eq(realtimeSettings.broadcastId, broadcastId));
    return row;
  }

  /** Writes only the fields in `patch`; the others keep their stored (or default) values. */
  async updateSettings(broadcastId: string, patch: Partial<SettingsRow>): Promise<SettingsRow> {
    const [row] = await this.#db
      .insert(realtimeSettings)
      .values({ broadcastId, ...patch })
      .onConflictDoUpdate({ target: realtimeSettings.broadcastId, set: { broadcastId, ...patch } })
      .returning({ chat: realtimeSettings.chat, slowModeSeconds: realtimeSettings.slowModeSeconds, preReview: realtimeSettings.preReview });
    return row!;
  }

  // ── questions ──
  async insertQuestion(values: typeof realtimeQuestions.$inferInsert): Promise<QuestionRow> {
    const [row] = await this.#db.insert(realtimeQuestions).values(values).returning();
    return row!;
  }

  async question(broadcastId: string, id: string): Promise<QuestionRow | undefined> {
    const [row] = await this.#db
      .select()
      .from(realtimeQuestions)
      .where(and(eq(realtimeQuestions.broadcastId, broadcastId), eq(realtimeQuestions.id, id)));
    return row;
  }

  /** Moves the question to `state` when it is in one of `from`; undefined when it is not (or does not exist). */
  async moveQuestion(broadcastId: string, id: string, from: QuestionStateValue[], set: Partial<typeof realtimeQuestions.$inferInsert>): Promise<QuestionRow | undefined> {
    const [row] = await this.#db
      .update(realtimeQuestions)
      .set(set)
      .where(and(eq(realtimeQuestions.broadcastId, broadcastId), eq(realtimeQuestions.id, id), inArray(realtimeQuestions.state, from)))
      .returning();
    return row;
  }

  /**
   * One statement: the upvote row and the count change together or not at all. Undefined when this
   * viewer had already upvoted (or the question takes no upvotes).
   */
  async upvote(broadcastId: string, questionId: string, viewerId: string): Promise<QuestionRow | undefined> {
    const q = realtimeQuestions;
    const voted = this.#db.$with('voted').as(
      this.#db
        .insert(realtimeUpvotes)
        .select(
          this.#db
            .select({ questionId: q.id, broadcastId: q.broadcastId, viewerId: sql<string>`${viewerId}::text`.as('viewer_id') })
            .from(q)
            .where(and(eq(q.broadcastId, broadcastId), eq(q.id, questionId), inArray(q.state, ['open', 'answered']))),
        )
        .onConflictDoNothing()
        .returning({ questionId: realtimeUpvotes.questionId }),
    );
    const [row] = await this.#db
      .with(voted)
      .update(q)
      .set({ upvotes: sql`${q.upvotes} + 1` })
      .where(inArray(q.id, this.#db.select({ id: voted.questionId }).from(voted)))
      .returning();
    return row;
  }

  async upvotedBy(broadcastId: string, viewerId: string): Promise<string[]> {
    const rows = await this.#db
      .select({ id: realtimeUpvotes.questionId })
      .from(realtimeUpvotes)
      .where(and(eq(realtimeUpvotes.broadcastId, broadcastId), eq(realtimeUpvotes.viewerId, viewerId)));
    return rows.map((r) => r.id);
  }

  /**
   * One viewer's part of its snapshot in one query: the questions it upvoted (flagged) and the pending
   * ones it asked. A join costs this one query, whatever the shared part holds.
   */
  ownQuestions(broadcastId: string, viewerId: string): Promise<(QuestionRow & { upvoted: boolean })[]> {
    const q = realtimeQuestions;
    const u = realtimeUpvotes;
    const voted = this.#db
      .select({ id: u.questionId })
      .from(u)
      .where(and(eq(u.broadcastId, broadcastId), eq(u.viewerId, viewerId)));
    return this.#db
      .select({ ...getTableColumns(q), upvoted: sql<boolean>`exists (select 1 from ${u} where ${u.questionId} = ${q.id} and ${u.viewerId} = ${viewerId})` })
      .from(q)
      .where(and(eq(q.broadcastId, broadcastId), or(and(eq(q.state, 'pending'), eq(q.authorId, viewerId)), inArray(q.id, voted))))
      .orderBy(asc(q.askedAt), asc(q.id));
  }

  /** No upvote and no question waiting for review on the broadcast: every viewer's own part is empty. */
  async nothingOwn(broadcastId: string): Promise<boolean> {
    const q = realtimeQuestions;
    const u = realtimeUpvotes;
    const result = await this.#db.execute(sql`
      select not (exists (select 1 from ${u} where ${u.broadcastId} = ${broadcastId})
        or exists (select 1 from ${q} where ${q.broadcastId} = ${broadcastId} and ${q.state} = 'pending')) as "nothingOwn"`);
    // Both drivers (pg, PGlite) answer with `rows`.
    return (result as unknown as { rows: { nothingOwn: boolean }[] }).rows[0]!.nothingOwn === true;
  }

  /**
   * Pins `questionId` (when open or answered) and unpins the one pinned before, in one transaction
   * that holds the broadcast's row, so two moderators pinning at once leave one pinned.
   * Returns the rows that changed, or undefined when `questionId` cannot be pinned.
   */
  async pin(broadcastId: string, questionId: string | null): Promise<QuestionRow[] | undefined> {
    const q = realtimeQuestions;
    return this.#db.transaction(async (tx) => {
      await tx.select({ id: broadcasts.id }).from(broadcasts).where(eq(broadcasts.id, broadcastId)).for('no key update');
      if (questionId !== null) {
        const [target] = await tx
          .select()
          .from(q)
          .where(and(eq(q.broadcastId, broadcastId), eq(q.id, questionId), inArray(q.state, ['open', 'answered'])));
        if (!target) return undefined;
        if (target.pinned) return [];
      }
      const unpinned = await tx
        .update(q)
        .set({ pinned: false })
        .where(and(eq(q.broadcastId, broadcastId), eq(q.pinned, true)))
        .returning();
      if (questionId === null) return unpinned;
      const pinned = await tx.update(q).set({ pinned: true }).where(eq(q.id, questionId)).returning();
      return [...unpinned, ...pinned];
    });
  }

  /** Questions in `states`, plus (when given) the pending ones `authorId` asked; pinned first, then most upvoted, then oldest. */
  listQuestions(broadcastId: string, states: QuestionStateValue[], ownPendingOf: string | null, limit: number): Promise<QuestionRow[]> {
    const q = realtimeQuestions;
    const visible = ownPendingOf === null ? inArray(q.state, states) : or(inArray(q.state, states), and(eq(q.state, 'pending'), eq(q.authorId, ownPendingOf)));
    return this.#db
      .select()
      .from(q)
      .where(and(eq(q.broadcastId, broadcastId), visible))
      .orderBy(desc(q.pinned), desc(q.upvotes), asc(q.askedAt), asc(q.id))
      .limit(limit);
  }

  async questionCounts(broadcastId: string): Promise<{ questions: number; answered: number }> {
    const [row] = await this.#db
      .select({ questions: count(), answered: count(realtimeQuestions.answeredAt) })
      .from(realtimeQuestions)
      .where(eq(realtimeQuestions.broadcastId, broadcastId));
    return { questions: row?.questions ?? 0, answered: row?.answered ?? 0 };
  }

  // ── chat ──
  async insertChat(values: typeof realtimeChatMessages.$inferInsert): Promise<ChatRow> {
    const [row] = await this.#db.insert(realtimeChatMessages).values(values).returning();
    return row!;
  }

  /** The latest `limit` messages not hidden, oldest first. */
  async recentChat(broadcastId: string, limit: number): Promise<ChatRow[]> {
    const rows = await this.#db
      .select()
      .from(realtimeChatMessages)
      .where(and(eq(realtimeChatMessages.broadcastId, broadcastId), eq(realtimeChatMessages.hidden, false)))
      .orderBy(desc(realtimeChatMessages.sentAt), desc(realtimeChatMessages.id))
      .limit(limit);
    return rows.reverse();
  }

  async hideChat(broadcastId: string, id: string): Promise<boolean> {
    const rows = await this.#db
      .update(realtimeChatMessages)
      .set({ hidden: true })
      .where(and(eq(realtimeChatMessages.broadcastId, broadcastId), eq(realtimeChatMessages.id, id)))
      .returning({ id: realtimeChatMessages.id });
    return rows.length > 0;
  }

  // ── bans ──
  async ban(broadcastId: string, viewerId: string, reason: string, at: Date): Promise<void> {
    await this.#db
      .insert(realtimeBans)
      .values({ broadcastId, viewerId, reason, bannedAt: at })
      .onConflictDoUpdate({ target: [realtimeBans.broadcastId, realtimeBans.viewerId], set: { reason } });
  }

  async unban(broadcastId: string, viewerId: string): Promise<void> {
    await this.#db.delete(realtimeBans).where(and(eq(realtimeBans.broadcastId, broadcastId), eq(realtimeBans.viewerId, viewerId)));
  }

  async isBanned(broadcastId: string, viewerId: string): Promise<boolean> {
    const [row] = await this.#db
      .select({ one: sql`1` })
      .from(realtimeBans)
      .where(and(eq(realtimeBans.broadcastId, broadcastId), eq(realtimeBans.viewerId, viewerId)));
    return row !== undefined;
  }

  async bannedIds(broadcastId: string): Promise<string[]> {
    const rows = await this.#db.select({ viewerId: realtimeBans.viewerId }).from(realtimeBans).where(eq(realtimeBans.broadcastId, broadcastId));
    return rows.map((r) => r.viewerId);
  }

  bans(broadcastId: string): Promise<BanRow[]> {
    return this.#db
      .select({ viewerId: realtimeBans.viewerId, name: broadcastViewers.name, reason: realtimeBans.reason, bannedAt: realtimeBans.bannedAt })
      .from(realtimeBans)
      .leftJoin(broadcastViewers, and(eq(broadcastViewers.broadcastId, realtimeBans.broadcastId), eq(broadcastViewers.viewerId, realtimeBans.viewerId)))
      .where(eq(realtimeBans.broadcastId, broadcastId))
      .orderBy(asc(realtimeBans.bannedAt), asc(realtimeBans.viewerId));
  }

  // ── word list ──
  async words(): Promise<string[]> {
    const rows = await this.#db.select({ word: moderationWords.word }).from(moderationWords).orderBy(asc(moderationWords.word));
    return rows.map((r) => r.word);
  }

  /**
   * Replaces the whole list in one transaction: no replica ever reads half of it. Two editors saving at
   * once take turns (the lock), so the later list wins whole instead of failing on the other's rows.
   */
  async replaceWords(words: string[]): Promise<void> {
    await this.#db.transaction(async (tx) => {
      await tx.execute(sql`lock table ${moderationWords} in share row exclusive mode`);
      await tx.delete(moderationWords);
      if (words.length > 0) await tx.insert(moderationWords).values(words.map((word) => ({ word })));
    });
  }
}
