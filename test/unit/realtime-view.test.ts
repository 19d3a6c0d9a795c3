// How the pages' view of a channel follows the server's frames (player/realtime/view.ts): what a
// resident and a moderator keep of a hidden question, totals that never go back, chat by id and
// bounded, and the order residents read questions in.
import t from 'tap';
import { applyFrame, emptyView, sortedQuestions, type ChannelView, type Question, type ServerMessage } from '../../player/realtime/view.ts';

let n = 0;
function question(fields: Partial<Question> = {}): Question {
  n += 1;
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    text: `问题 ${n}`,
    author: { id: 'viewer-a', name: '张阿姨' },
    upvotes: 0,
    state: 'open',
    pinned: false,
    askedAt: new Date(Date.UTC(2026, 11, 4, 12, 0, n)).toISOString(),
    answeredAt: null,
    ...fields,
  };
}

function joined(role: ChannelView['role'], questions: Question[] = []): ChannelView {
  const view = emptyView();
  applyFrame(view, { type: 'welcome', seq: 3, viewerId: 'me', name: null, role, device: 'd'.repeat(32), heartbeatMs: 30_000 });
  applyFrame(view, {
    type: 'snapshot',
    seq: 3,
    state: 'live',
    settings: { chat: true, slowModeSeconds: 0, preReview: false },
    questions,
    chat: [],
    viewers: { now: 1, peak: 1, total: 1 },
    likes: { total: 10 },
    upvoted: [],
  });
  return view;
}

t.test('a hidden question leaves a resident\'s view but stays in a moderator\'s, to be restored', async (t) => {
  const q = question();
  const resident = joined('viewer', [q]);
  const moderator = joined('moderator', [q]);
  const hidden: ServerMessage = { type: 'question.updated', seq: 4, question: { ...q, state: 'hidden', text: '' } };
  applyFrame(resident, hidden);
  applyFrame(moderator, hidden);
  t.equal(resident.questions.size, 0);
  t.equal(moderator.questions.get(q.id)?.state, 'hidden');
});

t.test('an update replaces the question by id, however often it arrives', async (t) => {
  const q = question();
  const view = joined('viewer', [q]);
  const answered: ServerMessage = { type: 'question.updated', seq: 4, question: { ...q, state: 'answered', upvotes: 2 } };
  applyFrame(view, answered);
  applyFrame(view, answered);
  t.same([...view.questions.values()].map((x) => [x.state, x.upvotes]), [['answered', 2]]);
});

t.test('the like total never goes back', async (t) => {
  const view = joined('viewer');
  applyFrame(view, { type: 'likes', seq: 3, total: 25 });
  applyFrame(view, { type: 'likes', seq: 3, total: 20 });
  t.equal(view.likes, 25);
});

t.test('chat lines are kept once each, the latest hundred', async (t) => {
  const view = joined('viewer');
  for (let i = 0; i < 120; i++) {
    const message = { id: `00000000-0000-4000-9000-${String(i).padStart(12, '0')}`, text: `第 ${i} 句`, author: { id: 'b', name: '' }, sentAt: new Date().toISOString() };
    applyFrame(view, { type: 'chat.message', seq: 4 + i, message });
    applyFrame(view, { type: 'chat.message', seq: 4 + i, message });
  }
  t.equal(view.chat.length, 100);
  t.equal(view.chat[0]!.text, '第 20 句');
  t.equal(view.chat.at(-1)!.text, '第 119 句');
  applyFrame(view, { type: 'chat.hidden', seq: 200, messageId: view.chat.at(-1)!.id });
  t.equal(view.chat.at(-1)!.text, '第 118 句');
});

t.test('a BANNED error marks the view banned', async (t) => {
  const view = joined('viewer');
  applyFrame(view, { type: 'error', seq: 3, code: 'BANNED', message: 'banned' });
  t.ok(view.banned);
});

t.test('residents read the pinned question first, then the most upvoted, then the oldest', async (t) => {
  const old = question({ upvotes: 3 });
  const young = question({ upvotes: 3 });
  const top = question({ upvotes: 9 });
  const pinned = question({ upvotes: 0, pinned: true });
  t.same(sortedQuestions([young, top, old, pinned]).map((q) => q.id), [pinned.id, top.id, old.id, young.id]);
});
