// Username and password; the session lives in the httpOnly cookie the API sets.
import { api } from '../lib/api.ts';
import { h, valueOf } from '../lib/dom.ts';
import { t } from '../lib/i18n.ts';
import type { Account } from '../lib/types.ts';
import { field, onSubmit, statusLine } from '../lib/ui.ts';

export function loginView(onLogin: (me: Account) => void, langSwitch: HTMLElement): HTMLElement {
  const status = statusLine();
  const form = h(
    'form',
    { class: 'card login', novalidate: true },
    h('h1', null, t('login.title')),
    field(t('login.username'), h('input', { name: 'username', autocomplete: 'username', autocapitalize: 'none', required: true })),
    field(t('login.password'), h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true })),
    status.el,
    h('button', { type: 'submit', class: 'primary wide' }, t('login.submit')),
  );
  onSubmit(
    form,
    status,
    async () => {
      const reply = await api<{ account: Account }>('POST', '/api/auth/login', { username: valueOf(form, 'username'), password: valueOf(form, 'password') });
      onLogin(reply.account);
    },
    () => (form.elements.namedItem('password') as HTMLInputElement).select(),
  );
  return h('div', { class: 'login-page' }, h('div', { class: 'login-top' }, h('span', { class: 'brand' }, t('app.name')), langSwitch), form);
}
