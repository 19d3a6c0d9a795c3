// One question as staff see it: badges, the text, who asked, the upvotes, and the buttons the place
// showing it offers. Text from residents is appended as text, never parsed as HTML.
import type { Question } from '../../player/realtime/client.ts';
import { h, type Child } from '../lib/dom.ts';
import { t } from '../lib/i18n.ts';

export function questionRow(q: Question, ...actions: Child[]): HTMLElement {
  return h(
    'li',
    { class: `rt-row state-${q.state}${q.pinned ? ' pinned' : ''}`, 'data-id': q.id },
    h(
      'p',
      { class: 'rt-row-meta' },
      q.pinned ? h('span', { class: 'badge rt-pinned' }, t('rt.pinned')) : null,
      q.state === 'answered' ? h('span', { class: 'badge rt-answered' }, t('rt.answered')) : null,
      h('span', { class: 'rt-upvotes' }, t('rt.upvotes', { n: q.upvotes })),
      h('span', { class: 'rt-author' }, q.author.name || t('rt.resident')),
    ),
    h('p', { class: 'rt-row-text' }, q.text),
    h('div', { class: 'actions' }, actions),
  );
}

export const emptyRow = () => h('li', { class: 'muted' }, t('rt.none'));
