// The resident pages for clips as the server renders them: language, boot data, the device cookie,
// a pending clip only for the phone that sent it, and readable 404 pages.
import t from 'tap';
import { staff, startApp } from '../helpers/app.ts';
import { insertClip } from '../helpers/feed.ts';
import { createChannel } from '../helpers/schedule.ts';
import { viewerIdOf } from '../../server/realtime/identity.ts';

const boot = (body: string) => JSON.parse(/<script id="boot" type="application\/json">(.*?)<\/script>/s.exec(body)![1]!);
const htmlLang = (body: string) => /<html lang="([^"]+)">/.exec(body)?.[1];
const DEVICE = 'submitting-phone-0123456789';

async function setUp(t: Parameters<typeof startApp>[0]) {
  const ctx = await startApp(t);
  const editor = await staff(ctx, 'editor');
  const channel = await createChannel(ctx, editor, { name: '幸福街道', description: '幸福街道的短视频' });
  return { ctx, channel };
}

t.test('the channel page carries its first feed page, in Chinese by default and English with ?lang=en', async (t) => {
  const { ctx, channel } = await setUp(t);
  const clip = await insertClip(ctx, channel.id, { title: '广场舞' });
  const res = await ctx.app.inject({ url: `/channels/${channel.slug}` });
  t.equal(res.statusCode, 200);
  t.equal(htmlLang(res.body), 'zh-CN');
  t.match(res.body, /<title>幸福街道 · 邻播<\/title>/);
  t.match(res.body, /src="\/assets\/player\/feed\.js"/);
  const data = boot(res.body);
  t.equal(data.feed.channel.id, channel.id);
  t.same(data.feed.items.map((i: { clip: { id: string } }) => i.clip.id), [clip]);
  t.equal(data.timezone, 'Asia/Shanghai');
  t.ok(res.cookies.find((c) => c.name === 'linbo_device'), 'a first visit gets the device cookie');
  t.equal(htmlLang((await ctx.app.inject({ url: `/channels/${channel.slug}?lang=en` })).body), 'en');
});

t.test('the submission page knows its channel, the length limit and where to upload', async (t) => {
  const { ctx, channel } = await setUp(t);
  const res = await ctx.app.inject({ url: `/channels/${channel.slug}/submit` });
  t.equal(res.statusCode, 200);
  t.match(res.body, /src="\/assets\/player\/submit\.js"/);
  t.match(boot(res.body), { channel: { id: channel.id, slug: channel.slug }, maxSeconds: 180, uploadUrl: `${ctx.url}/api/uploads` });
  const cookie = res.cookies.find((c) => c.name === 'linbo_device');
  t.ok(cookie, 'the page sets the device cookie the upload endpoint needs');
  t.match(cookie, { httpOnly: true, sameSite: 'Lax', path: '/' });
  const known = await ctx.app.inject({ url: `/channels/${channel.slug}/submit`, headers: { cookie: `linbo_device=${DEVICE}` } });
  t.notOk(known.cookies.find((c) => c.name === 'linbo_device'), 'a phone that has one keeps it');
});

t.test('a pending clip opens only on the phone that sent it', async (t) => {
  const { ctx, channel } = await setUp(t);
  const pending = await insertClip(ctx, channel.id, { title: '王阿姨的广场舞', state: 'in_review', submitterViewerId: viewerIdOf(DEVICE) });
  const mine = await ctx.app.inject({ url: `/clips/${pending}`, headers: { cookie: `linbo_device=${DEVICE}` } });
  t.equal(mine.statusCode, 200);
  t.match(boot(mine.body).clip, { id: pending, state: 'in_review' });
  const other = await ctx.app.inject({ url: `/clips/${pending}`, headers: { cookie: 'linbo_device=another-phone-0123456789' } });
  t.equal(other.statusCode, 404);
  t.equal(boot(other.body).clip, null);
});

t.test('a published clip opens for anyone, with its poster for link previews', async (t) => {
  const { ctx, channel } = await setUp(t);
  const clip = await insertClip(ctx, channel.id, { title: '太极拳' });
  const res = await ctx.app.inject({ url: `/clips/${clip}` });
  t.equal(res.statusCode, 200);
  t.match(res.body, /<title>太极拳 · 幸福街道<\/title>/);
  t.match(res.body, new RegExp(`<meta property="og:image" content="[^"]*clips/${clip}/poster\\.jpg">`));
  t.match(boot(res.body), { clip: { id: clip, likes: 0 }, liked: false });
});

t.test('links that lead nowhere get readable pages with status 404', async (t) => {
  const { ctx } = await setUp(t);
  for (const url of ['/channels/no-such-street', '/channels/no-such-street/submit', '/clips/not-a-clip', '/clips/00000000-0000-4000-8000-000000000000']) {
    const res = await ctx.app.inject({ url });
    t.equal(res.statusCode, 404, url);
    t.match(res.headers['content-type'], /^text\/html/, url);
  }
});
