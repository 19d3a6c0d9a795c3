// Create, edit or end a weekly series ("every Friday 9:30, 45 minutes, a theme per month"). Edits
// apply from today on; occurrences edited alone keep their own changes.
import { api, query } from '../lib/api.ts';
import { boot } from '../lib/boot.ts';
import { h, valueOf } from '../lib/dom.ts';
import { channelSelect, coverPicker, hostSelect, kindSelect, loadChannels, loadHosts, noChannelView, visibilitySelect } from '../lib/form.ts';
import { t } from '../lib/i18n.ts';
import type { ViewContext } from '../lib/router.ts';
import { weekdaysOf, weeklyRule } from '../lib/rrule.ts';
import { addDays, fromWall, monthOf, toWall, today, weekdayOf } from '../lib/time.ts';
import type { Broadcast, Series } from '../lib/types.ts';
import { confirmButton, field, heading, linkButton, onSubmit, statusLine } from '../lib/ui.ts';
import { broadcastItem } from './broadcast-item.ts';
import { themeEditor, weekdayPicker } from './series-fields.ts';

export async function seriesFormView(ctx: ViewContext): Promise<Node> {
  const id = ctx.params.id;
  const [channels, hosts, series, occurrences] = await Promise.all([
    loadChannels(),
    loadHosts(),
    id ? api<Series>('GET', `/api/series/${id}`) : Promise.resolve(null),
    id ? api<Broadcast[]>('GET', `/api/broadcasts${query({ seriesId: id, from: fromWall(today(boot.timezone), '00:00', boot.timezone) })}`) : Promise.resolve([]),
  ]);
  if (channels.length === 0) return noChannelView(t('series.newTitle'));
  const first = series ? toWall(series.firstStart, boot.timezone) : { date: '', time: '19:30' };
  const status = statusLine();
  const cover = coverPicker(series?.coverImageId ?? null, null);
  const dateInput = h('input', { name: 'firstDate', type: 'date', required: true, value: first.date });
  // Picking days moves an empty or non-matching first date to the next matching day.
  const days = weekdayPicker(series ? weekdaysOf(series.rrule) : [], () => {
    const picked = days.value();
    if (picked.length === 0 || (dateInput.value && picked.includes(weekdayOf(dateInput.value)))) return;
    let date = today(boot.timezone);
    while (!picked.includes(weekdayOf(date))) date = addDays(date, 1);
    dateInput.value = date;
  });
  const themes = themeEditor(series?.themes ?? {}, () => monthOf(dateInput.value || today(boot.timezone)));
  const form = h(
    'form',
    { class: 'card form', novalidate: true },
    field(t('form.title'), h('input', { name: 'title', required: true, maxlength: 120, value: series?.title ?? '' })),
    field(t('form.kind'), kindSelect(series?.kind ?? 'lecture')),
    field(t('form.channel'), channelSelect(channels, series?.channelId, Boolean(series))),
    days.el,
    h('div', { class: 'row' }, field(t('series.firstDate'), dateInput), field(t('form.time'), h('input', { name: 'time', type: 'time', required: true, value: first.time }))),
    field(t('form.duration'), h('input', { name: 'durationMinutes', type: 'number', min: 1, max: 1440, inputmode: 'numeric', value: series?.durationMinutes ?? 45 })),
    themes.el,
    field(t('form.host'), hostSelect(hosts, series?.hostId)),
    field(t('form.visibility'), visibilitySelect(series?.visibility ?? 'public')),
    field(t('form.description'), h('textarea', { name: 'description', rows: 4, maxlength: 4000 }, series?.description ?? '')),
    cover.el,
    status.el,
    h(
      'div',
      { class: 'actions' },
      series?.endedAt ? null : h('button', { type: 'submit', class: 'primary' }, series ? t('series.save') : t('series.create')),
      linkButton('/console/series', t('common.back')),
    ),
  );

  async function save(): Promise<string> {
    const picked = days.value();
    if (picked.length === 0) throw t('series.pickDay');
    const rrule = weeklyRule(picked, series?.rrule);
    const firstStart = valueOf(form, 'firstDate') ? fromWall(valueOf(form, 'firstDate'), valueOf(form, 'time'), boot.timezone) : '';
    const body = {
      title: valueOf(form, 'title'),
      description: valueOf(form, 'description'),
      kind: valueOf(form, 'kind') as Series['kind'],
      durationMinutes: Number(valueOf(form, 'durationMinutes')),
      themes: themes.value(),
      hostId: valueOf(form, 'hostId') || null,
      visibility: valueOf(form, 'visibility') as Series['visibility'],
      coverImageId: await cover.value(),
    };
    if (!series) {
      const created = await api<Series>('POST', '/api/series', { ...body, channelId: valueOf(form, 'channelId'), rrule, firstStart });
      return created.id;
    }
    // Only a changed rule or start re-plans the occurrences.
    const replan = { ...(rrule !== series.rrule ? { rrule } : {}), ...(firstStart !== new Date(series.firstStart).toISOString() ? { firstStart } : {}) };
    await api('PATCH', `/api/series/${series.id}`, { ...body, ...replan });
    return series.id;
  }

  onSubmit(form, status, async () => ctx.go(`/console/series/${await save()}`));

  const end = async () => {
    await api('DELETE', `/api/series/${series!.id}`);
    ctx.go(`/console/series/${series!.id}`);
  };
  return h(
    'section',
    null,
    heading(series ? t('series.editTitle') : t('series.newTitle'), series?.endedAt ? h('span', { class: 'badge state-ended' }, t('series.ended')) : null),
    form,
    occurrences.length ? h('section', { class: 'occurrences' }, h('h2', null, t('series.occurrences')), h('div', { class: 'items' }, occurrences.map((b) => broadcastItem(b)))) : null,
    series && !series.endedAt ? confirmButton(t('series.end'), t('series.endConfirm'), t('series.endYes'), t('series.endNo'), end) : null,
  );
}
