// One broadcast as a tappable card: the list, the calendar and a series' occurrences all show it so.
import { h } from '../lib/dom.ts';
import { boot } from '../lib/boot.ts';
import { lang, t } from '../lib/i18n.ts';
import { formatWhen, toWall } from '../lib/time.ts';
import type { Broadcast } from '../lib/types.ts';
import { replayBadge, stateBadge } from '../lib/ui.ts';

export function broadcastItem(b: Broadcast, when: 'full' | 'time' = 'full'): HTMLElement {
  const time = when === 'full' ? formatWhen(b.scheduledStart, lang(), boot.timezone) : toWall(b.scheduledStart, boot.timezone).time;
  return h(
    'a',
    { href: `/console/broadcasts/${b.id}`, class: `item${b.state === 'cancelled' ? ' is-cancelled' : ''}`, 'data-id': b.id },
    h('span', { class: 'item-top' }, h('time', { datetime: b.scheduledStart }, time), h('span', null, stateBadge(b.state), replayBadge(b))),
    h('strong', { class: 'item-title' }, b.title),
    h(
      'span',
      { class: 'item-meta' },
      [t(`kind.${b.kind}`), b.channel.name, b.host?.displayName ?? t('list.noHost'), b.seriesId ? t('list.weekly') : null, b.theme || null].filter(Boolean).join(' · '),
    ),
  );
}

/** Broadcasts grouped under a heading per day in the installation's zone. */
export function byDay(list: Broadcast[]): Map<string, Broadcast[]> {
  const days = new Map<string, Broadcast[]>();
  for (const b of [...list].sort((x, y) => x.scheduledStart.localeCompare(y.scheduledStart))) {
    const day = toWall(b.scheduledStart, boot.timezone).date;
    days.set(day, [...(days.get(day) ?? []), b]);
  }
  return days;
}
