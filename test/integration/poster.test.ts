import t from 'tap';
import sharp from 'sharp';
import { FakeClock } from '../helpers/clock.ts';
import { staff, startApp } from '../helpers/app.ts';
import { createBroadcast, createChannel, uploadImage } from '../helpers/schedule.ts';
import { decodeQr, pixels, whitePixels } from '../helpers/png.ts';
import { renderPoster, type PosterData } from '../../server/posters/render.ts';

const NOW = '2026-12-07T02:00:00.000Z';

async function setUp(t: Parameters<typeof startApp>[0]) {
  const ctx = await startApp(t, { clock: new FakeClock(NOW) });
  const editor = await staff(ctx, 'editor');
  const channel = await createChannel(ctx, editor, { name: '幸福街道红色直播间' });
  const broadcast = await createBroadcast(ctx, editor, channel.id, { title: '社区法律讲堂：防范电信网络诈骗，守护老年人的钱袋子', theme: '反诈骗月' });
  return { ctx, editor, channel, broadcast };
}

t.test('the poster is a 1080×1920 PNG whose QR code opens the countdown page', async (t) => {
  const { ctx, broadcast } = await setUp(t);
  const res = await ctx.app.inject({ url: `/api/broadcasts/${broadcast.id}/poster.png` });
  t.equal(res.statusCode, 200);
  t.equal(res.headers['content-type'], 'image/png');
  t.match(res.headers['content-disposition'], /^inline; filename="linbo-poster-[0-9a-f-]+\.png"; filename\*=UTF-8''/);
  const meta = await sharp(res.rawPayload).metadata();
  t.same([meta.format, meta.width, meta.height], ['png', 1080, 1920]);
  t.equal(await decodeQr(res.rawPayload), broadcast.links.countdown);
});

t.test('?format=a4 is an A4 page of 1240×1754 whose QR code also decodes', async (t) => {
  const { ctx, broadcast } = await setUp(t);
  // Extra parameters (WeChat's, a cache buster) are ignored.
  const res = await ctx.app.inject({ url: `/api/broadcasts/${broadcast.id}/poster.png?format=a4&v=3&from=singlemessage` });
  t.equal(res.statusCode, 200);
  const meta = await sharp(res.rawPayload).metadata();
  t.same([meta.width, meta.height], [1240, 1754]);
  t.equal(await decodeQr(res.rawPayload), broadcast.links.countdown);
});

t.test('a repeated request revalidates by ETag (304), and editing the title makes a new poster', async (t) => {
  const { ctx, editor, broadcast } = await setUp(t);
  const url = `/api/broadcasts/${broadcast.id}/poster.png`;
  const first = await ctx.app.inject({ url });
  const etag = String(first.headers.etag);
  t.match(etag, /^"v1-phone-zh-/, 'the ETag carries the version');
  const again = await ctx.app.inject({ url, headers: { 'if-none-match': etag } });
  t.equal(again.statusCode, 304);
  t.equal(again.rawPayload.length, 0);
  const repeat = await ctx.app.inject({ url });
  t.ok(repeat.rawPayload.equals(first.rawPayload), 'the cached poster is served as it was rendered');

  const patched = await ctx.app.inject({ method: 'PATCH', url: `/api/broadcasts/${broadcast.id}`, headers: editor, payload: { title: '冬季防火安全讲座' } });
  t.equal(patched.statusCode, 200);
  const changed = await ctx.app.inject({ url, headers: { 'if-none-match': etag } });
  t.equal(changed.statusCode, 200, 'the old ETag no longer matches');
  t.match(String(changed.headers.etag), /^"v2-phone-zh-/);
  t.notOk(changed.rawPayload.equals(first.rawPayload), 'the new title is drawn');
});

t.test('?lang=en is the English poster, with its own ETag; an English browser still gets Chinese', async (t) => {
  const { ctx, broadcast } = await setUp(t);
  const url = `/api/broadcasts/${broadcast.id}/poster.png`;
  const zh = await ctx.app.inject({ url, headers: { 'accept-language': 'en-US' } });
  const en = await ctx.app.inject({ url: `${url}?lang=en` });
  t.match(String(zh.headers.etag), /^"v1-phone-zh-/, 'printed posters are for residents: Chinese unless asked');
  t.match(String(en.headers.etag), /^"v1-phone-en-/);
  t.notOk(en.rawPayload.equals(zh.rawPayload));
  t.equal(await decodeQr(en.rawPayload), broadcast.links.countdown);
});

t.test('renaming the channel also makes a new poster, though the broadcast itself did not change', async (t) => {
  const { ctx, editor, channel, broadcast } = await setUp(t);
  const url = `/api/broadcasts/${broadcast.id}/poster.png`;
  const before = await ctx.app.inject({ url });
  const renamed = await ctx.app.inject({ method: 'PATCH', url: `/api/channels/${channel.id}`, headers: editor, payload: { name: '和平社区' } });
  t.equal(renamed.statusCode, 200);
  const after = await ctx.app.inject({ url });
  t.not(after.headers.etag, before.headers.etag);
});

t.test('the cover picture is composited into the poster', async (t) => {
  const { ctx, editor, broadcast } = await setUp(t);
  const cover = await uploadImage(ctx, editor); // left half red, right half blue
  await ctx.app.inject({ method: 'PATCH', url: `/api/broadcasts/${broadcast.id}`, headers: editor, payload: { coverImageId: cover.id } });
  const res = await ctx.app.inject({ url: `/api/broadcasts/${broadcast.id}/poster.png` });
  const image = await pixels(res.rawPayload);
  // The phone layout puts a 900×506 cover under the channel and kind, from x=90 and y=250.
  const [r1, g1, b1] = image.at(300, 500);
  const [r2, g2, b2] = image.at(780, 500);
  t.ok(r1 > 200 && g1 < 60 && b1 < 60, `left of the cover is red (${r1},${g1},${b1})`);
  t.ok(b2 > 200 && r2 < 60 && g2 < 60, `right of the cover is blue (${r2},${g2},${b2})`);
  t.equal(await decodeQr(res.rawPayload), broadcast.links.countdown, 'the QR code still decodes with a cover');
});

t.test('Chinese titles are drawn with real glyphs, not tofu boxes', async (t) => {
  // A missing glyph is drawn as the same box (or nothing) whatever the character, so two titles of
  // equal length would leave the same ink. With Noto Sans CJK found, 龍 leaves far more than 一.
  const base: PosterData = {
    title: '',
    kind: 'lecture',
    channelName: 'Linbo',
    theme: '',
    hostName: null,
    scheduledStart: '2026-12-11T01:30:00Z',
    countdownUrl: 'http://127.0.0.1/countdown/00000000-0000-4000-8000-000000000000',
    cover: null,
    timeZone: 'Asia/Shanghai',
    lang: 'zh-CN',
    now: new Date(NOW),
  };
  const sparse = await whitePixels(await renderPoster({ ...base, title: '一二一二一二一二' }));
  const dense = await whitePixels(await renderPoster({ ...base, title: '龍體鬱靈龍體鬱靈' }));
  t.ok(dense - sparse > 10_000, `dense characters leave much more ink (${dense} vs ${sparse} white pixels)`);
});

t.test('an unknown broadcast, or a draft, has no poster: 404 problem JSON', async (t) => {
  const { ctx, editor, channel } = await setUp(t);
  const unknown = await ctx.app.inject({ url: '/api/broadcasts/00000000-0000-4000-8000-000000000000/poster.png' });
  t.equal(unknown.statusCode, 404);
  t.match(unknown.headers['content-type'], /^application\/problem\+json/);
  t.equal(unknown.json().code, 'BROADCAST_NOT_FOUND');
  const draft = await createBroadcast(ctx, editor, channel.id, { state: 'draft' });
  const hidden = await ctx.app.inject({ url: `/api/broadcasts/${draft.id}/poster.png` });
  t.equal(hidden.json().code, 'BROADCAST_NOT_FOUND');
});
