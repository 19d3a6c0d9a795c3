// The studio page end to end, with real parts: headless Chromium with its fake camera and microphone
// opens links.studio, is sent to log in, logs in through the console as the assigned host, opens the
// studio from the broadcast's 进入直播间, presses 开始直播 → mediasoup-client publishes over the studio
// signalling → the media node → the live transcoder → HLS with the capture size as the top rung →
// ffprobe reads it → hls.js plays it in Chromium → 结束直播 (confirmed) ends the broadcast and every
// playlist becomes a replay, which hls.js plays from its middle and its start.
// Run alone: MEDIASOUP_WORKER_BIN=$(node scripts/mediasoup.mjs) node node_modules/.bin/tap <this file>
import t from 'tap';
import { startApp, staff, TEST_PASSWORD } from '../helpers/app.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { ladderListed, probeLadder, renditionUris, variantUris } from '../helpers/ffprobe.ts';
import { hlsPlayer, listedSeconds, watchLive, watchReplay } from '../helpers/hls-playback.ts';
import { startMediaNode } from '../helpers/media-node.ts';
import { createBroadcast, createChannel } from '../helpers/schedule.ts';
import { until } from '../helpers/until.ts';

t.test('the assigned host goes live from the studio page as a ≥3-rung ladder topped at the 720p capture, and ends it into a replay', async (t) => {
  const ctx = await startApp(t, { listen: true });
  await startMediaNode(t, ctx);
  const admin = await staff(ctx, 'admin');
  const host = await staff(ctx, 'host', 'studio-host');
  const broadcast = await createBroadcast(ctx, admin, (await createChannel(ctx, admin)).id, { hostId: host.id, title: '红色直播间 · 法律讲堂' });

  const browser = await launchBrowser(t, { fakeMedia: true });
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'zh-CN' });
  await context.grantPermissions(['camera', 'microphone'], { origin: ctx.url });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));

  await page.goto(broadcast.links.studio);
  await page.getByRole('alert').filter({ hasText: '请先登录工作台' }).waitFor();
  await page.getByRole('link', { name: '去登录' }).click();
  await page.getByLabel('用户名').fill('studio-host');
  await page.getByLabel('密码').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.locator('.broadcast-list').waitFor();
  await page.goto(`${ctx.url}/console/broadcasts/${broadcast.id}`);
  await page.getByRole('link', { name: '进入直播间' }).click();
  await page.waitForURL(broadcast.links.studio);

  await page.locator('video.preview').waitFor();
  await until('the preview plays the camera', () => page.evaluate(() => (document.querySelector('video.preview') as HTMLVideoElement).videoWidth === 1280), 10_000, 100);
  t.ok(await page.getByLabel('摄像头').count(), 'a camera select');
  t.ok(await page.getByLabel('麦克风', { exact: true }).count(), 'a microphone select');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  t.ok(width <= 360, `nothing wider than a 360 px phone (${width})`);

  await page.getByRole('button', { name: '开始直播' }).click();
  const state = async () => (await ctx.app.inject({ method: 'GET', url: `/api/broadcasts/${broadcast.id}`, headers: admin })).json();
  await until('the broadcast turns live when the video arrives', async () => (await state()).state === 'live', 15_000, 100);
  await page.locator('.live-status', { hasText: /直播中 · 已直播 \d\d:\d\d/ }).waitFor();

  const master = await ladderListed(broadcast.links.hls);
  t.match(master, /RESOLUTION=1280x720/, 'the capture size is the top rung (maintain-resolution kept it from the first frame)');
  t.match(master, /CODECS="avc1\.[0-9a-f]{6},mp4a\.40\.2"/, 'H.264 video and AAC sound');

  const { base, top } = await probeLadder(t, broadcast.links.hls, master);

  const player = await hlsPlayer(t, browser);
  const live = { live: true, rungs: variantUris(master).length, topHeight: 720, picture: true, sound: true };
  t.same(await watchLive(player, broadcast.links.hls), live, 'hls.js plays the live ladder in Chromium, every rung listed and a picture on screen and its sound decoded');

  await page.getByRole('button', { name: '结束直播' }).click();
  await page.getByRole('button', { name: '确定结束' }).click();
  await page.locator('.live-status', { hasText: '直播已结束' }).waitFor();
  t.equal((await state()).state, 'ended', 'the broadcast has ended');
  for (const uri of renditionUris(master)) {
    await until(`${uri} ends with #EXT-X-ENDLIST`, async () => /#EXT-X-ENDLIST\s*$/.test(await (await fetch(base + uri)).text()), 15_000, 200);
  }
  const replay = await watchReplay(player, broadcast.links.hls, listedSeconds(await (await fetch(base + top)).text()));
  t.match(replay, { vod: true, lastsAsListed: true, playsFromMiddle: true, playsFromStart: true }, 'the same URL plays the whole broadcast as a replay, from its middle and its start');
  await page.reload();
  await page.getByRole('alert').filter({ hasText: '这场节目已经结束或已取消，不能再开播' }).waitFor();
  t.equal(await page.getByRole('button', { name: '开始直播' }).count(), 0, 'an ended broadcast offers no 开始直播');
  t.same(errors, [], 'the page raised no error');
  await context.close();
});
