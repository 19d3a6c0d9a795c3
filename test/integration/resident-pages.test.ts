import t from 'tap';
import { gzipSync } from 'node:zlib';
import { staff, startApp } from '../helpers/app.ts';
import { createBroadcast, createChannel } from '../helpers/schedule.ts';

// The bundles are built by the test setup (scripts/setup.mjs), as `npm start` builds them.

async function setUp(t: Parameters<typeof startApp>[0]) {
  const ctx = await startApp(t);
  const editor = await staff(ctx, 'editor');
  const channel = await createChannel(ctx, editor);
  const broadcast = await createBroadcast(ctx, editor, channel.id, { title: '家庭教育讲座' });
  return { ctx, editor, channel, broadcast };
}

const htmlLang = (body: string) => /<html lang="([^"]+)">/.exec(body)?.[1];
const boot = (body: string) => JSON.parse(/<script id="boot" type="application\/json">(.*?)<\/script>/s.exec(body)![1]!);

t.test('the countdown page is Chinese by default, English with ?lang=en or an English browser', async (t) => {
  const { ctx, broadcast } = await setUp(t);
  const url = `/countdown/${broadcast.id}`;
  const zh = await ctx.app.inject({ url });
  t.equal(zh.statusCode, 200);
  t.match(zh.headers['content-type'], /^text\/html/);
  t.equal(htmlLang(zh.body), 'zh-CN');
  t.match(zh.body, /<title>家庭教育讲座 · 邻播<\/title>/);
  t.match(zh.body, /src="\/assets\/player\/countdown\.js"/);
  t.equal(htmlLang((await ctx.app.inject({ url: `${url}?lang=en` })).body), 'en');
  t.equal(htmlLang((await ctx.app.inject({ url, headers: { 'accept-language': 'en-US,en;q=0.9' } })).body), 'en');
  t.equal(htmlLang((await ctx.app.inject({ url: `${url}?lang=zh`, headers: { 'accept-language': 'en' } })).body), 'zh-CN', '?lang wins over the browser');
});

t.test('the page carries its broadcast, the server time, the zone and the poll interval as boot data', async (t) => {
  const { ctx, broadcast } = await setUp(t);
  const data = boot((await ctx.app.inject({ url: `/countdown/${broadcast.id}?from=singlemessage&isappinstalled=0` })).body);
  t.equal(data.broadcast.id, broadcast.id);
  t.notOk('streamKey' in data.broadcast, 'the public view, never the stream key');
  t.equal(data.timezone, 'Asia/Shanghai');
  t.equal(data.pollMs, 5000);
  t.equal(data.lang, 'zh-CN');
  t.ok(Math.abs(Date.parse(data.now) - Date.now()) < 60_000, 'now is the server clock');
});

t.test('an unknown, malformed or draft broadcast gets a readable 404 page in the chosen language', async (t) => {
  const { ctx, editor, channel } = await setUp(t);
  const draft = await createBroadcast(ctx, editor, channel.id, { state: 'draft' });
  for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-broadcast', draft.id]) {
    const res = await ctx.app.inject({ url: `/countdown/${id}` });
    t.equal(res.statusCode, 404, id);
    t.match(res.headers['content-type'], /^text\/html/);
    t.match(res.body, /找不到这场直播/);
    t.equal(boot(res.body).broadcast, null);
  }
  const en = await ctx.app.inject({ url: '/watch/00000000-0000-4000-8000-000000000000?lang=en' });
  t.equal(en.statusCode, 404);
  t.equal(htmlLang(en.body), 'en');
  t.match(en.body, /Broadcast not found/);
});

t.test('the embed page may be framed by any site; the others only by this one', async (t) => {
  const { ctx, broadcast } = await setUp(t);
  const embed = await ctx.app.inject({ url: `/embed/${broadcast.id}` });
  t.equal(embed.statusCode, 200);
  t.equal(embed.headers['content-security-policy'], 'frame-ancestors *');
  t.equal(boot(embed.body).embed, true);
  const watch = await ctx.app.inject({ url: `/watch/${broadcast.id}` });
  t.equal(watch.headers['content-security-policy'], "frame-ancestors 'self'");
  t.equal(boot(watch.body).embed, false);
});

t.test('the countdown bundle is served and stays far under 100 KB gzipped', async (t) => {
  const { ctx } = await setUp(t);
  let total = 0;
  for (const file of ['countdown.js', 'countdown.css']) {
    const res = await ctx.app.inject({ url: `/assets/player/${file}` });
    t.equal(res.statusCode, 200, file);
    total += gzipSync(res.rawPayload, { level: 9 }).length;
  }
  t.ok(total < 100 * 1024, `countdown page code is ${total} bytes gzipped`);
});
