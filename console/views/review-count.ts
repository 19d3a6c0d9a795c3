// The number of clips waiting for review, beside the 视频审核 section in the nav: read when the header
// is drawn (every navigation) and after each review, one small request each time.
import { api, query } from '../lib/api.ts';
import { h } from '../lib/dom.ts';
import type { Clip } from '../../server/contracts/clips.ts';

let badge: HTMLElement | null = null;

export function reviewCountBadge(): HTMLElement {
  badge = h('span', { class: 'nav-count', hidden: true });
  void refreshReviewCount();
  return badge;
}

export async function refreshReviewCount(): Promise<void> {
  const el = badge;
  if (!el) return;
  const waiting = await api<Clip[]>('GET', `/api/clips${query({ state: 'in_review', limit: 200 })}`).catch(() => null);
  if (!waiting) return;
  el.textContent = waiting.length >= 200 ? '200+' : String(waiting.length);
  el.hidden = waiting.length === 0;
}
