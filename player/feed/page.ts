// A channel's page for residents: the channel with its follow button and upcoming broadcasts, then its
// clips and replays newest first; a full-screen vertical feed on phones (scroll-snap, swipe up for the
// next), a grid of posters on wide screens. More entries load as the end comes into view.
import type { ChannelFeed } from '../../server/contracts/clips.ts';
import type { FeedBoot } from '../../server/contracts/clip-pages.ts';
import { h, mount } from '../lib/dom.ts';
import { serverClock } from '../lib/format.ts';
import { carryLang, otherLanguageHref } from '../lib/i18n.ts';
import { fetchFeed, setFollow, type FollowState } from './api.ts';
import { phoneAutoplay } from './autoplay.ts';
import { feedEntry, upcomingEntry, type ItemContext } from './items.ts';
import { feedStrings, fill, type FeedStrings } from './strings.ts';
import { serverToggle } from './toggle.ts';

export const PHONE_QUERY = '(max-width: 767px)';

function followButton(t: FeedStrings, channelId: string, initial: FollowState): HTMLElement {
  const button = h('button', { type: 'button', class: 'follow' });
  const count = h('span', { class: 'followers' });
  serverToggle(button, initial, (f) => f.following, (on) => setFollow(channelId, on), (f) => {
    button.textContent = f.following ? t.following : t.follow;
    count.textContent = fill(t.followers, { n: f.followers });
  });
  return h('div', { class: 'follow-row' }, button, count);
}

function intro(feed: ChannelFeed, boot: FeedBoot, t: FeedStrings, ctx: ItemContext): HTMLElement {
  const { channel } = feed;
  const upcoming = feed.upcoming.length
    ? h('section', { class: 'upcoming' }, h('h2', { class: 'upcoming-heading' }, t.upcoming), h('ul', { class: 'upcoming-list' }, ...feed.upcoming.map((b) => upcomingEntry(b, ctx))))
    : null;
  return h(
    'section',
    { class: 'intro' },
    h('header', { class: 'bar' }, h('span', { class: 'bar-channel' }, t.brand), h('a', { class: 'bar-lang', href: otherLanguageHref(boot.lang, location) }, t.otherLanguage)),
    h('div', { class: 'intro-body' },
      channel.avatarUrl ? h('img', { class: 'avatar', src: channel.avatarUrl, alt: '' }) : null,
      h('h1', { class: 'channel-name' }, channel.name),
      channel.description ? h('p', { class: 'channel-description' }, channel.description) : null,
      followButton(t, channel.id, { followers: feed.followers, following: feed.following }),
      upcoming,
      feed.items.length ? null : h('p', { class: 'empty' }, t.empty),
      feed.items.length ? h('p', { class: 'swipe-hint', 'aria-hidden': 'true' }, t.swipeHint) : null,
      h('a', { class: 'submit-link', href: carryLang(`/channels/${encodeURIComponent(channel.slug)}/submit`, location) }, t.submit),
    ),
  );
}

export function startFeedPage(boot: FeedBoot): void {
  const t = feedStrings(boot.lang);
  const feed = boot.feed;
  if (!feed) {
    mount(h('main', { class: 'page' }, h('section', { class: 'notice' }, h('h1', { class: 'notice-title' }, t.noChannel), h('p', {}, t.noChannelNote))));
    return;
  }
  const ctx: ItemContext = { t, lang: boot.lang, timezone: boot.timezone, now: serverClock(boot.now) };
  const autoplay = phoneAutoplay(t, window.matchMedia(PHONE_QUERY));
  const list = h('main', { class: 'feed' }, intro(feed, boot, t, ctx));
  const more = h('div', { class: 'more', role: 'status' });
  let cursor = feed.nextCursor;
  let loading = false;

  const add = (items: ChannelFeed['items']) => {
    for (const item of items) {
      const entry = feedEntry(item, ctx);
      list.insertBefore(entry.el, more);
      autoplay.watch(entry);
    }
  };
  // The end of the feed in view: the next page.
  const pager = new IntersectionObserver((records) => {
    if (!records.some((r) => r.isIntersecting) || !cursor || loading) return;
    loading = true;
    more.textContent = t.loading;
    fetchFeed(feed.channel.id, cursor).then(
      (page) => {
        cursor = page.nextCursor;
        more.textContent = '';
        add(page.items);
      },
      () => (more.textContent = t.offline),
    ).finally(() => (loading = false));
  }, { rootMargin: '200px' });

  list.append(more);
  add(feed.items);
  pager.observe(more);
  mount(list);
  window.addEventListener('pagehide', () => {
    autoplay.close();
    pager.disconnect();
  }, { once: true });
}
