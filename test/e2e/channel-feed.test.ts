// A channel's page in real Chromium on a phone-sized screen: what a resident sees on opening the
// community's link (the coming broadcast first, then the clips, one full screen each), swiping to the
// next clip, and a heart and a follow that the page and the server both keep.
import t, { type Test } from 'tap';
import type { Page } from 'playwright-core';
import { staff, startApp } from '../helpers/app.ts';
import { launchBrowser, phonePage } from '../helpers/browser.ts';
import { insertClip } from '../helpers/feed.ts';
import { premiereClip } from '../helpers/premiere-clip.ts';
import { createBroadcast, createChannel } from '../helpers/schedule.ts';
import { swipeUp } from '../helpers/swipe.ts';
import { until } from '../helpers/until.ts';

const ACTION_TIMEOUT = 10_000;

const ctx = await startApp(t, { listen: true });
const browser = await launchBrowser(t);
const editor = await staff(ctx, 'editor');

/** A channel with a gala tomorrow and three published clips, newest first: 广场舞, 太极拳, 书法. */
async function channelWithClips() {
  const channel = await createChannel(ctx, editor, { name: '幸福街道' });
  await createBroadcast(ctx, editor, channel.id, { title: '重阳节晚会', kind: 'gala' });
  const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000);
  const clips = {
    dance: await insertClip(ctx, channel.id, { title: '广场舞', publishedAt: at(1) }),
    taichi: await insertClip(ctx, channel.id, { title: '太极拳', publishedAt: at(2) }),
    calligraphy: await insertClip(ctx, channel.id, { title: '书法', publishedAt: at(3) }),
  };
  return { channel, clips };
}

async function openFeed(t: Test, slug: string): Promise<Page> {
  const { context, page } = await phonePage(browser);
  t.teardown(() => context.close());
  page.setDefaultTimeout(ACTION_TIMEOUT);
  await page.goto(`${ctx.url}/channels/${slug}`);
  await page.locator('.channel-name').waitFor();
  return page;
}

/**
 * The clip filling the screen once the feed has come to rest on it (scrolled exactly to its top), by
 * its id; null for the channel's own slide, undefined while still moving.
 */
const clipAtRest = (page: Page) =>
  page.evaluate(() => {
    const feed = document.querySelector<HTMLElement>('.feed')!;
    const slide = [...feed.children].find((el) => Math.abs((el as HTMLElement).offsetTop - feed.scrollTop) < 1) as HTMLElement | undefined;
    return slide ? (slide.dataset.clip ?? null) : undefined;
  });

t.test('the feed shows the coming broadcast first, then the clips newest first, and fits a 360 px phone', async (t) => {
  const { channel } = await channelWithClips();
  const page = await openFeed(t, channel.slug);
  t.equal(await page.locator('h1').textContent(), '幸福街道');
  t.equal(await page.locator('.upcoming-title').textContent(), '重阳节晚会');
  t.ok(await page.getByText('看倒计时').isVisible(), 'the coming broadcast is on the first screen, with its countdown link');
  t.same(await page.locator('.item-title').allTextContents(), ['广场舞', '太极拳', '书法']);
  const upcomingFirst = await page.evaluate(() => {
    const upcoming = document.querySelector('.upcoming')!;
    const firstClip = document.querySelector('.item')!;
    return !!(upcoming.compareDocumentPosition(firstClip) & Node.DOCUMENT_POSITION_FOLLOWING);
  });
  t.ok(upcomingFirst, 'upcoming broadcasts come before the clips');
  t.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 360), 'nothing overflows a 360 px screen');
});

t.test('swiping up moves to the next clip, one full screen at a time', async (t) => {
  const { channel, clips } = await channelWithClips();
  const page = await openFeed(t, channel.slug);
  t.equal(await clipAtRest(page), null, 'the channel itself fills the first screen');
  await swipeUp(page);
  await until('the first clip fills the screen after a swipe', async () => (await clipAtRest(page)) === clips.dance);
  await swipeUp(page);
  await until('the second clip fills the screen after another swipe', async () => (await clipAtRest(page)) === clips.taichi);
  t.equal(await clipAtRest(page), clips.taichi, 'the feed rests on the second clip, not between two');
});

t.test('a heart and a follow count at once and are still there after a reload; another phone sees the totals only', async (t) => {
  const { channel, clips } = await channelWithClips();
  const page = await openFeed(t, channel.slug);
  await page.getByRole('button', { name: '关注' }).click();
  await page.getByText('已关注').waitFor();
  t.equal(await page.locator('.followers').textContent(), '1 人关注');
  const heart = page.locator(`[data-clip="${clips.taichi}"] .like`);
  await heart.click();
  await until('the heart turns on', async () => (await heart.getAttribute('aria-pressed')) === 'true');
  t.equal(await heart.textContent(), '1');

  await page.reload();
  await page.locator('.channel-name').waitFor();
  t.equal(await page.locator('.follow').textContent(), '已关注', 'still following after a reload');
  t.equal(await page.locator('.followers').textContent(), '1 人关注');
  t.equal(await heart.getAttribute('aria-pressed'), 'true', 'the heart stays on');
  t.equal(await heart.textContent(), '1');

  const other = await openFeed(t, channel.slug);
  t.equal(await other.locator('.follow').textContent(), '关注', 'another phone does not follow yet');
  t.equal(await other.locator('.followers').textContent(), '1 人关注');
  const otherHeart = other.locator(`[data-clip="${clips.taichi}"] .like`);
  t.equal(await otherHeart.getAttribute('aria-pressed'), 'false');
  t.equal(await otherHeart.textContent(), '1');
});

t.test('a clip with real HLS plays in the feed once swiped into view, muted with 点击开启声音, and counts one view', async (t) => {
  const channel = await createChannel(ctx, editor, { name: '和平社区' });
  const { id } = await premiereClip(ctx, channel.id, { seconds: 8 });
  const older = await insertClip(ctx, channel.id, { title: '书法', publishedAt: new Date(Date.now() - 3600_000) });
  const page = await openFeed(t, channel.slug);
  await swipeUp(page);
  await until('the clip fills the screen', async () => (await clipAtRest(page)) === id);
  const video = page.locator(`[data-clip="${id}"] video`);
  await until('the clip plays in the feed', async () => (await video.evaluate((v: HTMLVideoElement) => v.currentTime)) > 1, 20_000);
  t.equal(await video.evaluate((v: HTMLVideoElement) => v.muted), true, 'muted: the only autoplay phones allow');
  t.ok(await page.getByRole('button', { name: '点击开启声音' }).isVisible());
  const views = page.locator(`[data-clip="${id}"] .views`);
  await until('the view is counted after a few seconds of play', async () => (await views.textContent()) === '1 次播放', 20_000);
  await swipeUp(page);
  await until('the next clip fills the screen', async () => (await clipAtRest(page)) === older);
  await until('the clip swiped away stops and leaves', async () => (await video.count()) === 0);
  t.equal(await page.locator('video').count(), 1, 'one video on the page: only the clip in view plays');
});

t.test('the clip page plays the clip, likes it and leads back to the channel', async (t) => {
  const channel = await createChannel(ctx, editor, { name: '和平社区' });
  const { id } = await premiereClip(ctx, channel.id, { seconds: 8 });
  const { context, page } = await phonePage(browser);
  t.teardown(() => context.close());
  page.setDefaultTimeout(ACTION_TIMEOUT);
  await page.goto(`${ctx.url}/clips/${id}`);
  await page.getByRole('heading', { name: '重阳节文艺汇演' }).waitFor();
  const video = page.locator('video');
  await until('the clip plays on its page', async () => (await video.evaluate((v: HTMLVideoElement) => v.currentTime)) > 1, 20_000);
  await page.locator('.like').click();
  await until('the heart turns on', async () => (await page.locator('.like').getAttribute('aria-pressed')) === 'true');
  await until('the view is counted', async () => (await page.locator('.views').textContent()) === '1 次播放', 20_000);
  t.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 360), 'nothing overflows a 360 px screen');
  await page.getByRole('link', { name: /返回频道/ }).click();
  await page.locator('.channel-name').waitFor();
  t.equal(new URL(page.url()).pathname, `/channels/${channel.slug}`);
});

t.test('a wide screen shows a grid of posters that open the clip, and loads more at the end', async (t) => {
  const channel = await createChannel(ctx, editor, { name: '幸福街道' });
  // More than one page of the feed (12 a page).
  for (let i = 0; i < 14; i++) await insertClip(ctx, channel.id, { title: `第${i + 1}个视频`, publishedAt: new Date(Date.now() - i * 60_000) });
  const context = await browser.newContext({ viewport: { width: 1024, height: 800 }, locale: 'zh-CN' });
  t.teardown(() => context.close());
  const page = await context.newPage();
  page.setDefaultTimeout(ACTION_TIMEOUT);
  await page.goto(`${ctx.url}/channels/${channel.slug}`);
  await page.locator('.channel-name').waitFor();
  const columns = await page.locator('.feed').evaluate((el) => getComputedStyle(el).gridTemplateColumns.split(' ').length);
  t.ok(columns >= 3, `posters side by side (${columns} columns)`);
  await page.locator('.more').scrollIntoViewIfNeeded();
  await until('the next page of the feed is loaded at the end', async () => (await page.locator('.item').count()) === 14);
  t.equal(await page.locator('video').count(), 0, 'nothing plays by itself in the grid');
  await page.getByRole('link', { name: '第14个视频' }).click();
  await page.getByRole('heading', { name: '第14个视频' }).waitFor();
  t.match(new URL(page.url()).pathname, /^\/clips\//);
});

t.test('the page is in English with ?lang=en', async (t) => {
  const { channel } = await channelWithClips();
  const { context, page } = await phonePage(browser);
  t.teardown(() => context.close());
  await page.goto(`${ctx.url}/channels/${channel.slug}?lang=en`);
  await page.getByRole('button', { name: 'Follow' }).waitFor();
  t.equal(await page.locator('html').getAttribute('lang'), 'en');
  t.ok(await page.getByText('Coming up').isVisible());
});

t.test('a channel that does not exist gets a readable page with status 404', async (t) => {
  const { context, page } = await phonePage(browser);
  t.teardown(() => context.close());
  const res = await page.goto(`${ctx.url}/channels/no-such-street`);
  t.equal(res?.status(), 404);
  await page.getByText('找不到这个频道').waitFor();
});
