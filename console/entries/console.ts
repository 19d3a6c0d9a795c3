// The staff console: checks the session, then routes /console/* to its views.
import { api, messageOf, whenUnauthenticated } from '../lib/api.ts';
import { h, replace } from '../lib/dom.ts';
import { lang, setLang, t } from '../lib/i18n.ts';
import { Router, type Route } from '../lib/router.ts';
import type { Account } from '../lib/types.ts';
import { errorBox } from '../lib/ui.ts';
import { loginView } from '../views/login.ts';
import { shellHeader } from '../views/shell.ts';
import { broadcastListView } from '../views/broadcasts.ts';
import { broadcastView } from '../views/broadcast.ts';
import { broadcastFormView } from '../views/broadcast-form.ts';
import { seriesListView } from '../views/series-list.ts';
import { seriesFormView } from '../views/series-form.ts';
import { calendarView } from '../views/calendar.ts';
import { channelsView } from '../views/channels.ts';
import { accountsView } from '../views/accounts.ts';
import { moderationListView, moderationView } from '../views/moderation.ts';

const root = document.getElementById('app')!;
let me: Account | null = null;
let latest = 0;

const SCHEDULERS = ['admin', 'editor'] as const;
const routes: Route[] = [
  { pattern: '/console', view: broadcastListView },
  { pattern: '/console/broadcasts', view: broadcastListView },
  { pattern: '/console/broadcasts/new', view: broadcastFormView, roles: [...SCHEDULERS] },
  { pattern: '/console/broadcasts/:id', view: broadcastView },
  { pattern: '/console/broadcasts/:id/edit', view: broadcastFormView, roles: [...SCHEDULERS] },
  { pattern: '/console/series', view: seriesListView, roles: [...SCHEDULERS] },
  { pattern: '/console/series/new', view: seriesFormView, roles: [...SCHEDULERS] },
  { pattern: '/console/series/:id', view: seriesFormView, roles: [...SCHEDULERS] },
  { pattern: '/console/calendar', view: calendarView },
  { pattern: '/console/channels', view: channelsView, roles: [...SCHEDULERS] },
  { pattern: '/console/accounts', view: accountsView, roles: ['admin'] },
  { pattern: '/console/moderation', view: moderationListView, roles: [...SCHEDULERS] },
  { pattern: '/console/moderation/:id', view: moderationView, roles: [...SCHEDULERS] },
  // Chunks of their own (tus-js-client, hls.js): the rest of the console stays light on a phone.
  { pattern: '/console/clips', view: async (ctx) => (await import('../views/clips.ts')).clipsView(ctx) },
  { pattern: '/console/review', view: async () => (await import('../views/review.ts')).reviewView(), roles: [...SCHEDULERS] },
];

const router = new Router(routes, render);

function langSwitch(): HTMLElement {
  return h(
    'button',
    { type: 'button', class: 'plain lang', lang: lang() === 'en' ? 'zh-CN' : 'en', onclick: () => (setLang(lang() === 'en' ? 'zh-CN' : 'en'), router.refresh()) },
    t('nav.otherLang'),
  );
}

async function logout(): Promise<void> {
  await api('POST', '/api/auth/logout').catch(() => {});
  me = null;
  router.go('/console');
}

async function render(route: Route | null, params: Record<string, string>): Promise<void> {
  const mine = ++latest;
  document.documentElement.lang = lang();
  document.title = t('app.name');
  if (!me) {
    replace(root, h('main', null, loginView((account) => ((me = account), router.refresh()), langSwitch())));
    return;
  }
  const account = me;
  const main = h('main', { id: 'view' }, h('p', { class: 'muted' }, t('common.loading')));
  replace(root, shellHeader(account, langSwitch(), logout), main);
  let node: Node;
  try {
    node =
      route && (!route.roles || route.roles.includes(account.role))
        ? await route.view({ me: account, params, query: new URLSearchParams(location.search), go: (path) => router.go(path) })
        : errorBox(t('common.notFound'));
  } catch (err) {
    node = errorBox(messageOf(err));
  }
  if (mine === latest) replace(main, node);
}

whenUnauthenticated(() => {
  me = null;
  router.refresh();
});

// No top-level await: the bundle targets older WebViews.
void api<Account>('GET', '/api/auth/me')
  .catch(() => null)
  .then((account) => {
    me = account;
    router.refresh();
  });
