import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import t from 'tap';
import { startApp } from '../helpers/app.ts';
import { WEB_DIST } from '../../server/web/assets.ts';
import { staticClosure } from '../../scripts/web-size.ts';

// Staff open the console on a phone over mobile data too; a framework-free bundle stays far below this.
// Counted: the entry and every chunk it imports before it runs (pages like 视频 load their own later).
const GZIP_BUDGET = 60 * 1024;
const CONSOLE = join(WEB_DIST, 'console');
const gzipped = [...staticClosure('console.js', CONSOLE)].reduce((sum, file) => sum + gzipSync(readFileSync(join(CONSOLE, file))).length, 0);

t.test('/console and its sub-paths serve the shell with the console bundle, the zone and the language', async (t) => {
  const ctx = await startApp(t, { env: { LINBO_TIMEZONE: 'Asia/Urumqi' } });
  for (const url of ['/console', '/console/broadcasts/new', '/console/calendar?view=month']) {
    const res = await ctx.app.inject({ url });
    t.equal(res.statusCode, 200, url);
    t.match(res.headers['content-type'], /text\/html/);
    t.match(res.body, '<html lang="zh-CN">');
    t.match(res.body, '<script type="module" src="/assets/console/console.js">');
    t.match(res.body, '<link rel="stylesheet" href="/assets/console/console.css">');
    const boot = JSON.parse(/<script id="boot" type="application\/json">(.*?)<\/script>/.exec(res.body)![1]);
    t.same(boot, { timezone: 'Asia/Urumqi', publicUrl: ctx.url, lang: 'zh-CN' });
  }
  const en = await ctx.app.inject({ url: '/console', headers: { 'accept-language': 'en-GB,en;q=0.8' } });
  t.match(en.body, '<html lang="en">');
  t.match(en.body, '<title>Linbo console</title>');
});

t.test(`the console bundle is served and what it loads before it runs, gzipped (${(gzipped / 1024).toFixed(1)} KiB) is within ${GZIP_BUDGET / 1024} KiB`, async (t) => {
  const ctx = await startApp(t);
  const js = await ctx.app.inject({ url: '/assets/console/console.js' });
  t.equal(js.statusCode, 200);
  t.match(js.headers['content-type'], /javascript/);
  t.equal(js.body.length > 0, true);
  const css = await ctx.app.inject({ url: '/assets/console/console.css' });
  t.equal(css.statusCode, 200);
  t.ok(gzipped < GZIP_BUDGET, `${gzipped} bytes gzipped`);
});
