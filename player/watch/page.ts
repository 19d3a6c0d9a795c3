// The watch page (and, without site chrome, the embed page) before the player exists: it says
// truthfully where the broadcast stands. The hls.js player replaces the live notice in a later issue.
import type { Broadcast } from '../../server/contracts/broadcasts.ts';
import type { ResidentBoot } from '../../server/contracts/resident-pages.ts';
import { pollBroadcast } from '../lib/api.ts';
import { broadcastFacts, missingView, pageHeader, startLabel, troubleLine } from '../lib/broadcast-view.ts';
import { h, mount } from '../lib/dom.ts';
import { serverClock } from '../lib/format.ts';
import { carryLang, strings } from '../lib/i18n.ts';

export function startWatchPage(boot: ResidentBoot): void {
  const t = strings(boot.lang);
  const main = h('main', { class: boot.embed ? 'page watch embed' : 'page watch' });
  mount(pageHeader(boot, t), main);
  if (!boot.broadcast) {
    main.replaceChildren(missingView(t));
    return;
  }
  const now = serverClock(boot.now);
  const trouble = troubleLine(t);
  // Inside a frame, a link should open the full page rather than navigate the embedder's frame.
  const target = boot.embed ? '_blank' : undefined;

  function stateView(b: Broadcast): HTMLElement {
    switch (b.state) {
      case 'live':
        return h('section', { class: 'notice notice-live', role: 'status' }, h('p', { class: 'notice-title' }, h('span', { class: 'live-dot' }), t.live), h('p', {}, t.playerComing));
      case 'ended':
        return h('section', { class: 'notice notice-ended', role: 'status' }, h('p', { class: 'notice-title' }, t.ended), b.startedAt ? h('p', {}, t.replayComing) : null);
      case 'cancelled':
        return h('section', { class: 'notice notice-cancelled', role: 'status' }, h('p', { class: 'notice-title' }, t.cancelled), h('p', {}, t.cancelledNote));
      default:
        return h(
          'section',
          { class: 'notice notice-waiting', role: 'status' },
          h('p', { class: 'notice-title' }, t.notStarted),
          h('p', { class: 'when-start' }, h('span', { class: 'when-label' }, t.startsAt), h('strong', {}, startLabel(b, boot, now()))),
          h('a', { class: 'button', href: carryLang(b.links.countdown, location), target, rel: target && 'noopener' }, t.toCountdown),
        );
    }
  }

  let shown = boot.broadcast;
  const show = (b: Broadcast) => {
    shown = b;
    main.replaceChildren(broadcastFacts(b, boot, t), stateView(b), trouble.el);
    if (!boot.embed) document.title = b.title;
  };
  show(shown);
  if (shown.state === 'ended' || shown.state === 'cancelled') return;
  const stop = pollBroadcast(shown.id, boot.pollMs, {
    onBroadcast(next) {
      if (next.state === 'ended' || next.state === 'cancelled') stop();
      if (next.version !== shown.version || next.state !== shown.state) show(next);
    },
    onMissing: () => main.replaceChildren(missingView(t)),
    onTrouble: trouble.show,
  });
}
