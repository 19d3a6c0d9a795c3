// Upcoming broadcasts, today first, grouped by day; cancelled ones stay visible with their badge so
// staff can see a holiday week was skipped on purpose.
import { api, query } from '../lib/api.ts';
import { boot } from '../lib/boot.ts';
import { h } from '../lib/dom.ts';
import { lang, t } from '../lib/i18n.ts';
import type { ViewContext } from '../lib/router.ts';
import { formatDate, fromWall, today } from '../lib/time.ts';
import type { Broadcast } from '../lib/types.ts';
import { heading, linkButton } from '../lib/ui.ts';
import { broadcastItem, byDay } from './broadcast-item.ts';

export async function broadcastListView(ctx: ViewContext): Promise<Node> {
  const from = fromWall(today(boot.timezone), '00:00', boot.timezone);
  const list = await api<Broadcast[]>('GET', `/api/broadcasts${query({ from, limit: 200 })}`);
  const canSchedule = ctx.me.role !== 'host';
  return h(
    'section',
    { class: 'broadcast-list' },
    heading(
      t('list.title'),
      canSchedule && linkButton('/console/broadcasts/new', t('list.newBroadcast'), 'primary'),
      canSchedule && linkButton('/console/series/new', t('list.newSeries')),
    ),
    list.length === 0
      ? h('p', { class: 'muted' }, t('list.empty'))
      : [...byDay(list)].map(([day, items]) =>
          h('div', { class: 'day' }, h('h2', null, formatDate(day, lang(), { month: 'long', day: 'numeric', weekday: 'long' })), h('div', { class: 'items' }, items.map((b) => broadcastItem(b, 'time')))),
        ),
  );
}
