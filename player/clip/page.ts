// One clip: the video (the watch page's player, VOD), its heart and view count, and the way back to the
// channel. The device that sent a clip also reaches it here before it is published (it cannot be liked
// or counted then).
import type { ClipBoot } from '../../server/contracts/clip-pages.ts';
import type { Clip } from '../../server/contracts/clips.ts';
import { h, mount } from '../lib/dom.ts';
import { carryLang, otherLanguageHref, strings } from '../lib/i18n.ts';
import { createPlayer } from '../watch/player.ts';
import { clipCounts } from '../feed/counts.ts';
import { feedStrings, type FeedStrings } from '../feed/strings.ts';
import { stateLabel } from '../submit/states.ts';

/** Seconds of play after which the clip counts as viewed. */
const VIEW_AFTER_SECONDS = 3;

function clipView(clip: Clip, boot: ClipBoot, t: FeedStrings): HTMLElement {
  const published = clip.state === 'published';
  const counts = published ? clipCounts(t, clip.id, { likes: clip.likes, views: clip.views, liked: boot.liked }) : null;
  // Transcoded clips play (a pending one for its sender too); before that there is nothing to play.
  const playable = published || clip.state === 'in_review';
  const player = playable
    ? createPlayer(strings(boot.lang), {
        url: clip.links.hls,
        live: false,
        onChange(state) {
          if (state.time >= VIEW_AFTER_SECONDS) counts?.viewed();
        },
        onError() {},
      })
    : null;
  return h(
    'main',
    { class: 'page clip-page' },
    player ? h('section', { class: 'stage' }, player.el) : null,
    h('h1', { class: 'title' }, clip.title),
    clip.submitterName ? h('p', { class: 'item-by' }, clip.submitterName) : null,
    published ? null : h('p', { class: 'notice', role: 'status' }, `${stateLabel(t, clip.state)} · ${t.notPublished}`),
    counts?.el,
    h('a', { class: 'button back', href: carryLang(`/channels/${encodeURIComponent(clip.channel.slug)}`, location) }, `${t.backToChannel} · ${clip.channel.name}`),
  );
}

export function startClipPage(boot: ClipBoot): void {
  const t = feedStrings(boot.lang);
  const header = h(
    'header',
    { class: 'bar' },
    h('span', { class: 'bar-channel' }, boot.clip?.channel.name ?? t.brand),
    h('a', { class: 'bar-lang', href: otherLanguageHref(boot.lang, location) }, t.otherLanguage),
  );
  const body = boot.clip
    ? clipView(boot.clip, boot, t)
    : h('main', { class: 'page' }, h('section', { class: 'notice' }, h('h1', { class: 'notice-title' }, t.noClip), h('p', {}, t.noClipNote)));
  mount(header, body);
}
