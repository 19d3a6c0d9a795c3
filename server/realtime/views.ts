// Stored rows as the protocol shows them, and a viewer's snapshot put together from the part every
// viewer shares (read once per seq by the channel: snapshot-cache.ts) and its own part.
import type { ChatMessage, Question } from '../contracts/realtime.ts';
import type { OwnView, SharedView, StoredView } from './domain.ts';
import type { ChatRow, QuestionRow } from './store.ts';

export function toQuestion(row: QuestionRow): Question {
  return {
    id: row.id,
    text: row.text,
    author: { id: row.authorId, name: row.authorName },
    upvotes: row.upvotes,
    state: row.state,
    pinned: row.pinned,
    askedAt: row.askedAt.toISOString(),
    answeredAt: row.answeredAt ? row.answeredAt.toISOString() : null,
  };
}

export function toChat(row: ChatRow): ChatMessage {
  return { id: row.id, text: row.text, author: { id: row.authorId, name: row.authorName }, sentAt: row.sentAt.toISOString() };
}

/** The order the store lists questions in: pinned first, then most upvoted, then oldest (ids as uuids compare). */
function byRelevance(a: Question, b: Question): number {
  if (a.pinned !== b.pinned) return a.pinned ? -1 : 1;
  if (a.upvotes !== b.upvotes) return b.upvotes - a.upvotes;
  if (a.askedAt !== b.askedAt) return a.askedAt < b.askedAt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The shared part is not changed: other joins use the same object. */
export function viewerView(shared: SharedView, own: OwnView): StoredView {
  const known = new Set(shared.questions.map((question) => question.id));
  const pending = own.pending.filter((question) => !known.has(question.id));
  const questions = pending.length === 0 ? shared.questions : [...shared.questions, ...pending].sort(byRelevance);
  const { nothingOwn: _nothingOwn, ...rest } = shared;
  return { ...rest, questions, upvoted: own.upvoted };
}
