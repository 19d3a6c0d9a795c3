// Channels group broadcasts (one per street office or community); a channel is needed before the
// first broadcast. Deleting works only on an empty channel.
import { api } from '../lib/api.ts';
import { h, valueOf } from '../lib/dom.ts';
import { t } from '../lib/i18n.ts';
import type { ViewContext } from '../lib/router.ts';
import type { Channel } from '../lib/types.ts';
import { confirmButton, field, heading, onSubmit, statusLine } from '../lib/ui.ts';

/**
 * 员工上传也需审核: whether staff uploads wait for a reviewer too (residents' always do). Saved on
 * change; the box shows what the server answered, and goes back when the change is refused.
 */
function reviewToggle(c: Channel): HTMLElement {
  const status = statusLine();
  const box = h('input', { type: 'checkbox', name: 'reviewStaffUploads', checked: c.reviewStaffUploads });
  const label = h('label', { class: 'check', 'data-review-staff': String(c.reviewStaffUploads) }, box, ' ', t('channels.reviewStaff'));
  box.addEventListener('change', async () => {
    status.clear();
    box.disabled = true;
    try {
      const saved = await api<Channel>('PATCH', `/api/channels/${c.id}`, { reviewStaffUploads: box.checked });
      box.checked = saved.reviewStaffUploads;
      label.dataset.reviewStaff = String(saved.reviewStaffUploads);
    } catch (err) {
      box.checked = !box.checked;
      status.error(err);
    } finally {
      box.disabled = false;
    }
  });
  return h('div', { class: 'review-toggle' }, label, status.el);
}

export async function channelsView(ctx: ViewContext): Promise<Node> {
  const channels = await api<Channel[]>('GET', '/api/channels');
  const status = statusLine();
  const form = h(
    'form',
    { class: 'card form', novalidate: true },
    h('h2', null, t('channels.new')),
    field(t('channels.name'), h('input', { name: 'name', required: true, maxlength: 60 })),
    field(t('channels.slug'), h('input', { name: 'slug', required: true, maxlength: 40, autocapitalize: 'none', pattern: '[a-z0-9][a-z0-9-]*' })),
    field(t('form.description'), h('textarea', { name: 'description', rows: 3, maxlength: 2000 })),
    status.el,
    h('button', { type: 'submit', class: 'primary' }, t('channels.create')),
  );
  onSubmit(form, status, async () => {
    await api('POST', '/api/channels', { name: valueOf(form, 'name'), slug: valueOf(form, 'slug'), description: valueOf(form, 'description') });
    ctx.go('/console/channels');
  });
  const remove = (c: Channel) => async () => {
    await api('DELETE', `/api/channels/${c.id}`);
    ctx.go('/console/channels');
  };
  return h(
    'section',
    null,
    heading(t('channels.title')),
    channels.length === 0
      ? h('p', { class: 'muted' }, t('channels.empty'))
      : h(
          'ul',
          { class: 'rows' },
          channels.map((c) =>
            h(
              'li',
              { class: 'card' },
              h('strong', null, c.name),
              h('span', { class: 'muted' }, ` /${c.slug}`),
              c.description ? h('p', null, c.description) : null,
              reviewToggle(c),
              confirmButton(t('channels.delete'), `${t('channels.delete')}「${c.name}」？`, t('channels.delete'), t('common.back'), remove(c)),
            ),
          ),
        ),
    form,
  );
}
