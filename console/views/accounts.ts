// Admins create host and editor accounts and disable those who leave (accounts are never deleted:
// past broadcasts still name their host).
import { api, messageOf } from '../lib/api.ts';
import { h, valueOf } from '../lib/dom.ts';
import { select } from '../lib/form.ts';
import { t } from '../lib/i18n.ts';
import type { ViewContext } from '../lib/router.ts';
import type { Account, Role } from '../lib/types.ts';
import { errorBox, field, heading, onSubmit, statusLine } from '../lib/ui.ts';

const ROLES: Role[] = ['host', 'editor', 'admin'];

export async function accountsView(ctx: ViewContext): Promise<Node> {
  const accounts = await api<Account[]>('GET', '/api/accounts');
  const status = statusLine();
  const form = h(
    'form',
    { class: 'card form', novalidate: true },
    h('h2', null, t('accounts.new')),
    field(t('login.username'), h('input', { name: 'username', required: true, autocapitalize: 'none', autocomplete: 'off', maxlength: 40 })),
    field(t('accounts.displayName'), h('input', { name: 'displayName', maxlength: 60 })),
    field(t('accounts.role'), select('role', ROLES.map((r) => [r, t(`role.${r}`)] as const), 'host')),
    field(t('login.password'), h('input', { name: 'password', type: 'password', autocomplete: 'new-password', minlength: 8 }), t('accounts.passwordHint')),
    status.el,
    h('button', { type: 'submit', class: 'primary' }, t('accounts.create')),
  );
  onSubmit(form, status, async () => {
    const displayName = valueOf(form, 'displayName');
    await api('POST', '/api/accounts', {
      username: valueOf(form, 'username'),
      role: valueOf(form, 'role'),
      password: (form.elements.namedItem('password') as HTMLInputElement).value,
      ...(displayName ? { displayName } : {}),
    });
    ctx.go('/console/accounts');
  });
  const toggle = (a: Account) => async (event: Event) => {
    const row = (event.currentTarget as HTMLElement).closest('li')!;
    try {
      await api('PATCH', `/api/accounts/${a.id}`, { disabled: !a.disabled });
      ctx.go('/console/accounts');
    } catch (err) {
      row.append(errorBox(messageOf(err)));
    }
  };
  return h(
    'section',
    null,
    heading(t('accounts.title')),
    h(
      'ul',
      { class: 'rows' },
      accounts.map((a) =>
        h(
          'li',
          { class: `card account${a.disabled ? ' is-cancelled' : ''}`, 'data-username': a.username },
          h('strong', null, a.displayName),
          h('span', { class: 'muted' }, ` ${a.username} · ${t(`role.${a.role}`)}`),
          a.disabled ? h('span', { class: 'badge state-cancelled' }, t('accounts.disabled')) : null,
          a.id === ctx.me.id ? null : h('button', { type: 'button', onclick: toggle(a) }, a.disabled ? t('accounts.enable') : t('accounts.disable')),
        ),
      ),
    ),
    form,
  );
}
