// The watch page (and, without site chrome, the embed page): the countdown before the start, the live
// player while live, the replay after the end. It follows the broadcast without a reload: the poller
// and the realtime channel both push the latest broadcast through `onBroadcast`.
import type { Broadcast } from '../../server/contracts/broadcasts.ts';
import type { ResidentBoot } from '../../server/contracts/resident-pages.ts';
import { pollBroadcast } from '../lib/api.ts';
import { broadcastFacts, missingView, pageHeader, troubleLine } from '../lib/broadcast-view.ts';
import { h, mount } from '../lib/dom.ts';
import { serverClock } from '../lib/format.ts';
import { strings } from '../lib/i18n.ts';
import type { Player, PlayerState } from './player.ts';
import { stageFor, stageKind, type Stage } from './stage.ts';
import { mountWatchRealtime } from '../realtime/panel.ts';

export interface WatchListener {
  onState?(broadcast: Broadcast, player: PlayerState | null): void;
  onError?(code: string, message: string): void;
}

export interface WatchPage {
  /** The broadcast the page shows now. */
  broadcast(): Broadcast;
  /** A newer view of the broadcast (from the poller or the realtime channel); stale versions are ignored. */
  onBroadcast(next: Broadcast): void;
  /** The player on screen, if any. */
  player(): Player | null;
  /** Empty section under the video for the realtime panel (Q&A, likes, viewers). */
  realtime: HTMLElement;
  listen(listener: WatchListener): () => void;
}

let current: WatchPage | null = null;

/** For the realtime channel: pushes a broadcast to the page open in this window (no-op before it starts). */
export function onBroadcast(next: Broadcast): void {
  current?.onBroadcast(next);
}

/** The page open in this window, for code that starts after it (the realtime panel, the embed bridge). */
export const watchPage = (): WatchPage | null => current;

/** No more changes worth polling for. */
const settled = (b: Broadcast) => b.state === 'cancelled' || (b.state === 'ended' && (b.replay.ready || !b.startedAt));

export function startWatchPage(boot: ResidentBoot): WatchPage | null {
  const t = strings(boot.lang);
  const main = h('main', { class: boot.embed ? 'page watch embed' : 'page watch' });
  mount(pageHeader(boot, t), main);
  if (!boot.broadcast) {
    main.replaceChildren(missingView(t));
    return null;
  }
  const now = serverClock(boot.now);
  const trouble = troubleLine(t);
  const realtime = h('section', { class: 'realtime', id: 'linbo-realtime' });
  const listeners = new Set<WatchListener>();
  const stageEl = h('div', { class: 'stage' });
  let facts = broadcastFacts(boot.broadcast, boot, t);
  let shown = boot.broadcast;
  let stage: Stage | null = null;

  const emitState = () => {
    const s = stage?.player?.state() ?? null;
    for (const l of listeners) l.onState?.(shown, s);
  };
  const emitError = (code: string, message: string) => {
    for (const l of listeners) l.onError?.(code, message);
  };

  function render(b: Broadcast): void {
    const kind = stageKind(b);
    if (!stage || stage.kind !== kind) {
      stage?.destroy();
      stage = stageFor(kind, b, { boot, t, now, onPlayer: emitState, onError: emitError });
      stageEl.replaceChildren(stage.el);
    }
    const nextFacts = broadcastFacts(b, boot, t);
    facts.replaceWith(nextFacts);
    facts = nextFacts;
    if (!boot.embed) document.title = b.title;
  }

  main.replaceChildren(stageEl, facts, realtime, trouble.el);
  render(shown);

  let stop = () => {};
  const page: WatchPage = {
    broadcast: () => shown,
    onBroadcast(next) {
      if (next.id !== shown.id || next.version < shown.version) return;
      const changed = next.version !== shown.version || next.state !== shown.state || next.replay.ready !== shown.replay.ready;
      shown = next;
      if (settled(next)) stop();
      if (!changed) return;
      render(next);
      emitState();
    },
    player: () => stage?.player ?? null,
    realtime,
    listen(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  current = page;
  if (!settled(shown)) {
    stop = pollBroadcast(shown.id, boot.pollMs, {
      onBroadcast: page.onBroadcast,
      onMissing: () => {
        stage?.destroy();
        main.replaceChildren(missingView(t));
      },
      onTrouble: trouble.show,
    });
  }
  mountWatchRealtime(page, t);
  return page;
}
