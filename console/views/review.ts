// /console/review (视频审核), for editors and admins: the clips waiting for review, oldest first, each
// marked 居民投稿 (with the name the resident gave) or 员工上传; the selected one plays beside the form
// to approve it or reject it with a reason (presets or free text). After acting, the next one is selected.
import { api, query } from '../lib/api.ts';
import { boot } from '../lib/boot.ts';
import { h, replace } from '../lib/dom.ts';
import { lang, t } from '../lib/i18n.ts';
import { formatWhen } from '../lib/time.ts';
import { field, heading, onSubmit, statusLine } from '../lib/ui.ts';
import type { Clip } from '../../server/contracts/clips.ts';
import { clipFacts } from '../clips/format.ts';
import { clipPlayer, type ClipPlayer } from './review-player.ts';
import { refreshReviewCount } from './review-count.ts';

const load = async (): Promise<Clip[]> =>
  (await api<Clip[]>('GET', `/api/clips${query({ state: 'in_review', limit: 200 })}`)).sort((a, b) => a.createdAt.localeCompare(b.createdAt));

export async function reviewView(): Promise<Node> {
  let queue = await load();
  let selected: Clip | null = queue[0] ?? null;
  let player: ClipPlayer | null = null;
  const done = statusLine();
  const count = h('p', { class: 'review-count' });
  const stage = h('div', { class: 'review-stage' });
  const list = h('ol', { class: 'review-queue' });

  const select = (clip: Clip | null) => {
    selected = clip;
    player?.close();
    player = clip ? clipPlayer(clip) : null;
    replace(stage, clip && player ? [player.el, facts(clip), reviewForms(clip, decided)] : h('p', { class: 'muted' }, t('review.empty')));
    drawQueue();
  };
  const drawQueue = () => {
    count.textContent = t('review.waiting', { n: queue.length });
    replace(list, queue.map((c) => queueItem(c, c.id === selected?.id, () => select(c))));
  };
  /** After a verdict: the clip that came after it (or the new oldest) is next. */
  async function decided(clip: Clip, message: string): Promise<void> {
    const after = queue.slice(queue.findIndex((c) => c.id === clip.id) + 1);
    queue = await load().catch(() => queue.filter((c) => c.id !== clip.id));
    done.ok(message);
    select(after.map((a) => queue.find((c) => c.id === a.id)).find(Boolean) ?? queue[0] ?? null);
    void refreshReviewCount();
  }

  select(selected);
  return h('section', { class: 'review' }, heading(t('review.title')), count, done.el, h('div', { class: 'review-grid' }, stage, list));
}

function queueItem(c: Clip, current: boolean, pick: () => void): HTMLElement {
  return h(
    'li',
    null,
    h(
      'button',
      { type: 'button', class: 'review-item', 'aria-current': current ? 'true' : null, 'data-id': c.id, onclick: pick },
      h('strong', { class: 'item-title' }, c.title),
      h('span', { class: 'item-meta' }, sourceBadge(c), ' ', c.submitterName ?? ''),
      h('span', { class: 'item-meta' }, [c.channel.name, formatWhen(c.createdAt, lang(), boot.timezone)].join(' · ')),
    ),
  );
}

const sourceBadge = (c: Clip) => h('span', { class: `badge source-${c.source}` }, t(c.source === 'resident' ? 'clips.resident' : 'clips.staff'));

function facts(c: Clip): HTMLElement {
  return h(
    'div',
    { class: 'review-facts' },
    h('h2', null, c.title),
    h('p', null, sourceBadge(c), ' ', c.submitterName ?? ''),
    h('p', { class: 'muted' }, [c.channel.name, formatWhen(c.createdAt, lang(), boot.timezone), clipFacts(c)].join(' · ')),
  );
}

function reviewForms(c: Clip, decided: (clip: Clip, message: string) => Promise<void>): HTMLElement {
  const base = `/api/clips/${encodeURIComponent(c.id)}`;
  const approveStatus = statusLine();
  const approve = h('form', { class: 'approve' }, h('button', { type: 'submit', class: 'primary big wide' }, t('review.approve')), approveStatus.el);
  onSubmit(approve, approveStatus, async () => {
    await api('POST', `${base}/approve`);
    await decided(c, t('review.approved', { title: c.title }));
  });

  const rejectStatus = statusLine();
  const reason = h('textarea', { name: 'reason', rows: 3, maxlength: 500, required: true });
  const presets = t('review.reasons').split('|').map((text) =>
    h('button', { type: 'button', class: 'preset', onclick: () => ((reason.value = text), reason.focus()) }, text),
  );
  const reject = h(
    'form',
    { class: 'reject', novalidate: true },
    h('div', { class: 'chips presets', role: 'group', 'aria-label': t('review.presets') }, presets),
    field(t('review.reason'), reason),
    rejectStatus.el,
    h('button', { type: 'submit', class: 'danger big wide' }, t('review.reject')),
  );
  onSubmit(reject, rejectStatus, async () => {
    const text = reason.value.trim();
    if (!text) return rejectStatus.error(t('review.reasonRequired'));
    await api('POST', `${base}/reject`, { reason: text });
    await decided(c, t('review.rejected', { title: c.title }));
  });
  return h('div', { class: 'card review-forms' }, approve, h('h3', null, t('review.rejectTitle')), reject);
}
