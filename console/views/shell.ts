// The frame around every view once logged in: the name, the sections this role may use, the
// language switch and log out.
import { h } from '../lib/dom.ts';
import { t, type Key } from '../lib/i18n.ts';
import type { Account, Role } from '../lib/types.ts';
import { reviewCountBadge } from './review-count.ts';

const SECTIONS: { path: string; label: Key; roles: Role[] }[] = [
  { path: '/console/broadcasts', label: 'nav.broadcasts', roles: ['admin', 'editor', 'host'] },
  { path: '/console/series', label: 'nav.series', roles: ['admin', 'editor'] },
  { path: '/console/calendar', label: 'nav.calendar', roles: ['admin', 'editor', 'host'] },
  { path: '/console/channels', label: 'nav.channels', roles: ['admin', 'editor'] },
  { path: '/console/clips', label: 'nav.clips', roles: ['admin', 'editor', 'host'] },
  { path: '/console/review', label: 'nav.review', roles: ['admin', 'editor'] },
  { path: '/console/moderation', label: 'nav.moderation', roles: ['admin', 'editor'] },
  { path: '/console/accounts', label: 'nav.accounts', roles: ['admin'] },
];

export function shellHeader(me: Account, langSwitch: HTMLElement, onLogout: () => void): HTMLElement {
  const here = location.pathname === '/console' ? '/console/broadcasts' : location.pathname;
  return h(
    'header',
    { class: 'top' },
    h(
      'div',
      { class: 'top-row' },
      h('a', { href: '/console/broadcasts', class: 'brand' }, t('app.name')),
      h('span', { class: 'who' }, me.displayName),
      langSwitch,
      h('button', { type: 'button', class: 'plain', onclick: onLogout }, t('nav.logout')),
    ),
    h(
      'nav',
      null,
      SECTIONS.filter((s) => s.roles.includes(me.role)).map((s) =>
        h('a', { href: s.path, 'aria-current': here.startsWith(s.path) ? 'page' : null }, t(s.label), s.path === '/console/review' ? reviewCountBadge() : null),
      ),
    ),
  );
}
