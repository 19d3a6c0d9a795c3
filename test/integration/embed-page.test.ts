// Who may frame the resident pages, and the <linbo-player> script other sites include.
import { execFileSync } from 'node:child_process';
import t from 'tap';
import { loadConfig, ConfigError } from '../../server/config.ts';
import { staff, startApp } from '../helpers/app.ts';
import { createBroadcast, createChannel } from '../helpers/schedule.ts';

// /linbo-player.js is served from the bundles.
execFileSync(process.execPath, ['scripts/build-web.mjs'], { stdio: 'ignore' });

const csp = async (env: Record<string, string>, page: 'embed' | 'watch') => {
  const ctx = await startApp(t, { env });
  const editor = await staff(ctx, 'editor');
  const broadcast = await createBroadcast(ctx, editor, (await createChannel(ctx, editor)).id);
  const res = await ctx.app.inject({ method: 'GET', url: new URL(broadcast.links[page]).pathname });
  return res.headers['content-security-policy'];
};

t.test('any site may frame the embed by default; the watch page only this site', async (t) => {
  t.equal(await csp({}, 'embed'), 'frame-ancestors *');
  t.equal(await csp({}, 'watch'), "frame-ancestors 'self'");
});

t.test('LINBO_EMBED_FRAME_ANCESTORS names the sites that may frame the embed', async (t) => {
  t.equal(await csp({ LINBO_EMBED_FRAME_ANCESTORS: ' https://news.example.org   https://*.jiedao.example ' }, 'embed'), 'frame-ancestors https://news.example.org https://*.jiedao.example');
  t.equal(await csp({ LINBO_EMBED_FRAME_ANCESTORS: "'self'" }, 'embed'), "frame-ancestors 'self'");
});

t.test('a value that is not frame-ancestors sources is refused at start', async (t) => {
  for (const bad of ['https://a.example; script-src *', 'https://a.example,https://b.example', "'none' https://a.example", '"*"']) {
    t.throws(() => loadConfig({ LINBO_EMBED_FRAME_ANCESTORS: bad }, '/tmp'), ConfigError, bad);
  }
});

t.test('/linbo-player.js serves the element script to any site', async (t) => {
  const ctx = await startApp(t);
  const res = await ctx.app.inject({ method: 'GET', url: '/linbo-player.js' });
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], /^text\/javascript/);
  t.equal(res.headers['access-control-allow-origin'], '*');
  t.match(res.body, /customElements\.define\("linbo-player"/);
  t.notMatch(res.body, /^import|\bimport\s*[{*]|from"\.\//m, 'self-contained: a plain <script src> runs it');
});
