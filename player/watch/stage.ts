// What fills the top of the watch page in each phase of a broadcast: the countdown, the live player,
// the replay, or a notice.
import type { Broadcast } from '../../server/contracts/broadcasts.ts';
import type { ResidentBoot } from '../../server/contracts/resident-pages.ts';
import { countdownClock } from '../countdown/clock.ts';
import { startLabel } from '../lib/broadcast-view.ts';
import { h } from '../lib/dom.ts';
import type { Strings } from '../lib/i18n.ts';
import { createPlayer, type Player } from './player.ts';

export type StageKind = 'countdown' | 'live' | 'replay' | 'preparing' | 'ended' | 'cancelled';

export interface Stage {
  kind: StageKind;
  el: HTMLElement;
  player: Player | null;
  destroy(): void;
}

export interface StageContext {
  boot: ResidentBoot;
  t: Strings;
  now: () => number;
  /** The player's state changed. */
  onPlayer(): void;
  onError(code: string, message: string): void;
}

export function stageKind(b: Broadcast): StageKind {
  switch (b.state) {
    case 'live':
      return 'live';
    case 'cancelled':
      return 'cancelled';
    case 'ended':
      // Only a broadcast that went live has anything to replay.
      return !b.startedAt ? 'ended' : b.replay.ready ? 'replay' : 'preparing';
    default:
      return 'countdown';
  }
}

const notice = (kind: StageKind, title: string, note?: string) =>
  h('section', { class: `notice notice-${kind}`, role: 'status' }, h('p', { class: 'notice-title' }, title), note ? h('p', {}, note) : null);

function countdown(b: Broadcast, ctx: StageContext): Stage {
  const { t, now } = ctx;
  const clock = countdownClock(t);
  const soon = h('p', { class: 'soon', role: 'status', hidden: true }, t.startingSoon);
  let ticking: ReturnType<typeof setTimeout> | undefined;
  // Each tick lands just after a whole second of server time, so the seconds flip evenly.
  const tick = () => {
    soon.hidden = clock.show(new Date(b.scheduledStart).getTime() - now());
    ticking = setTimeout(tick, 1000 - (now() % 1000) + 20);
  };
  tick();
  const el = h(
    'section',
    { class: 'when notice-waiting' },
    h('p', { class: 'when-start' }, h('span', { class: 'when-label' }, t.startsAt), h('strong', {}, startLabel(b, ctx.boot, now()))),
    h('p', { class: 'clock-label' }, t.countdownLabel),
    clock.el,
    soon,
  );
  return { kind: 'countdown', el, player: null, destroy: () => clearTimeout(ticking) };
}

function playing(kind: 'live' | 'replay', b: Broadcast, ctx: StageContext): Stage {
  const player = createPlayer(ctx.t, { url: b.links.hls, live: kind === 'live', ...(b.kind === 'premiere' ? { premiere: { now: ctx.now, startedAt: Date.parse(b.startedAt ?? b.scheduledStart) } } : {}), onChange: ctx.onPlayer, onError: ctx.onError });
  const badge = kind === 'live' ? h('p', { class: 'badge badge-live' }, h('span', { class: 'live-dot' }), ctx.t.live) : h('p', { class: 'badge badge-replay' }, ctx.t.replay);
  return { kind, el: h('section', { class: `stage-${kind}` }, player.el, badge), player, destroy: player.destroy };
}

export function stageFor(kind: StageKind, b: Broadcast, ctx: StageContext): Stage {
  const { t } = ctx;
  const still = (el: HTMLElement): Stage => ({ kind, el, player: null, destroy() {} });
  switch (kind) {
    case 'countdown':
      return countdown(b, ctx);
    case 'live':
    case 'replay':
      return playing(kind, b, ctx);
    case 'preparing':
      return still(notice(kind, t.ended, t.replayPreparing));
    case 'ended':
      return still(notice(kind, t.ended));
    case 'cancelled':
      return still(notice(kind, t.cancelled, t.cancelledNote));
  }
}
