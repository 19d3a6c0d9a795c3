// Every weekly series, running ones first, each summarised as "every Friday 09:30".
import { api } from '../lib/api.ts';
import { boot } from '../lib/boot.ts';
import { h } from '../lib/dom.ts';
import { t, weekdayName } from '../lib/i18n.ts';
import { weekdaysOf } from '../lib/rrule.ts';
import { toWall } from '../lib/time.ts';
import type { Series } from '../lib/types.ts';
import { heading, linkButton } from '../lib/ui.ts';

export const seriesSummary = (s: Series) =>
  t('series.every', {
    days: weekdaysOf(s.rrule)
      .map((d) => weekdayName(d, 'long'))
      .join(t('weekday.joiner')),
    time: toWall(s.firstStart, boot.timezone).time,
  });

export async function seriesListView(): Promise<Node> {
  const list = await api<Series[]>('GET', '/api/series');
  const ordered = [...list].sort((a, b) => Number(Boolean(a.endedAt)) - Number(Boolean(b.endedAt)) || a.title.localeCompare(b.title));
  return h(
    'section',
    null,
    heading(t('nav.series'), linkButton('/console/series/new', t('list.newSeries'), 'primary')),
    ordered.length === 0
      ? h('p', { class: 'muted' }, t('series.empty'))
      : h(
          'div',
          { class: 'items' },
          ordered.map((s) =>
            h(
              'a',
              { href: `/console/series/${s.id}`, class: `item${s.endedAt ? ' is-cancelled' : ''}` },
              h('span', { class: 'item-top' }, h('span', null, seriesSummary(s)), s.endedAt ? h('span', { class: 'badge state-ended' }, t('series.ended')) : null),
              h('strong', { class: 'item-title' }, s.title),
              h('span', { class: 'item-meta' }, `${t(`kind.${s.kind}`)} · ${t('common.minutes', { n: s.durationMinutes })}`),
            ),
          ),
        ),
  );
}
