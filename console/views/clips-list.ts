// The clips list of /console/clips: filtered by channel and state, newest first, each with its state,
// a live transcode bar with time left while processing, the failure or rejection reason, and 取消 /
// 重试 / 删除 where the state allows. It polls every 2 s only while a clip is being transcoded.
import { api, query } from '../lib/api.ts';
import { h, replace } from '../lib/dom.ts';
import { t } from '../lib/i18n.ts';
import { select } from '../lib/form.ts';
import type { Channel } from '../lib/types.ts';
import { confirmButton, errorBox, field, statusLine } from '../lib/ui.ts';
import type { Clip, ClipState } from '../../server/contracts/clips.ts';
import { bilingual, clipBadge, clipFacts, duration } from '../clips/format.ts';
import { refreshReviewCount } from './review-count.ts';

const STATES: ClipState[] = ['uploaded', 'processing', 'in_review', 'published', 'rejected', 'failed'];
const POLL_MS = 2_000;
const busy = (c: Clip) => c.state === 'uploaded' || c.state === 'processing';

export interface ClipList {
  el: HTMLElement;
  refresh(): void;
}

/** `canEdit`: editors and admins, who may cancel, retry, delete and review; hosts follow their uploads. */
export function clipList(channels: Channel[], canEdit: boolean): ClipList {
  const status = statusLine();
  const channel = select('channelId', [['', t('clips.allChannels')] as const, ...channels.map((c) => [c.id, c.name] as const)], '');
  const state = select('state', [['', t('clips.allStates')] as const, ...STATES.map((s) => [s, t(`clipState.${s}`)] as const)], '');
  const list = h('ul', { class: 'rows clip-list' });
  const el = h(
    'section',
    { class: 'clips' },
    h('h2', null, t('clips.list')),
    h('div', { class: 'row filters' }, field(t('form.channel'), channel), field(t('clips.state'), state)),
    status.el,
    list,
  );
  // Drawn items by id, redrawn whole only when their state changes: a two-step 删除 being asked is
  // not wiped by the next poll; the transcode bar is updated in place.
  const items = new Map<string, { key: string; el: HTMLElement; progress(c: Clip): void }>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let drawn = false;
  let latest = 0;

  async function refresh(): Promise<void> {
    clearTimeout(timer);
    if (drawn && !el.isConnected) return; // the page was left: stop polling
    const mine = ++latest;
    try {
      const clips = await api<Clip[]>('GET', `/api/clips${query({ channelId: channel.value, state: state.value, limit: 100 })}`);
      if (mine !== latest) return;
      status.clear();
      draw(clips);
      if (clips.some(busy)) timer = setTimeout(refresh, POLL_MS);
    } catch (err) {
      status.error(err);
      timer = setTimeout(refresh, POLL_MS * 5);
    }
    drawn = true;
  }

  function draw(clips: Clip[]): void {
    if (!clips.length) {
      items.clear();
      replace(list, h('li', { class: 'muted' }, t('clips.empty')));
      return;
    }
    let moved = false;
    const next = clips.map((c) => {
      const key = `${c.state}|${c.error?.code ?? ''}|${c.rejectReason ?? ''}`;
      let item = items.get(c.id);
      moved ||= item ? item.key !== key : drawn;
      if (!item || item.key !== key) item = { key, ...clipItem(c, canEdit, refresh) };
      item.progress(c);
      return [c.id, item] as const;
    });
    items.clear();
    for (const [id, item] of next) items.set(id, item);
    // A clip that moved or arrived may have joined or left the review queue counted in the nav.
    if (moved) void refreshReviewCount();
    const els = next.map(([, item]) => item.el);
    // Moving nodes that did not change would drop the focus from a button inside one.
    if (els.length !== list.children.length || els.some((e, i) => list.children[i] !== e)) replace(list, els);
  }

  channel.addEventListener('change', () => void refresh());
  state.addEventListener('change', () => void refresh());
  void refresh();
  return { el, refresh: () => void refresh() };
}

function clipItem(c: Clip, canEdit: boolean, changed: () => Promise<void>): { el: HTMLElement; progress(c: Clip): void } {
  const status = statusLine();
  const act = (method: 'POST' | 'DELETE', path: string) => async () => {
    status.clear();
    try {
      await api(method, path);
    } catch (err) {
      status.error(err);
      return;
    }
    await changed();
  };
  const bar = h('progress', { class: 'big-progress', max: 100, value: 0, 'aria-label': t('clips.transcodeProgress') });
  const line = h('span', { class: 'transcode-line' });
  const meter = busy(c) ? h('div', { class: 'transcode' }, bar, line) : null;
  const base = `/api/clips/${encodeURIComponent(c.id)}`;
  const el = h(
    'li',
    { class: 'card clip', 'data-id': c.id, 'data-state': c.state },
    h('div', { class: 'clip-top' }, h('strong', { class: 'clip-title' }, c.title), clipBadge(c.state)),
    h('p', { class: 'muted clip-meta' }, [c.channel.name, c.source === 'resident' ? `${t('clips.resident')} · ${c.submitterName ?? ''}` : null, c.filename, clipFacts(c)].filter(Boolean).join(' · ')),
    meter,
    c.state === 'failed' && c.error ? errorBox(t('clips.failReason', { reason: bilingual(c.error.message) })) : null,
    c.state === 'rejected' ? h('p', { class: 'reject-reason' }, t('clips.rejectReason', { reason: c.rejectReason ?? '' })) : null,
    h(
      'div',
      { class: 'actions' },
      c.state === 'published' ? h('a', { href: c.links.watch, target: '_blank', rel: 'noopener', class: 'button' }, t('clips.watch')) : null,
      c.state === 'in_review' && canEdit ? h('a', { href: '/console/review', class: 'button primary' }, t('clips.toReview')) : null,
      c.state === 'failed' && canEdit ? h('button', { type: 'button', onclick: act('POST', `${base}/retry`) }, t('clips.retry')) : null,
      busy(c) && canEdit ? confirmButton(t('clips.cancel'), t('clips.cancelConfirm'), t('clips.cancel'), t('clips.cancelNo'), act('POST', `${base}/cancel`)) : null,
      !busy(c) && canEdit ? confirmButton(t('clips.delete'), t('clips.deleteConfirm', { title: c.title }), t('clips.delete'), t('clips.keep'), act('DELETE', base)) : null,
    ),
    status.el,
  );
  const progress = (now: Clip) => {
    el.dataset.progress = String(Math.round(now.progress));
    if (!meter) return;
    bar.value = now.progress;
    line.textContent = now.state === 'uploaded'
      ? t('clips.queued')
      : [t('clips.transcode', { p: Math.round(now.progress) }), now.etaSeconds !== null ? t('clips.left', { time: duration(now.etaSeconds) }) : null].filter(Boolean).join(' · ');
  };
  return { el, progress };
}
