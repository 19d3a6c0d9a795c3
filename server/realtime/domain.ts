// What the channel (sockets, fan-out: channel.ts) asks of the realtime domain (questions, chat,
// likes, audience, moderation, stored in the database: service.ts). The channel decides who receives
// what; the domain decides what is allowed and keeps it, so a restart loses nothing accepted.
import type { Broadcast } from '../contracts/broadcasts.ts';
import type { Ban, ChannelRole, ChannelSettings, ChatMessage, Question, RealtimeErrorCode, Viewers } from '../contracts/realtime.ts';

/** Who sent a message: a device (viewerId) with an optional display name, and its role on this broadcast. */
export interface Actor {
  viewerId: string;
  name: string | null;
  role: ChannelRole;
}

/** A refusal the sender is told about in an `error` frame; nothing was changed. */
export class RealtimeError extends Error {
  readonly code: RealtimeErrorCode;
  readonly retryAfterMs: number | undefined;
  constructor(code: RealtimeErrorCode, message: string, retryAfterMs?: number) {
    super(message);
    this.code = code;
    this.retryAfterMs = retryAfterMs;
  }
}

export interface ChannelFacts {
  state: Broadcast['state'];
  settings: ChannelSettings;
}

/** The part of a snapshot every viewer shares: published questions, chat, counts as stored. */
export interface SharedView {
  state: Broadcast['state'];
  settings: ChannelSettings;
  questions: Question[];
  chat: ChatMessage[];
  likes: number;
  viewers: Omit<Viewers, 'now'>;
  /**
   * No viewer had upvoted or had a question waiting for review when this was read: every viewer's own
   * part is empty, so a join need not ask for it (a gala's first minutes). Not sent to clients.
   */
  nothingOwn: boolean;
}

/** The part only one viewer sees: what it upvoted and its own questions waiting for review. */
export interface OwnView {
  upvoted: string[];
  pending: Question[];
}

/** The stored part of a snapshot, as `actor` may see it. */
export interface StoredView extends Omit<SharedView, 'nothingOwn'> {
  upvoted: string[];
  bans?: Ban[];
}

export interface RealtimeDomain {
  /** The broadcast's state and channel settings; null when there is no such broadcast (or it is a draft). */
  facts(broadcastId: string): Promise<ChannelFacts | null>;
  /**
   * Devices that opened the channel (a batch, one statement): each counts once towards the broadcast's
   * total unique viewers, however many processes send it. Returns how many were new.
   */
  recordViewers(broadcastId: string, viewerIds: readonly string[]): Promise<number>;
  /** The viewer ids banned from the broadcast (the channel keeps them, so a join costs no query). */
  bannedViewers(broadcastId: string): Promise<string[]>;
  /** Everything `actor` may see, read fresh: what staff get. */
  view(broadcastId: string, actor: Actor): Promise<StoredView>;
  /** What every viewer's snapshot shares; the channel reads it once per seq (snapshot-cache.ts). */
  sharedView(broadcastId: string): Promise<SharedView>;
  /** One viewer's own part of its snapshot, in one query. */
  ownView(broadcastId: string, viewerId: string): Promise<OwnView>;

  /** A new question: `open`, or `pending` when the broadcast's questions are pre-reviewed. Word filter applies. */
  ask(broadcastId: string, actor: Actor, text: string): Promise<Question>;
  /** ALREADY_UPVOTED the second time for one viewer; QUESTION_NOT_FOUND unless open or answered. */
  upvote(broadcastId: string, actor: Actor, questionId: string): Promise<Question>;
  answer(broadcastId: string, questionId: string): Promise<Question>;
  /** Returns every question whose `pinned` changed (the one unpinned and the one pinned). */
  pin(broadcastId: string, questionId: string | null): Promise<Question[]>;
  hide(broadcastId: string, questionId: string): Promise<Question>;
  /** pending or hidden → open. */
  approve(broadcastId: string, questionId: string): Promise<Question>;

  /** CHAT_OFF, SLOW_MODE (with retryAfterMs) and WORD_FILTERED refuse it. */
  chat(broadcastId: string, actor: Actor, text: string): Promise<ChatMessage>;
  hideChat(broadcastId: string, messageId: string): Promise<void>;

  ban(broadcastId: string, viewerId: string, reason: string): Promise<Ban[]>;
  unban(broadcastId: string, viewerId: string): Promise<Ban[]>;
  updateSettings(broadcastId: string, patch: Partial<ChannelSettings>): Promise<ChannelSettings>;

  /** Adds likes counted by this process since its last call; returns the stored total (every process adds to the same row). */
  addLikes(broadcastId: string, count: number): Promise<number>;
  /** Raises the stored peak to `now` when higher; returns peak and total unique viewers. */
  recordAudience(broadcastId: string, now: number): Promise<Omit<Viewers, 'now'>>;
}
