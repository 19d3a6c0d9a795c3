// What a broadcast's channel looks like to one client, and how each frame from the server changes it.
// Pure data: the socket and its resume live in client.ts. Types only from the contract (its schemas
// would pull TypeBox into the residents' bundle).
import type { Broadcast } from '../../server/contracts/broadcasts.ts';
import type { Author, Ban, ChannelRole, ChannelSettings, ChatMessage, ClientMessage, Question, RealtimeErrorCode, ServerMessage, Viewers } from '../../server/contracts/realtime.ts';

export type { Author, Ban, ChannelRole, ChannelSettings, ChatMessage, ClientMessage, Question, RealtimeErrorCode, ServerMessage, Viewers };

/** The chat lines kept: a page shows the latest, and a gala's chat must not grow without bound. */
const CHAT_KEPT = 100;

export type Connection = 'connecting' | 'open' | 'closed';

export interface ChannelView {
  connection: Connection;
  /** Set once welcomed. */
  viewerId: string | null;
  name: string | null;
  role: ChannelRole;
  state: Broadcast['state'] | null;
  settings: ChannelSettings;
  questions: Map<string, Question>;
  chat: ChatMessage[];
  viewers: Viewers;
  likes: number;
  upvoted: Set<string>;
  /** Staff only. */
  bans: Ban[];
  banned: boolean;
  /** The broadcast has no channel (unknown, or a draft): no reconnecting. */
  missing: boolean;
}

export const emptyView = (): ChannelView => ({
  connection: 'connecting',
  viewerId: null,
  name: null,
  role: 'viewer',
  state: null,
  settings: { chat: false, slowModeSeconds: 0, preReview: false },
  questions: new Map(),
  chat: [],
  viewers: { now: 0, peak: 0, total: 0 },
  likes: 0,
  upvoted: new Set(),
  bans: [],
  banned: false,
  missing: false,
});

/** Applies one frame. Events replayed after a snapshot apply again harmlessly: questions and chat go by id. */
export function applyFrame(view: ChannelView, message: ServerMessage): void {
  switch (message.type) {
    case 'welcome':
      view.viewerId = message.viewerId;
      view.name = message.name;
      view.role = message.role;
      break;
    case 'snapshot':
      view.state = message.state;
      view.settings = message.settings;
      view.questions = new Map(message.questions.map((q) => [q.id, q]));
      view.chat = message.chat.slice(-CHAT_KEPT);
      view.viewers = message.viewers;
      view.likes = message.likes.total;
      view.upvoted = new Set(message.upvoted);
      view.bans = message.bans ?? [];
      break;
    case 'viewers':
      view.viewers = { now: message.now, peak: message.peak, total: message.total };
      break;
    case 'likes':
      // Totals only grow; a process that has not yet added its latest taps must not pull it back.
      view.likes = Math.max(view.likes, message.total);
      break;
    case 'question.added':
    case 'question.updated':
      // A question hidden from a viewer arrives emptied: a viewer drops it, staff keep it to restore.
      if (message.question.state === 'hidden' && view.role === 'viewer') view.questions.delete(message.question.id);
      else view.questions.set(message.question.id, message.question);
      break;
    case 'chat.message':
      if (!view.chat.some((m) => m.id === message.message.id)) view.chat = [...view.chat, message.message].slice(-CHAT_KEPT);
      break;
    case 'chat.hidden':
      view.chat = view.chat.filter((m) => m.id !== message.messageId);
      break;
    case 'state':
      view.state = message.state;
      break;
    case 'settings':
      view.settings = message.settings;
      break;
    case 'bans':
      view.bans = message.bans;
      break;
    case 'error':
      if (message.code === 'BANNED') view.banned = true;
      break;
  }
}

/** Questions as residents read them: the pinned one first, then the most upvoted, then the oldest. */
export function sortedQuestions(questions: Iterable<Question>): Question[] {
  return [...questions].sort((a, b) => Number(b.pinned) - Number(a.pinned) || b.upvotes - a.upvotes || a.askedAt.localeCompare(b.askedAt));
}
