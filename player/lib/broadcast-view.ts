// The parts every resident page shows about a broadcast: header, cover, title and its facts.
import type { Broadcast } from '../../server/contracts/broadcasts.ts';
import { formatStart, kindLabel } from '../../server/contracts/display.ts';
import type { ResidentBoot } from '../../server/contracts/resident-pages.ts';
import { h } from './dom.ts';
import { otherLanguageHref, type Strings } from './i18n.ts';

/** Channel name (or the brand) and the language switch; absent on embeds, which live in someone else's page. */
export function pageHeader(boot: ResidentBoot, t: Strings): HTMLElement | null {
  if (boot.embed) return null;
  return h(
    'header',
    { class: 'bar' },
    h('span', { class: 'bar-channel' }, boot.broadcast?.channel.name ?? t.brand),
    h('a', { class: 'bar-lang', href: otherLanguageHref(boot.lang, location), lang: boot.lang === 'en' ? 'zh-CN' : 'en' }, t.otherLanguage),
  );
}

export function startLabel(b: Broadcast, boot: ResidentBoot, now: number): string {
  return formatStart(b.scheduledStart, { timeZone: boot.timezone, lang: boot.lang, now: new Date(now) });
}

/** Cover, kind, title, theme and host: what a resident checks to know this is the right broadcast. */
export function broadcastFacts(b: Broadcast, boot: ResidentBoot, t: Strings): HTMLElement {
  const who = b.host ? `${b.kind === 'lecture' ? t.speaker : t.host}${boot.lang === 'en' ? ': ' : '：'}${b.host.displayName}` : '';
  return h(
    'section',
    { class: 'facts' },
    b.coverUrl ? h('img', { class: 'cover', src: b.coverUrl, alt: '', width: '1280', height: '720' }) : null,
    h('span', { class: 'kind' }, kindLabel(b.kind, boot.lang)),
    h('h1', { class: 'title' }, b.title),
    b.theme ? h('p', { class: 'theme' }, b.theme) : null,
    who ? h('p', { class: 'host' }, who) : null,
  );
}

/** The whole page when the link leads nowhere (also served with status 404). */
export function missingView(t: Strings): HTMLElement {
  return h('section', { class: 'notice notice-missing' }, h('h1', { class: 'notice-title' }, t.notFound), h('p', {}, t.notFoundNote));
}

/** A one-line message that a failing poll shows and a good one hides. */
export function troubleLine(t: Strings): { el: HTMLElement; show(failing: boolean): void } {
  const el = h('p', { class: 'trouble', role: 'status', hidden: true }, t.offline);
  return { el, show: (failing) => (el.hidden = !failing) };
}
