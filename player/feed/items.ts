// One entry of the channel feed, drawn the same for both layouts: on phones a full-screen slide whose
// video the page starts when it is in view, on wide screens a tile whose poster opens the clip page.
import type { Broadcast } from '../../server/contracts/broadcasts.ts';
import type { FeedItem } from '../../server/contracts/clips.ts';
import { formatStart } from '../../server/contracts/display.ts';
import type { Lang } from '../../server/contracts/display.ts';
import { h } from '../lib/dom.ts';
import { carryLang } from '../lib/i18n.ts';
import { clipCounts, type ClipCountsView } from './counts.ts';
import type { FeedStrings } from './strings.ts';

export interface FeedEntry {
  el: HTMLElement;
  /** Where the video goes while the entry plays (clips only). */
  frame: HTMLElement | null;
  hls: string | null;
  counts: ClipCountsView | null;
}

export interface ItemContext {
  t: FeedStrings;
  lang: Lang;
  timezone: string;
  now: () => number;
}

const link = (href: string) => carryLang(href, location);

/** A poster that cannot load (not made yet, or the network) leaves the frame plain black, not a broken-image sign. */
function poster(src: string): HTMLImageElement {
  const img = h('img', { class: 'poster', src, alt: '', loading: 'lazy' });
  img.addEventListener('error', () => (img.hidden = true), { once: true });
  return img;
}

export function feedEntry(item: FeedItem, ctx: ItemContext): FeedEntry {
  const { t } = ctx;
  if (item.kind === 'replay') {
    const b = item.broadcast;
    const cover = b.coverUrl ? poster(b.coverUrl) : h('div', { class: 'poster poster-blank' }, t.replay);
    const el = h(
      'article',
      { class: 'item item-replay' },
      h('a', { class: 'frame', href: link(b.links.watch), 'aria-label': `${t.watchReplay} ${b.title}` }, cover, h('span', { class: 'tag' }, t.replay)),
      h('div', { class: 'info' }, h('h2', { class: 'item-title' }, b.title), h('a', { class: 'item-action', href: link(b.links.watch) }, t.watchReplay)),
    );
    return { el, frame: null, hls: null, counts: null };
  }
  const clip = item.clip;
  const counts = clipCounts(t, clip.id, { likes: clip.likes, views: clip.views, liked: item.liked });
  // The link covers the poster; on phones the playing video is laid over it while the clip is in view.
  const frame = h('div', { class: 'frame' }, poster(clip.links.poster), h('a', { class: 'open', href: link(clip.links.watch), 'aria-label': clip.title }));
  const el = h(
    'article',
    { class: 'item item-clip', 'data-clip': clip.id },
    frame,
    h('div', { class: 'info' }, h('h2', { class: 'item-title' }, clip.title), clip.submitterName ? h('p', { class: 'item-by' }, clip.submitterName) : null, counts.el),
  );
  return { el, frame, hls: clip.links.hls, counts };
}

/** A scheduled or live broadcast above the feed: its start in the installation's zone and where to go. */
export function upcomingEntry(b: Broadcast, ctx: ItemContext): HTMLElement {
  const { t } = ctx;
  const live = b.state === 'live';
  return h(
    'li',
    { class: `upcoming-item${live ? ' upcoming-live' : ''}` },
    live ? h('span', { class: 'tag tag-live' }, t.liveNow) : h('span', { class: 'upcoming-when' }, formatStart(b.scheduledStart, { timeZone: ctx.timezone, lang: ctx.lang, now: new Date(ctx.now()) })),
    h('span', { class: 'upcoming-title' }, b.title),
    h('a', { class: 'item-action', href: link(live ? b.links.watch : b.links.countdown) }, live ? t.watchLive : t.countdown),
  );
}
