// The countdown page in real Chromium on a phone-sized screen, against the real app: what a resident
// sees after scanning the poster, and how the page follows the broadcast by itself.
import t, { type Test } from 'tap';
import type { Page } from 'playwright-core';
import { staff, startApp, type TestApp } from '../helpers/app.ts';
import { launchBrowser, phonePage } from '../helpers/browser.ts';
import { createBroadcast, createChannel } from '../helpers/schedule.ts';
import { until } from '../helpers/until.ts';

const ACTION_TIMEOUT = 10_000;
const TITLE = '红色直播间 · 家庭教育讲座';

// One server and one browser for the file (each test has its own broadcast and browser context);
// pages re-check their broadcast every 500 ms so state changes show quickly.
const ctx: TestApp = await startApp(t, { listen: true, env: { LINBO_PAGE_POLL_MS: '500' } });
const browser = await launchBrowser(t);
const editor = await staff(ctx, 'editor');
const channel = await createChannel(ctx, editor, { name: '幸福街道' });

interface Scene {
  page: Page;
  broadcast: { id: string; links: { countdown: string; watch: string } };
}

/** A scheduled broadcast a day ahead, its countdown page open on a phone. */
async function openCountdown(t: Test, options: { locale?: string; query?: string } = {}): Promise<Scene> {
  const broadcast = await createBroadcast(ctx, editor, channel.id, { title: TITLE });
  const { context, page } = await phonePage(browser, options);
  t.teardown(() => context.close());
  page.setDefaultTimeout(ACTION_TIMEOUT);
  page.setDefaultNavigationTimeout(ACTION_TIMEOUT);
  await page.goto(`${broadcast.links.countdown}${options.query ?? ''}`);
  return { page, broadcast };
}

const post = async (scene: Scene, action: string) => {
  const res = await ctx.app.inject({ method: 'POST', url: `/api/broadcasts/${scene.broadcast.id}/${action}`, headers: { authorization: editor.authorization } });
  if (res.statusCode !== 200) throw new Error(`${action}: ${res.statusCode} ${res.body}`);
};

const fitsPhone = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= 360);

t.test('a phone shows the Chinese title and a countdown whose seconds tick', async (t) => {
  const { page } = await openCountdown(t);
  t.equal(await page.getByRole('heading', { level: 1 }).textContent(), TITLE);
  t.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
  await page.getByText('距离开播还有').waitFor();
  const days = page.locator('.clock-days .clock-digits');
  await until('the countdown shows the day left', async () => ['0', '1'].includes((await days.textContent()) ?? ''));
  const seconds = page.locator('.clock-seconds .clock-digits');
  const first = await seconds.textContent();
  t.match(first, /^\d\d$/);
  await until('the seconds change', async () => (await seconds.textContent()) !== first);
  t.ok(await page.getByRole('link', { name: '添加到日历' }).isVisible(), 'offers the calendar file');
  t.ok(await fitsPhone(page), 'nothing overflows a 360 px screen');
});

t.test('the language link switches the page to English', async (t) => {
  const { page, broadcast } = await openCountdown(t);
  await page.getByRole('link', { name: 'English' }).click();
  await page.getByText('Starts in').waitFor();
  t.equal(await page.locator('html').getAttribute('lang'), 'en');
  t.equal(new URL(page.url()).pathname, `/countdown/${broadcast.id}`);
  t.ok(await page.getByRole('link', { name: 'Add to calendar' }).isVisible());
  t.ok(await page.getByRole('link', { name: '中文' }).isVisible(), 'and offers the way back');
});

t.test('an English browser gets the English page without asking', async (t) => {
  const { page } = await openCountdown(t, { locale: 'en-US' });
  await page.getByText('Starts in').waitFor();
  t.equal(await page.locator('html').getAttribute('lang'), 'en');
});

t.test('when the broadcast goes live the page moves to the watch page by itself', async (t) => {
  const scene = await openCountdown(t);
  await scene.page.getByText('距离开播还有').waitFor();
  await post(scene, 'start');
  await until('the page moved to the watch URL', () => scene.page.url() === scene.broadcast.links.watch);
  await scene.page.getByText('直播进行中').waitFor();
  t.equal(scene.page.url(), scene.broadcast.links.watch);
});

t.test('a resident who chose English stays in English on the watch page', async (t) => {
  const scene = await openCountdown(t, { query: '?lang=en' });
  await scene.page.getByText('Starts in').waitFor();
  await post(scene, 'start');
  await scene.page.getByText('Live now').waitFor();
  t.equal(scene.page.url(), `${scene.broadcast.links.watch}?lang=en`);
});

t.test('a broadcast cancelled while the page is open says so', async (t) => {
  const scene = await openCountdown(t);
  await scene.page.getByText('距离开播还有').waitFor();
  await post(scene, 'cancel');
  await scene.page.getByText('这场直播已取消').waitFor();
  t.notOk(await scene.page.locator('.clock').isVisible(), 'the countdown is gone');
  await scene.page.reload();
  t.equal(await scene.page.locator('.notice-title').textContent(), '这场直播已取消', 'and so does the page opened afresh');
});

t.test('an ended broadcast that went live says it has ended and links the replay', async (t) => {
  const scene = await openCountdown(t);
  await post(scene, 'start');
  await post(scene, 'end');
  await scene.page.goto(scene.broadcast.links.countdown);
  await scene.page.getByText('这场直播已结束').waitFor();
  t.equal(await scene.page.getByRole('link', { name: '观看回放' }).getAttribute('href'), scene.broadcast.links.watch);
});
