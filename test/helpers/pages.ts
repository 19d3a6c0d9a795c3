// Throw-away browser pages for tests and benchmarks: a script bundled with esbuild (imports resolve
// from the repository root) and served from its own loopback origin, so requests to the app at
// 127.0.0.1 cross origins and every CORS preflight is real.
import { once } from 'node:events';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export async function bundlePage(script: string, title: string): Promise<string> {
  const bundled = await build({
    stdin: { contents: script, resolveDir: ROOT, loader: 'js' },
    bundle: true,
    format: 'esm',
    write: false,
    logLevel: 'silent',
  });
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body><script type="module">${bundled.outputFiles[0].text}</script></body></html>`;
}

/** Serves `pages` (path → HTML) on localhost; `url(path)` gives each page's address. */
export async function servePages(pages: Record<string, string>): Promise<{ url(path: string): string; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    const html = pages[request.url ?? ''];
    if (html === undefined) return response.writeHead(404).end();
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://localhost:${(server.address() as { port: number }).port}`;
  return { url: (path) => `${base}${path}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/**
 * `url` in a fresh context of `browser`, once its script has put `ready` on window; the page's uncaught
 * errors land in `errors`, for the test to check at its end.
 */
export async function openScriptPage(browser: Browser, url: string, ready: string, errors: string[]): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.goto(url);
  await page.waitForFunction((name) => name in window, ready, { timeout: 10_000 });
  return page;
}
