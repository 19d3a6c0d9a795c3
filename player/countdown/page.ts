// The countdown page: what a resident lands on from the poster's QR code. It counts down against the
// server's clock, keeps the broadcast fresh by polling, and moves to the watch page by itself when
// the broadcast goes live.
import type { Broadcast } from '../../server/contracts/broadcasts.ts';
import type { ResidentBoot } from '../../server/contracts/resident-pages.ts';
import { pollBroadcast } from '../lib/api.ts';
import { broadcastFacts, missingView, pageHeader, startLabel, troubleLine } from '../lib/broadcast-view.ts';
import { h, mount } from '../lib/dom.ts';
import { serverClock } from '../lib/format.ts';
import { carryLang, strings, type Strings } from '../lib/i18n.ts';
import { countdownClock } from './clock.ts';

/** Nothing changes on the page after these (live moves to the watch page). */
const FINAL: readonly Broadcast['state'][] = ['live', 'ended', 'cancelled'];

function endedView(b: Broadcast, t: Strings): HTMLElement {
  return h(
    'section',
    { class: 'notice notice-ended', role: 'status' },
    h('p', { class: 'notice-title' }, t.ended),
    // Only a broadcast that went live has anything to replay.
    b.startedAt ? h('a', { class: 'button', href: carryLang(b.links.watch, location) }, t.watchReplay) : null,
  );
}

function cancelledView(t: Strings): HTMLElement {
  return h('section', { class: 'notice notice-cancelled', role: 'status' }, h('p', { class: 'notice-title' }, t.cancelled), h('p', {}, t.cancelledNote));
}

export function startCountdownPage(boot: ResidentBoot): void {
  const t = strings(boot.lang);
  if (!boot.broadcast) {
    mount(pageHeader(boot, t), h('main', { class: 'page' }, missingView(t)));
    return;
  }
  let broadcast: Broadcast = boot.broadcast;
  const now = serverClock(boot.now);
  const clock = countdownClock(t);
  const soon = h('p', { class: 'soon', role: 'status', hidden: true }, t.startingSoon);
  const trouble = troubleLine(t);
  const main = h('main', { class: 'page countdown' });
  let ticking: ReturnType<typeof setTimeout> | undefined;

  // Each tick lands just after a whole second of server time, so the seconds flip evenly.
  const tick = () => {
    const left = new Date(broadcast.scheduledStart).getTime() - now();
    soon.hidden = clock.show(left);
    ticking = setTimeout(tick, 1000 - (now() % 1000) + 20);
  };

  function scheduledView(b: Broadcast): HTMLElement {
    return h(
      'section',
      { class: 'when' },
      h('p', { class: 'when-start' }, h('span', { class: 'when-label' }, t.startsAt), h('strong', {}, startLabel(b, boot, now()))),
      h('p', { class: 'clock-label' }, t.countdownLabel),
      clock.el,
      soon,
      h('a', { class: 'button', href: b.links.ics }, t.addToCalendar),
    );
  }

  function show(b: Broadcast): void {
    broadcast = b;
    clearTimeout(ticking);
    if (b.state === 'live') {
      main.replaceChildren(h('p', { class: 'notice-title', role: 'status' }, t.goingLive));
      location.replace(carryLang(b.links.watch, location));
      return;
    }
    const state = b.state === 'ended' ? endedView(b, t) : b.state === 'cancelled' ? cancelledView(t) : scheduledView(b);
    main.replaceChildren(broadcastFacts(b, boot, t), state, trouble.el);
    document.title = b.title;
    if (b.state === 'scheduled') tick();
  }

  mount(pageHeader(boot, t), main);
  show(broadcast);
  if (FINAL.includes(broadcast.state)) return;
  const stop = pollBroadcast(broadcast.id, boot.pollMs, {
    onBroadcast(next) {
      if (FINAL.includes(next.state)) stop();
      if (next.version !== broadcast.version || next.state !== broadcast.state) show(next);
    },
    onMissing() {
      clearTimeout(ticking);
      main.replaceChildren(missingView(t));
    },
    onTrouble: trouble.show,
  });
}
