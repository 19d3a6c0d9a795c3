// Week and month views of the schedule in the installation's zone. On a phone the week is a column
// of days and the month a grid of tappable days with the chosen day's broadcasts listed below it.
import { api, query } from '../lib/api.ts';
import { boot } from '../lib/boot.ts';
import { h, replace } from '../lib/dom.ts';
import { lang, t, weekdayName } from '../lib/i18n.ts';
import type { ViewContext } from '../lib/router.ts';
import { addDays, addMonths, formatDate, fromWall, mondayOf, monthOf, today } from '../lib/time.ts';
import type { Broadcast } from '../lib/types.ts';
import { heading } from '../lib/ui.ts';
import { broadcastItem, byDay } from './broadcast-item.ts';

type Mode = 'week' | 'month';
const href = (mode: Mode, date: string) => `/console/calendar${query({ view: mode, date })}`;
const dayItems = (items: Broadcast[] | undefined) =>
  items?.length ? h('div', { class: 'items' }, items.map((b) => broadcastItem(b, 'time'))) : h('p', { class: 'muted' }, t('calendar.empty'));

const load = (from: string, to: string) =>
  api<Broadcast[]>('GET', `/api/broadcasts${query({ from: fromWall(from, '00:00', boot.timezone), to: fromWall(to, '00:00', boot.timezone), limit: 500 })}`);

export async function calendarView(ctx: ViewContext): Promise<Node> {
  const mode: Mode = ctx.query.get('view') === 'month' ? 'month' : 'week';
  const date = /^\d{4}-\d{2}-\d{2}$/.test(ctx.query.get('date') ?? '') ? ctx.query.get('date')! : today(boot.timezone);
  const [prev, next] = mode === 'week' ? [addDays(date, -7), addDays(date, 7)] : [`${addMonths(monthOf(date), -1)}-01`, `${addMonths(monthOf(date), 1)}-01`];
  const toolbar = h(
    'div',
    { class: 'calendar-bar' },
    h(
      'div',
      { class: 'segmented' },
      (['week', 'month'] as const).map((m) => h('a', { href: href(m, date), class: 'button', 'aria-current': m === mode ? 'true' : null }, t(`calendar.${m}`))),
    ),
    h(
      'div',
      { class: 'segmented' },
      h('a', { href: href(mode, prev), class: 'button', 'aria-label': t('calendar.prev') }, '‹'),
      h('a', { href: href(mode, today(boot.timezone)), class: 'button' }, t('calendar.today')),
      h('a', { href: href(mode, next), class: 'button', 'aria-label': t('calendar.next') }, '›'),
    ),
  );
  const body = mode === 'week' ? await week(mondayOf(date)) : await month(date);
  return h('section', { class: `calendar calendar-${mode}` }, heading(t('nav.calendar')), toolbar, body);
}

async function week(monday: string): Promise<Node> {
  const days = byDay(await load(monday, addDays(monday, 7)));
  const dates = Array.from({ length: 7 }, (_, i) => addDays(monday, i));
  return h(
    'div',
    { class: 'week' },
    h('h2', null, `${formatDate(monday, lang(), { month: 'long', day: 'numeric' })} – ${formatDate(dates[6], lang(), { month: 'long', day: 'numeric' })}`),
    h(
      'div',
      { class: 'week-days' },
      dates.map((d) =>
        h('div', { class: `week-day${d === today(boot.timezone) ? ' is-today' : ''}`, 'data-date': d }, h('h3', null, formatDate(d, lang(), { weekday: 'short', month: 'numeric', day: 'numeric' })), dayItems(days.get(d))),
      ),
    ),
  );
}

async function month(selected: string): Promise<Node> {
  const first = `${monthOf(selected)}-01`;
  const start = mondayOf(first);
  const end = mondayOf(addDays(`${addMonths(monthOf(selected), 1)}-01`, 6));
  const days = byDay(await load(start, end));
  const list = h('div', { class: 'month-day' });
  const cells: HTMLButtonElement[] = [];
  const choose = (d: string) => {
    for (const c of cells) c.setAttribute('aria-pressed', String(c.dataset.date === d));
    replace(list, h('h3', null, formatDate(d, lang(), { month: 'long', day: 'numeric', weekday: 'long' })), dayItems(days.get(d)));
  };
  for (let d = start; d < end; d = addDays(d, 1)) {
    const items = days.get(d) ?? [];
    const day = d;
    cells.push(
      h(
        'button',
        {
          type: 'button',
          class: `cell${monthOf(d) === monthOf(selected) ? '' : ' other-month'}${d === today(boot.timezone) ? ' is-today' : ''}`,
          'data-date': d,
          'aria-label': `${formatDate(d, lang(), { month: 'long', day: 'numeric' })}${items.length ? ` · ${items.length}` : ''}`,
          onclick: () => choose(day),
        },
        h('span', { class: 'num' }, Number(d.slice(8))),
        h('span', { class: 'dots', 'aria-hidden': 'true' }, items.slice(0, 3).map((b) => h('i', { class: `dot state-${b.state}` }))),
        h('span', { class: 'cell-titles' }, items.slice(0, 3).map((b) => h('span', null, b.title))),
      ),
    );
  }
  choose(selected);
  return h(
    'div',
    { class: 'month' },
    h('h2', null, formatDate(first, lang(), { year: 'numeric', month: 'long' })),
    h('div', { class: 'month-grid' }, [1, 2, 3, 4, 5, 6, 0].map((d) => h('span', { class: 'wd' }, weekdayName(d))), cells),
    list,
  );
}
