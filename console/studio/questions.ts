// The host's question queue in the studio page: the live counts and likes, questions waiting for
// review (when pre-review is on) to approve, and the published ones by upvotes to mark answered, pin
// or hide while on air.
import { sortedQuestions, type Question } from '../../player/realtime/client.ts';
import { actionButton, countsLine, staffChannel, type ChannelClient, type ChannelView } from '../realtime/channel.ts';
import { emptyRow, questionRow } from '../realtime/question-row.ts';
import { h, replace } from '../lib/dom.ts';
import { t } from '../lib/i18n.ts';
import { statusLine } from '../lib/ui.ts';

export function studioQuestions(channelUrl: string): { el: HTMLElement; client: ChannelClient } {
  const counts = h('p', { class: 'rt-counts', role: 'status' }, t('rt.connecting'));
  const pending = h('ol', { class: 'rt-list rt-pending-list' });
  const pendingBlock = h('div', { hidden: true }, h('h3', null, t('rt.pending')), pending);
  const queue = h('ol', { class: 'rt-list rt-queue' });
  const status = statusLine();
  const el = h('section', { class: 'card studio-questions' }, h('h2', null, t('rt.title')), counts, status.el, pendingBlock, h('h3', null, t('rt.queue')), queue);

  let client: ChannelClient;
  const act = (q: Question) => {
    const buttons = [];
    if (q.state === 'pending') buttons.push(actionButton(t('rt.approve'), () => client.send({ type: 'question.approve', questionId: q.id }), 'primary'));
    if (q.state === 'open') buttons.push(actionButton(t('rt.answer'), () => client.send({ type: 'question.answer', questionId: q.id }), 'primary'));
    if (q.state !== 'pending')
      buttons.push(actionButton(q.pinned ? t('rt.unpin') : t('rt.pin'), () => client.send({ type: 'question.pin', questionId: q.pinned ? null : q.id })));
    buttons.push(actionButton(t('rt.hide'), () => client.send({ type: 'question.hide', questionId: q.id }), 'danger'));
    return questionRow(q, buttons);
  };
  const draw = (view: ChannelView) => {
    if (view.viewerId) counts.textContent = countsLine(view);
    const all = sortedQuestions(view.questions.values());
    const waiting = all.filter((q) => q.state === 'pending');
    const shown = all.filter((q) => q.state === 'open' || q.state === 'answered');
    pendingBlock.hidden = !view.settings.preReview && waiting.length === 0;
    replace(pending, waiting.length ? waiting.map(act) : emptyRow());
    replace(queue, shown.length ? shown.map(act) : emptyRow());
  };
  client = staffChannel(channelUrl, el, (view, change) => {
    // A staff action's outcome arrives as a question event: the last refusal no longer applies.
    if (change.type === 'question.updated' || change.type === 'question.added') status.clear();
    draw(view);
  }, status.error);
  return { el, client };
}
