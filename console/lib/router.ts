// History-API routing under /console: every view is a function from the URL to a DOM node. A newer
// navigation wins over a slower older one, so a late response never paints over the current page.
import type { Account, Role } from './types.ts';

export interface ViewContext {
  me: Account;
  params: Record<string, string>;
  query: URLSearchParams;
  go(path: string): void;
}
export type View = (ctx: ViewContext) => Node | Promise<Node>;
export interface Route {
  pattern: string;
  view: View;
  /** Roles allowed; all staff when absent. */
  roles?: Role[];
}

export function match(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean);
  const got = path.split('/').filter(Boolean);
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(':')) params[want[i].slice(1)] = decodeURIComponent(got[i]);
    else if (want[i] !== got[i]) return null;
  }
  return params;
}

export class Router {
  #routes: Route[];
  #render: (route: Route | null, params: Record<string, string>) => void;

  constructor(routes: Route[], render: (route: Route | null, params: Record<string, string>) => void) {
    this.#routes = routes;
    this.#render = render;
    window.addEventListener('popstate', () => this.refresh());
    document.addEventListener('click', (event) => {
      const link = (event.target as Element | null)?.closest?.('a');
      if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
      const url = new URL(link.href, location.href);
      if (url.origin !== location.origin || !url.pathname.startsWith('/console') || link.hasAttribute('download') || link.target) return;
      event.preventDefault();
      this.go(url.pathname + url.search);
    });
  }

  go(path: string): void {
    if (path !== location.pathname + location.search) history.pushState(null, '', path);
    this.refresh();
    window.scrollTo(0, 0);
  }

  refresh(): void {
    for (const route of this.#routes) {
      const params = match(route.pattern, location.pathname);
      if (params) return this.#render(route, params);
    }
    this.#render(null, {});
  }
}
