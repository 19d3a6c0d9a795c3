// The realtime domain: what a broadcast's channel allows and keeps (questions, chat, likes, audience,
// moderation). Everything accepted is in the database before the channel announces it, and every rule
// that spans messages (one upvote per viewer, slow mode, one pinned question) is enforced by the
// database, so it holds across control-plane processes and restarts.
import type { Account } from '../accounts/service.ts';
import type { Clock } from '../clock.ts';
import type { Ban, ChannelSettings, ChatMessage, Question } from '../contracts/realtime.ts';
import type { Audience } from '../contracts/moderation.ts';
import { ApiError } from '../http/errors.ts';
import { RealtimeError, type Actor, type ChannelFacts, type OwnView, type RealtimeDomain, type SharedView, type StoredView } from './domain.ts';
import type { AudienceStore } from './audience-store.ts';
import type { QuestionRow, QuestionStateValue, RealtimeStore, SettingsRow } from './store.ts';
import { toChat, toQuestion, viewerView } from './views.ts';
import { cleanWordList, WordFilter } from './word-filter.ts';

export const DEFAULT_SETTINGS: ChannelSettings = Object.freeze({ chat: true, slowModeSeconds: 0, preReview: false });
/** What a snapshot carries at most: the most relevant questions, the latest chat. */
export const SNAPSHOT_QUESTIONS = 200;
export const SNAPSHOT_CHAT = 50;
const MAX_QUESTION = 300;
const MAX_CHAT = 200;
const MAX_WORDS = 1000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PUBLIC_STATES: QuestionStateValue[] = ['open', 'answered'];
const ALL_STATES: QuestionStateValue[] = ['pending', 'open', 'answered', 'hidden'];

const isStaff = (actor: Actor) => actor.role === 'host' || actor.role === 'moderator';

const toSettings = (row: SettingsRow | undefined): ChannelSettings => (row ? { chat: row.chat, slowModeSeconds: row.slowModeSeconds, preReview: row.preReview } : { ...DEFAULT_SETTINGS });

export class RealtimeService implements RealtimeDomain {
  readonly #store: RealtimeStore;
  readonly #audience: AudienceStore;
  readonly #clock: Clock;
  /** The filter built from the list last read: rebuilt only when the stored list changes. */
  #filter: { words: string; filter: WordFilter } = { words: '', filter: new WordFilter([]) };

  constructor(stores: { realtime: RealtimeStore; audience: AudienceStore }, deps: { clock: Clock }) {
    this.#store = stores.realtime;
    this.#audience = stores.audience;
    this.#clock = deps.clock;
  }

  async facts(broadcastId: string): Promise<ChannelFacts | null> {
    if (!UUID.test(broadcastId)) return null;
    const broadcast = await this.#store.broadcast(broadcastId);
    if (!broadcast || broadcast.state === 'draft') return null;
    return { state: broadcast.state, settings: await this.settings(broadcastId) };
  }

  async settings(broadcastId: string): Promise<ChannelSettings> {
    return toSettings(await this.#store.settings(broadcastId));
  }

  async recordViewer(broadcastId: string, viewerId: string): Promise<void> {
    await this.#audience.recordViewer(broadcastId, viewerId);
  }

  recordViewers(broadcastId: string, viewerIds: readonly string[]): Promise<number> {
    return viewerIds.length === 0 ? Promise.resolve(0) : this.#audience.recordViewers(broadcastId, viewerIds);
  }

  isBanned(broadcastId: string, viewerId: string): Promise<boolean> {
    return this.#store.isBanned(broadcastId, viewerId);
  }

  bannedViewers(broadcastId: string): Promise<string[]> {
    return this.#store.bannedIds(broadcastId);
  }

  /** What every viewer's snapshot shares. */
  async sharedView(broadcastId: string): Promise<SharedView> {
    const [view, nothingOwn] = await Promise.all([this.#read(broadcastId, PUBLIC_STATES), this.#store.nothingOwn(broadcastId)]);
    return { ...view, nothingOwn };
  }

  async ownView(broadcastId: string, viewerId: string): Promise<OwnView> {
    const rows = await this.#store.ownQuestions(broadcastId, viewerId);
    return {
      upvoted: rows.filter((row) => row.upvoted).map((row) => row.id),
      pending: rows.filter((row) => row.state === 'pending' && row.authorId === viewerId).map(toQuestion),
    };
  }

  /** Staff see every question and the bans; a viewer the published questions and its own pending ones. */
  async view(broadcastId: string, actor: Actor): Promise<StoredView> {
    if (!isStaff(actor)) {
      const [shared, own] = await Promise.all([this.sharedView(broadcastId), this.ownView(broadcastId, actor.viewerId)]);
      return viewerView(shared, own);
    }
    const [shared, upvoted, bans] = await Promise.all([this.#read(broadcastId, ALL_STATES), this.#store.upvotedBy(broadcastId, actor.viewerId), this.bans(broadcastId)]);
    return { ...shared, upvoted, bans };
  }

  async #read(broadcastId: string, states: QuestionStateValue[]): Promise<Omit<SharedView, 'nothingOwn'>> {
    const [facts, questions, chat, audience] = await Promise.all([
      this.facts(broadcastId),
      this.#store.listQuestions(broadcastId, states, null, SNAPSHOT_QUESTIONS),
      this.#store.recentChat(broadcastId, SNAPSHOT_CHAT),
      this.#audience.audience(broadcastId),
    ]);
    if (!facts) throw new RealtimeError('BROADCAST_OVER', `No broadcast ${broadcastId}`);
    return {
      state: facts.state,
      settings: facts.settings,
      questions: questions.map(toQuestion),
      chat: chat.map(toChat),
      likes: audience.likes,
      viewers: { peak: audience.viewersPeak, total: audience.viewersTotal },
    };
  }

  // ── questions ──
  async ask(broadcastId: string, actor: Actor, text: string): Promise<Question> {
    const facts = await this.#acceptingFrom(broadcastId, actor);
    const body = await this.#checkedText(text, MAX_QUESTION, actor.name);
    await this.#seen(broadcastId, actor);
    const row = await this.#store.insertQuestion({
      broadcastId,
      authorId: actor.viewerId,
      authorName: actor.name ?? '',
      text: body,
      state: facts.settings.preReview && !isStaff(actor) ? 'pending' : 'open',
      askedAt: this.#clock.now(),
    });
    return toQuestion(row);
  }

  async upvote(broadcastId: string, actor: Actor, questionId: string): Promise<Question> {
    if (!UUID.test(questionId)) throw notFound(questionId);
    const row = await this.#store.upvote(broadcastId, questionId, actor.viewerId);
    if (row) return toQuestion(row);
    const question = await this.#store.question(broadcastId, questionId);
    if (!question || !PUBLIC_STATES.includes(question.state)) throw notFound(questionId);
    throw new RealtimeError('ALREADY_UPVOTED', 'You have already upvoted this question');
  }

  /** open or pending (answering on air publishes it) → answered; answering twice changes nothing. */
  answer(broadcastId: string, questionId: string): Promise<Question> {
    return this.#move(broadcastId, questionId, ['pending', 'open'], ['answered'], () => ({ state: 'answered', answeredAt: this.#clock.now() }));
  }

  async pin(broadcastId: string, questionId: string | null): Promise<Question[]> {
    if (questionId !== null && !UUID.test(questionId)) throw notFound(questionId);
    const changed = await this.#store.pin(broadcastId, questionId);
    if (!changed) throw notFound(questionId ?? '');
    return changed.map(toQuestion);
  }

  /** A hidden question is unpinned too: nobody sees it any more. */
  hide(broadcastId: string, questionId: string): Promise<Question> {
    return this.#move(broadcastId, questionId, ['pending', 'open', 'answered'], ['hidden'], () => ({ state: 'hidden', pinned: false }));
  }

  /** pending or hidden → open, or back to answered when it had been answered before it was hidden. */
  async approve(broadcastId: string, questionId: string): Promise<Question> {
    const question = UUID.test(questionId) ? await this.#store.question(broadcastId, questionId) : undefined;
    if (!question) throw notFound(questionId);
    const to: QuestionStateValue = question.answeredAt ? 'answered' : 'open';
    return this.#move(broadcastId, questionId, ['pending', 'hidden'], ['open', 'answered'], () => ({ state: to }));
  }

  /** Moves a question from one of `from`; when it already is in one of `done`, returns it unchanged. */
  async #move(
    broadcastId: string,
    questionId: string,
    from: QuestionStateValue[],
    done: QuestionStateValue[],
    set: () => Partial<QuestionRow>,
  ): Promise<Question> {
    if (!UUID.test(questionId)) throw notFound(questionId);
    const moved = await this.#store.moveQuestion(broadcastId, questionId, from, set());
    if (moved) return toQuestion(moved);
    const question = await this.#store.question(broadcastId, questionId);
    if (question && done.includes(question.state)) return toQuestion(question);
    throw notFound(questionId);
  }

  // ── chat ──
  async chat(broadcastId: string, actor: Actor, text: string): Promise<ChatMessage> {
    const facts = await this.#acceptingFrom(broadcastId, actor);
    if (!facts.settings.chat) throw new RealtimeError('CHAT_OFF', 'Chat is off for this broadcast');
    const body = await this.#checkedText(text, MAX_CHAT, actor.name);
    const now = this.#clock.now();
    await this.#seen(broadcastId, actor);
    // Staff are not slowed down: they answer and steer the chat. A viewer's turn is stamped even with
    // slow mode off, so turning it on mid-flood holds back those who just wrote.
    if (!isStaff(actor)) {
      const slowMs = facts.settings.slowModeSeconds * 1000;
      const turn = await this.#audience.takeChatTurn(broadcastId, actor.viewerId, now, new Date(now.getTime() - slowMs));
      if (!turn.taken) {
        // Clamped: another process's clock a little ahead must not make the wait longer than the interval.
        const retryAfterMs = Math.min(slowMs, Math.max(1, turn.lastAt.getTime() + slowMs - now.getTime()));
        throw new RealtimeError('SLOW_MODE', `Slow mode: one message every ${facts.settings.slowModeSeconds} s`, retryAfterMs);
      }
    }
    const row = await this.#store.insertChat({ broadcastId, authorId: actor.viewerId, authorName: actor.name ?? '', text: body, sentAt: now });
    return toChat(row);
  }

  async hideChat(broadcastId: string, messageId: string): Promise<void> {
    if (!UUID.test(messageId) || !(await this.#store.hideChat(broadcastId, messageId))) {
      throw new RealtimeError('MESSAGE_NOT_FOUND', `No chat message ${messageId} on this broadcast`);
    }
  }

  // ── moderation ──
  async ban(broadcastId: string, viewerId: string, reason: string): Promise<Ban[]> {
    await this.#store.ban(broadcastId, viewerId, reason.trim(), this.#clock.now());
    return this.bans(broadcastId);
  }

  async unban(broadcastId: string, viewerId: string): Promise<Ban[]> {
    await this.#store.unban(broadcastId, viewerId);
    return this.bans(broadcastId);
  }

  async bans(broadcastId: string): Promise<Ban[]> {
    const rows = await this.#store.bans(broadcastId);
    return rows.map((r) => ({ viewerId: r.viewerId, name: r.name ?? '', reason: r.reason, bannedAt: r.bannedAt.toISOString() }));
  }

  async updateSettings(broadcastId: string, patch: Partial<ChannelSettings>): Promise<ChannelSettings> {
    const fields: Partial<SettingsRow> = {};
    if (patch.chat !== undefined) fields.chat = patch.chat;
    if (patch.slowModeSeconds !== undefined) fields.slowModeSeconds = patch.slowModeSeconds;
    if (patch.preReview !== undefined) fields.preReview = patch.preReview;
    if (Object.keys(fields).length === 0) return this.settings(broadcastId);
    return toSettings(await this.#store.updateSettings(broadcastId, fields));
  }

  // ── counts ──
  async addLikes(broadcastId: string, count: number): Promise<number> {
    if (count <= 0) return (await this.#audience.audience(broadcastId)).likes;
    return this.#audience.addLikes(broadcastId, Math.floor(count));
  }

  async recordAudience(broadcastId: string, now: number): Promise<{ peak: number; total: number }> {
    const row = await this.#audience.raisePeak(broadcastId, Math.max(0, Math.floor(now)));
    return { peak: row.viewersPeak, total: row.viewersTotal };
  }

  /** The numbers staff read after the broadcast: editors and admins for any broadcast, a host for its own. */
  async audienceFor(staff: Account, broadcastId: string): Promise<Audience> {
    const broadcast = UUID.test(broadcastId) ? await this.#store.broadcast(broadcastId) : undefined;
    if (!broadcast) throw new ApiError('BROADCAST_NOT_FOUND', `No broadcast ${broadcastId}`);
    if (staff.role === 'host' && broadcast.hostId !== staff.id) throw new ApiError('NOT_ASSIGNED_HOST');
    const [audience, counts] = await Promise.all([this.#audience.audience(broadcastId), this.#store.questionCounts(broadcastId)]);
    return { likes: audience.likes, viewersPeak: audience.viewersPeak, viewersTotal: audience.viewersTotal, ...counts };
  }

  // ── word list ──
  words(): Promise<string[]> {
    return this.#store.words();
  }

  async replaceWords(words: readonly string[]): Promise<string[]> {
    const kept = cleanWordList(words);
    if (kept.length > MAX_WORDS) throw new ApiError('VALIDATION_FAILED', `At most ${MAX_WORDS} words`);
    await this.#store.replaceWords(kept);
    return this.#store.words();
  }

  /** The device is counted (when the channel had not yet) and its name kept for the ban list. */
  async #seen(broadcastId: string, actor: Actor): Promise<void> {
    await this.#audience.recordViewer(broadcastId, actor.viewerId);
    await this.#audience.rememberName(broadcastId, actor.viewerId, actor.name);
  }

  /** The broadcast takes questions and chat (scheduled or live) and the actor is not banned from it. */
  async #acceptingFrom(broadcastId: string, actor: Actor): Promise<ChannelFacts> {
    const facts = await this.facts(broadcastId);
    if (!facts || facts.state === 'ended' || facts.state === 'cancelled') {
      throw new RealtimeError('BROADCAST_OVER', 'This broadcast has ended and takes no more questions or messages');
    }
    if (!isStaff(actor) && (await this.#store.isBanned(broadcastId, actor.viewerId))) {
      throw new RealtimeError('BANNED', 'You are banned from this broadcast');
    }
    return facts;
  }

  /**
   * Trimmed, not empty, within the limit, and free of the site's filtered words, as is the name it goes
   * out under (shown next to it to everybody). Stored as plain text.
   */
  async #checkedText(text: string, max: number, name: string | null): Promise<string> {
    const body = text.trim();
    if (body === '') throw new RealtimeError('INVALID_MESSAGE', 'The text is empty');
    if ([...body].length > max) throw new RealtimeError('INVALID_MESSAGE', `The text is longer than ${max} characters`);
    const filter = await this.#wordFilter();
    if (filter.match(body) !== null) throw new RealtimeError('WORD_FILTERED', 'The text contains a word that is not allowed here');
    if (name !== null && filter.match(name) !== null) throw new RealtimeError('WORD_FILTERED', 'Your name contains a word that is not allowed here');
    return body;
  }

  /** Read on every message, so a change applies at once on every process; built again only when it changed. */
  async #wordFilter(): Promise<WordFilter> {
    const words = await this.#store.words();
    const key = words.join('\n');
    if (key !== this.#filter.words) this.#filter = { words: key, filter: new WordFilter(words) };
    return this.#filter.filter;
  }
}

const notFound = (questionId: string) => new RealtimeError('QUESTION_NOT_FOUND', `No question ${questionId} on this broadcast`);
