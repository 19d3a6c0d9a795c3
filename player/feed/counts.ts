// The heart with its count and the view count under a clip, shared by the feed and the clip page.
import { h } from '../lib/dom.ts';
import { countView, setLike, type ClipCounts } from './api.ts';
import { fill, type FeedStrings } from './strings.ts';
import { serverToggle } from './toggle.ts';

/** A heart drawn, not an emoji: cheap phones and WeChat's fonts show some emoji as empty boxes. */
function heart(): SVGSVGElement {
  const NS = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('class', 'heart-icon');
  svg.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS(NS, 'path');
  path.setAttribute('d', 'M12 21s-7.5-4.6-10-9.3C.4 8.4 2.3 4.5 6 4.5c2.1 0 3.4 1.1 4 2.2.6-1.1 1.9-2.2 4-2.2 3.7 0 5.6 3.9 4 7.2C19.5 16.4 12 21 12 21z');
  svg.append(path);
  return svg;
}

export interface ClipCountsView {
  el: HTMLElement;
  /** Counts the view once per page (the server counts a device once anyway). */
  viewed(): void;
}

export function clipCounts(t: FeedStrings, clipId: string, initial: ClipCounts): ClipCountsView {
  let viewSent = false;
  const likeCount = h('span', { class: 'like-count' });
  const like = h('button', { type: 'button', class: 'like', 'aria-label': t.like }, heart(), likeCount);
  const views = h('span', { class: 'views' });
  const counts = serverToggle(like, initial, (c) => c.liked, (on) => setLike(clipId, on), (c) => {
    likeCount.textContent = fill(t.likes, { n: c.likes });
    views.textContent = fill(t.views, { n: c.views });
  });
  return {
    el: h('div', { class: 'counts' }, like, views),
    viewed() {
      if (viewSent) return;
      viewSent = true;
      countView(clipId).then(counts.set, () => (viewSent = false));
    },
  };
}
