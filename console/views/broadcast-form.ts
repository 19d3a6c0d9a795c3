// Create or edit one broadcast. On a series occurrence the staff member chooses the scope: only this
// one (PATCH the broadcast, which detaches it) or this one and all later ones (PATCH the series from
// this occurrence on).
import { api } from '../lib/api.ts';
import { boot } from '../lib/boot.ts';
import { h, valueOf } from '../lib/dom.ts';
import { channelSelect, coverPicker, hostSelect, loadChannels, loadHosts, noChannelView, select, visibilitySelect } from '../lib/form.ts';
import { t } from '../lib/i18n.ts';
import type { ViewContext } from '../lib/router.ts';
import { addDays, fromWall, monthOf, toWall, today } from '../lib/time.ts';
import type { Broadcast, Series } from '../lib/types.ts';
import { field, heading, linkButton, onSubmit, statusLine } from '../lib/ui.ts';
import { premiereClipPicker } from './premiere-clip.ts';

type Kind = Broadcast['kind'];
const KINDS: readonly Kind[] = ['lecture', 'gala', 'event', 'premiere'];
const asKind = (value: string | null): Kind => KINDS.find((k) => k === value) ?? 'lecture';

export async function broadcastFormView(ctx: ViewContext): Promise<Node> {
  const [channels, hosts, b] = await Promise.all([
    loadChannels(),
    loadHosts(),
    ctx.params.id ? api<Broadcast>('GET', `/api/broadcasts/${ctx.params.id}`) : Promise.resolve(null),
  ]);
  if (channels.length === 0) return noChannelView(t('broadcast.newTitle'));
  const start = b ? toWall(b.scheduledStart, boot.timezone) : { date: addDays(today(boot.timezone), 1), time: '19:30' };
  const cover = coverPicker(b?.coverImageId ?? null, b?.coverUrl ?? null);
  const status = statusLine();
  // A premiere plays a published clip and lasts as long as it: the clip replaces the duration.
  const clip = premiereClipPicker(b?.clipId ?? null);
  const duration = field(t('form.duration'), h('input', { name: 'durationMinutes', type: 'number', min: 1, max: 1440, inputmode: 'numeric', value: b?.durationMinutes ?? 60 }));
  const form = h(
    'form',
    { class: 'card form', novalidate: true },
    field(t('form.title'), h('input', { name: 'title', required: true, maxlength: 120, value: b?.title ?? '' })),
    field(t('form.kind'), select('kind', KINDS.map((k) => [k, t(`kind.${k}`)] as const), b?.kind ?? asKind(ctx.query.get('kind')))),
    field(t('form.channel'), channelSelect(channels, b?.channelId)),
    clip.el,
    h(
      'div',
      { class: 'row' },
      field(t('form.date'), h('input', { name: 'date', type: 'date', required: true, value: start.date })),
      field(t('form.time'), h('input', { name: 'time', type: 'time', required: true, value: start.time })),
    ),
    duration,
    field(t('form.theme'), h('input', { name: 'theme', maxlength: 60, value: b?.theme ?? '' })),
    field(t('form.host'), hostSelect(hosts, b?.hostId)),
    field(t('form.visibility'), visibilitySelect(b?.visibility ?? 'public')),
    field(t('form.description'), h('textarea', { name: 'description', rows: 4, maxlength: 4000 }, b?.description ?? '')),
    cover.el,
    b ? null : h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'draft' }), t('form.draft')),
    b?.seriesId ? h('p', { class: 'hint' }, t('broadcast.occurrenceHint')) : null,
    status.el,
    h(
      'div',
      { class: 'actions' },
      b?.seriesId
        ? [
            h('button', { type: 'submit', class: 'primary', value: 'one' }, t('broadcast.saveOne')),
            h('button', { type: 'submit', class: 'primary', value: 'following' }, t('broadcast.saveFollowing')),
          ]
        : h('button', { type: 'submit', class: 'primary' }, b ? t('broadcast.save') : t('broadcast.create')),
      linkButton(b ? `/console/broadcasts/${b.id}` : '/console/broadcasts', t('common.back')),
    ),
  );

  const isPremiere = () => asKind(valueOf(form, 'kind')) === 'premiere';
  const showKind = () => {
    // .field sets display, which would win over the hidden attribute.
    clip.el.style.display = isPremiere() ? '' : 'none';
    duration.style.display = isPremiere() ? 'none' : '';
    if (isPremiere()) void clip.load(valueOf(form, 'channelId')).catch((err: unknown) => status.error(err));
  };
  form.addEventListener('change', (event) => {
    const name = (event.target as HTMLInputElement).name;
    if (name === 'kind' || name === 'channelId') showKind();
  });
  showKind();
  /** Sent to the broadcast only: a series has no clip. */
  const clipField = () => (isPremiere() ? { clipId: valueOf(form, 'clipId') || null } : {});

  const fields = async () => ({
    title: valueOf(form, 'title'),
    description: valueOf(form, 'description'),
    kind: asKind(valueOf(form, 'kind')),
    durationMinutes: Number(valueOf(form, 'durationMinutes')),
    theme: valueOf(form, 'theme'),
    hostId: valueOf(form, 'hostId') || null,
    visibility: valueOf(form, 'visibility') === 'unlisted' ? ('unlisted' as const) : ('public' as const),
    coverImageId: await cover.value(),
  });
  const startOf = () => fromWall(valueOf(form, 'date'), valueOf(form, 'time'), boot.timezone);

  async function save(scope: string): Promise<string> {
    const common = await fields();
    if (!b) {
      const state = (form.elements.namedItem('draft') as HTMLInputElement).checked ? 'draft' : 'scheduled';
      const created = await api<Broadcast>('POST', '/api/broadcasts', { ...common, ...clipField(), channelId: valueOf(form, 'channelId'), scheduledStart: startOf(), state });
      return created.id;
    }
    if (scope !== 'following' || !b.seriesId) {
      await api('PATCH', `/api/broadcasts/${b.id}`, { ...common, ...clipField(), channelId: valueOf(form, 'channelId'), scheduledStart: startOf() });
      return b.id;
    }
    await api('PATCH', `/api/series/${b.seriesId}`, await seriesChange(b, common, valueOf(form, 'time')));
    // Series-wide changes skip an occurrence edited alone before; "this one" still means this one.
    if (b.detached) await api('PATCH', `/api/broadcasts/${b.id}`, { ...common, scheduledStart: startOf() });
    return b.id;
  }

  onSubmit(form, status, async (submitter) => ctx.go(`/console/broadcasts/${await save(submitter?.value ?? 'one')}`));
  return h('section', null, heading(b ? t('broadcast.editTitle') : t('broadcast.newTitle')), form);
}

/**
 * The series-wide form of an occurrence edit: the same fields from this occurrence on; a new time of
 * day re-plans later occurrences; the theme becomes this month's theme.
 */
async function seriesChange(b: Broadcast, common: { theme: string } & Record<string, unknown>, time: string): Promise<Record<string, unknown>> {
  const series = await api<Series>('GET', `/api/series/${b.seriesId}`);
  const { theme, ...rest } = common;
  const change: Record<string, unknown> = { ...rest, from: b.occurrenceStart ?? b.scheduledStart };
  const first = toWall(series.firstStart, boot.timezone);
  if (time !== first.time) change.firstStart = fromWall(first.date, time, boot.timezone);
  const month = monthOf(toWall(b.occurrenceStart ?? b.scheduledStart, boot.timezone).date);
  if (theme !== (series.themes[month] ?? '')) change.themes = { ...series.themes, [month]: theme };
  return change;
}
