// One broadcast: when, where, who, its state; what to hand out (links, poster, stream key); and the
// actions its state allows.
import { api } from '../lib/api.ts';
import { boot } from '../lib/boot.ts';
import { h } from '../lib/dom.ts';
import { lang, t } from '../lib/i18n.ts';
import type { ViewContext } from '../lib/router.ts';
import { formatWhen } from '../lib/time.ts';
import type { Broadcast } from '../lib/types.ts';
import { confirmButton, heading, linkButton, replayBadge, stateBadge, statusLine } from '../lib/ui.ts';
import { linksSection, posterSection, streamKeySection } from './broadcast-links.ts';

const facts = (rows: [string, string][]) => h('dl', { class: 'facts' }, rows.filter(([, v]) => v).map(([k, v]) => [h('dt', null, k), h('dd', null, v)]));

export async function broadcastView(ctx: ViewContext): Promise<Node> {
  const b = await api<Broadcast>('GET', `/api/broadcasts/${ctx.params.id}`);
  const here = `/console/broadcasts/${b.id}`;
  const canSchedule = ctx.me.role !== 'host';
  const open = b.state === 'draft' || b.state === 'scheduled';
  const status = statusLine();
  const act = (path: string) => async () => {
    await api('POST', `/api/broadcasts/${b.id}/${path}`);
    ctx.go(here);
  };
  return h(
    'section',
    { class: 'broadcast' },
    heading(b.title, stateBadge(b.state), replayBadge(b)),
    facts([
      [t('form.time'), formatWhen(b.scheduledStart, lang(), boot.timezone)],
      [t('form.duration'), t('common.minutes', { n: b.durationMinutes })],
      [t('form.kind'), t(`kind.${b.kind}`)],
      [t('form.channel'), b.channel.name],
      [t('form.host'), b.host?.displayName ?? t('list.noHost')],
      [t('form.theme'), b.theme],
      [t('form.visibility'), t(`visibility.${b.visibility}`)],
      [t('broadcast.endedReason'), b.endedReason ? t(`ended.${b.endedReason}`) : ''],
    ]),
    b.description ? h('p', { class: 'description' }, b.description) : null,
    b.coverUrl ? h('img', { src: b.coverUrl, alt: t('form.cover'), class: 'cover-image' }) : null,
    canSchedule && open
      ? h(
          'div',
          { class: 'actions' },
          linkButton(`${here}/edit`, t('broadcast.edit'), 'primary'),
          b.state === 'draft' ? h('button', { type: 'button', onclick: () => act('publish')().catch(status.error) }, t('broadcast.publish')) : null,
          b.seriesId ? linkButton(`/console/series/${b.seriesId}`, t('broadcast.editSeries')) : null,
        )
      : null,
    (b.state === 'scheduled' || b.state === 'live') && (canSchedule || b.hostId === ctx.me.id)
      ? h(
          'div',
          { class: 'actions' },
          h('a', { href: b.links.studio, class: 'button primary studio-link' }, t('broadcast.studio')),
          canSchedule ? linkButton(`/console/moderation/${b.id}`, t('broadcast.moderate')) : null,
        )
      : null,
    status.el,
    linksSection(b),
    posterSection(b),
    streamKeySection(b),
    canSchedule && open ? confirmButton(t('broadcast.cancel'), t('broadcast.cancelConfirm'), t('broadcast.cancelYes'), t('broadcast.cancelNo'), act('cancel')) : null,
  );
}
