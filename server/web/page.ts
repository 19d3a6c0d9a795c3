// The HTML shell every browser page is served in: server-rendered title and language (so a slow phone
// shows something at once), the bundle for the page, and the page's initial data as inline JSON.
import type { FastifyReply, FastifyRequest } from 'fastify';

export type Lang = 'zh-CN' | 'en';

/** `?lang=` wins, then the browser's language; Chinese by default. */
export function pickLang(request: FastifyRequest): Lang {
  const query = (request.query as { lang?: unknown } | undefined)?.lang;
  if (query === 'en') return 'en';
  if (query === 'zh' || query === 'zh-CN') return 'zh-CN';
  const accept = request.headers['accept-language'] ?? '';
  const first = accept.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'zh-CN';
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

// Inline JSON must not close the script element or open a comment.
const inlineJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028|\u2029/g, '');

export interface PageOptions {
  lang: Lang;
  title: string;
  /** Which bundle: dist/web/<app>/<entry>.js (and .css when the entry has styles). */
  app: 'player' | 'console';
  entry: string;
  boot?: unknown;
  description?: string;
  image?: string | null;
}

export function renderPage(o: PageOptions): string {
  const meta = [
    o.description ? `<meta name="description" content="${escapeHtml(o.description)}">` : '',
    `<meta property="og:title" content="${escapeHtml(o.title)}">`,
    o.image ? `<meta property="og:image" content="${escapeHtml(o.image)}">` : '',
  ].join('');
  return `<!doctype html>
<html lang="${o.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1,viewport-fit=cover">
<meta name="theme-color" content="#b71c1c">
<title>${escapeHtml(o.title)}</title>${meta}
<link rel="stylesheet" href="/assets/${o.app}/${o.entry}.css">
<script id="boot" type="application/json">${inlineJson(o.boot ?? null)}</script>
<script type="module" src="/assets/${o.app}/${o.entry}.js"></script>
</head>
<body><div id="app"></div></body>
</html>`;
}

export function sendPage(reply: FastifyReply, options: PageOptions, status = 200): FastifyReply {
  return reply.status(status).type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(renderPage(options));
}
