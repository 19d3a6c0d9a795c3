// The watch page in real Chromium on a phone, against the real app, media node and live transcoder: a
// resident opens the link before the start, sees the countdown, and the page plays by itself when the
// feed arrives (no reload), muted at the live edge; she taps once for sound, pauses and comes back to
// live, picks a quality; after the end the same page plays the replay from its start.
// Run alone: MEDIASOUP_WORKER_BIN=$(node scripts/mediasoup.mjs) node node_modules/.bin/tap <this file>
import t from 'tap';
import type { Page } from 'playwright-core';
import { staff, startApp } from '../helpers/app.ts';
import { launchBrowser, phonePage } from '../helpers/browser.ts';
import { sendTestPattern, startMediaNode } from '../helpers/media-node.ts';
import { createBroadcast, createChannel } from '../helpers/schedule.ts';
import { until } from '../helpers/until.ts';

// Live playback on a loaded 2-core machine takes its time; each wait names what it waits for.
const PATIENT = 45_000;

// The feed must outlive the test that starts it.
const root = t;
const ctx = await startApp(t, { listen: true, env: { LINBO_PAGE_POLL_MS: '500' } });
await startMediaNode(t, ctx);
const browser = await launchBrowser(t);
const admin = await staff(ctx, 'admin');
const broadcast = await createBroadcast(ctx, admin, (await createChannel(ctx, admin)).id, { title: '红色直播间 · 遗产继承' });
const { context, page } = await phonePage(browser);
t.teardown(() => context.close());
const pageErrors: string[] = [];
page.on('pageerror', (error) => pageErrors.push(String(error)));
page.setDefaultTimeout(PATIENT);
/** The hls.js chunks the page loaded: the light build keeps it inside its weight budget. */
const hlsChunks: string[] = [];
page.on('request', (request) => {
  const chunk = /\/chunks\/(hls[^/]*)-[A-Z0-9]+\.js$/.exec(request.url());
  if (chunk) hlsChunks.push(chunk[1]!);
});

interface VideoNow {
  paused: boolean;
  muted: boolean;
  currentTime: number;
  /** Seconds from the play head to the end of what is seekable (the live edge). */
  behindEdge: number;
  duration: number;
  height: number;
}
const video = (p: Page): Promise<VideoNow> =>
  p.evaluate(() => {
    const v = document.querySelector('video');
    if (!v) return { paused: true, muted: true, currentTime: 0, behindEdge: NaN, duration: NaN, height: 0 };
    const s = v.seekable;
    return { paused: v.paused, muted: v.muted, currentTime: v.currentTime, behindEdge: s.length ? s.end(s.length - 1) - v.currentTime : NaN, duration: v.duration, height: v.videoHeight };
  });
const videoUntil = async (reason: string, done: (v: VideoNow) => boolean) => {
  let last: VideoNow | undefined;
  try {
    return await until(
      reason,
      async () => {
        last = await video(page);
        return done(last) ? last : undefined;
      },
      PATIENT,
      200,
    );
  } catch (err) {
    throw new Error(`${(err as Error).message}; the video: ${JSON.stringify(last)}; page errors: ${pageErrors.join('; ')}`);
  }
};
/** Plays on from where it is now: the play head moves forward by more than a second. */
const playsOn = async (reason: string) => {
  const from = (await video(page)).currentTime;
  return videoUntil(reason, (v) => !v.paused && v.currentTime > from + 1);
};

t.test('before the start the watch page shows the countdown', async (t) => {
  await page.goto(broadcast.links.watch);
  await page.getByText('距离开播还有').waitFor();
  t.ok(await page.locator('.clock').isVisible());
  t.equal(await page.locator('video').count(), 0, 'no player yet');
  t.ok(await page.locator('#linbo-realtime').count(), 'the realtime panel has its slot');
  await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
});

t.test('when the feed arrives it plays by itself, muted, at the live edge, without a reload', async (t) => {
  const opened = await ctx.app.inject({ method: 'POST', url: `/api/broadcasts/${broadcast.id}/ingest/rtp`, headers: admin, payload: { width: 854, height: 480 } });
  t.equal(opened.statusCode, 200, 'the ingest opens');
  // 480p passes through and a 360p rung is encoded: two levels to choose from.
  sendTestPattern(root, opened.json().ffmpegArgs, '854x480');
  const now = await playsOn('the page plays the live stream');
  t.ok(now.muted, 'muted: the only autoplay phones allow');
  t.ok(now.behindEdge < 6, `near the live edge (${now.behindEdge.toFixed(1)} s behind)`);
  t.ok(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed), 'the same page, not reloaded');
  t.ok(await page.getByText('直播进行中').isVisible(), 'it says it is live');
  t.notOk(await page.getByRole('button', { name: '回到直播' }).isVisible(), 'no back-to-live at the edge');
  t.same(hlsChunks, ['hls.light'], "hls.js's light build, and only it, was loaded: every rung carries its own sound");
});

t.test('one tap turns the sound on', async (t) => {
  const sound = page.getByRole('button', { name: '点击开启声音' });
  await sound.waitFor();
  await sound.click();
  const now = await videoUntil('the video is unmuted', (v) => !v.muted);
  t.notOk(now.paused, 'and keeps playing');
  await sound.waitFor({ state: 'hidden' });
  // The light build plays no separate audio rendition: sound decoded means the rung itself carries it.
  await until('the page decodes sound', () => page.evaluate(() => (document.querySelector('video') as HTMLVideoElement & { webkitAudioDecodedByteCount: number }).webkitAudioDecodedByteCount > 0), PATIENT, 200);
});

t.test('after a pause, back to live brings it back near the edge', async (t) => {
  await page.evaluate(() => document.querySelector('video')!.pause());
  const back = page.getByRole('button', { name: '回到直播' });
  await back.waitFor();
  await videoUntil('the paused video falls behind the edge', (v) => v.behindEdge > 3);
  await back.click();
  await playsOn('it plays again');
  const now = await videoUntil('it is back near the edge', (v) => v.behindEdge < 6);
  t.ok(now.behindEdge < 6, `${now.behindEdge.toFixed(1)} s behind`);
  await back.waitFor({ state: 'hidden' });
});

t.test('a manual quality choice switches the picture, and auto is offered first', async (t) => {
  const select = page.getByRole('combobox', { name: '清晰度' });
  await select.waitFor();
  t.same(await select.locator('option').allTextContents(), ['自动', '480p', '360p']);
  await select.selectOption({ label: '360p' });
  await videoUntil('the picture is 360 px tall', (v) => v.height === 360);
  await select.selectOption({ label: '480p' });
  await videoUntil('the picture is 480 px tall', (v) => v.height === 480);
  await select.selectOption({ label: '自动' });
  t.equal(await select.inputValue(), '-1');
});

t.test('when the network drops it says it is reconnecting, and plays on when it returns, without a reload', async (t) => {
  const media = `${ctx.url}/media/**`;
  await page.route(media, (route) => route.abort('internetdisconnected'));
  // Over the video (the page's own poll, which is not cut, has a line of the same words below).
  const notice = page.locator('.reconnecting');
  try {
    await notice.waitFor();
    t.equal(await notice.textContent(), '网络不稳定，正在重新连接…');
  } finally {
    await page.unroute(media);
  }
  await playsOn('it plays on once the network is back');
  await notice.waitFor({ state: 'hidden' });
  t.ok(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed), 'the same page, not reloaded');
});

t.test('nothing overflows a 360 × 640 screen', async (t) => {
  await page.setViewportSize({ width: 360, height: 640 });
  t.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 360), 'no horizontal scroll');
  const box = await page.locator('video').boundingBox();
  t.ok(box && box.width <= 360 && box.width >= 300, `the video takes the width (${box?.width} px)`);
});

t.test('after the end the same page plays the replay from its start', async (t) => {
  const ended = await ctx.app.inject({ method: 'POST', url: `/api/broadcasts/${broadcast.id}/end`, headers: admin });
  t.equal(ended.statusCode, 200);
  await page.getByText('回放', { exact: true }).waitFor();
  const now = await videoUntil('the replay plays from its start', (v) => !v.paused && v.currentTime > 0.5 && v.currentTime < 8 && Number.isFinite(v.duration));
  t.ok(now.duration > 5, `a replay of ${now.duration.toFixed(1)} s`);
  t.ok(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed), 'still the same page');
  t.same(pageErrors, [], 'no uncaught errors on the page');
});
