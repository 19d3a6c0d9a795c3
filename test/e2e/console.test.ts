// The staff console in real Chromium against the real app: what a street-office staff member does
// with it on a phone, from logging in to handing out a countdown link.
import t, { type Test } from 'tap';
import type { Page } from 'playwright-core';
import { DateTime } from 'luxon';
import { TEST_PASSWORD, staff, startApp, type TestApp } from '../helpers/app.ts';
import { launchBrowser, phonePage } from '../helpers/browser.ts';
import { until } from '../helpers/until.ts';

const ZONE = 'Asia/Shanghai';
// No fixed sleeps anywhere: each wait is a playwright auto-wait or until() polling a condition, and
// every playwright call gives up after this long instead of hanging the file.
const ACTION_TIMEOUT = 10_000;

async function openConsole(t: Test, options: { locale?: string } = {}): Promise<{ ctx: TestApp; page: Page }> {
  const ctx = await startApp(t, { listen: true });
  const browser = await launchBrowser(t);
  const { context, page } = await phonePage(browser, options);
  t.teardown(() => context.close());
  page.setDefaultTimeout(ACTION_TIMEOUT);
  page.setDefaultNavigationTimeout(ACTION_TIMEOUT);
  await page.goto(`${ctx.url}/console`);
  return { ctx, page };
}

async function logIn(page: Page, password = TEST_PASSWORD): Promise<void> {
  await page.getByLabel('用户名').fill('admin');
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
}

const fitsWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth && document.documentElement.scrollWidth <= 360);

/** The next Friday strictly after today in the installation's zone. */
function nextFriday(): DateTime {
  const today = DateTime.now().setZone(ZONE).startOf('day');
  return today.plus({ days: ((5 - today.weekday + 7) % 7) || 7 });
}

async function seedChannel(ctx: TestApp): Promise<string> {
  const admin = await staff(ctx, 'admin');
  const res = await ctx.app.inject({ method: 'POST', url: '/api/channels', headers: { authorization: admin.authorization }, payload: { slug: 'hongxing', name: '红星社区' } });
  if (res.statusCode !== 201) throw new Error(`channel: ${res.body}`);
  return res.json().id;
}

t.test('an admin creates a weekly series in the console, its occurrences are listed, and the first one counts down', async (t) => {
  const { page } = await openConsole(t);
  await logIn(page);
  await page.getByRole('link', { name: '频道' }).click();
  await page.getByLabel('名称').fill('红星社区');
  await page.getByLabel('网址名（小写字母、数字、横线）').fill('hongxing');
  await page.getByRole('button', { name: '创建频道' }).click();
  await page.locator('.rows li', { hasText: '红星社区' }).waitFor();

  await page.getByRole('link', { name: '每周系列' }).click();
  await page.getByRole('link', { name: '新建每周系列' }).click();
  const first = nextFriday();
  await page.getByLabel('标题').fill('红色直播间 · 法律讲堂');
  await page.locator('.chip', { hasText: '五' }).click();
  await page.getByLabel('第一场日期').fill(first.toISODate()!);
  await page.getByLabel('开始时间').fill('09:30');
  await page.getByLabel('时长（分钟）').fill('45');
  await page.locator('.theme-row input[name=themeMonth]').first().fill(first.toFormat('yyyy-MM'));
  await page.locator('.theme-row input[name=themeText]').first().fill('宪法宣传月');
  await page.getByRole('button', { name: '添加一个月的主题' }).click();
  await page.locator('.theme-row input[name=themeText]').nth(1).fill('家庭教育');
  await page.getByRole('button', { name: '创建系列' }).click();
  await page.getByRole('heading', { name: '编辑每周系列' }).waitFor();
  await until('the series page lists its occurrences', async () => (await page.locator('.occurrences .item').count()) >= 2);

  await page.getByRole('link', { name: '节目', exact: true }).click();
  const items = page.locator('.broadcast-list .item', { hasText: '红色直播间 · 法律讲堂' });
  await until('the list shows the weekly occurrences', async () => (await items.count()) >= 2);
  t.match(await items.first().innerText(), /09:30[\s\S]*已排期[\s\S]*宪法宣传月/);

  await page.goto(page.url().replace(/\/console.*$/, `/console/calendar?view=month&date=${first.toISODate()}`));
  await page.locator(`.cell[data-date="${first.toISODate()}"] .dot`).first().waitFor();
  await page.locator('.month-day .item', { hasText: '红色直播间 · 法律讲堂' }).waitFor();
  await page.getByRole('link', { name: '周', exact: true }).click();
  await page.locator(`.week-day[data-date="${first.toISODate()}"] .item`, { hasText: '09:30' }).waitFor();

  await page.locator(`.week-day[data-date="${first.toISODate()}"] .item`).first().click();
  const countdown = await page.locator('[data-link=countdown] input').inputValue();
  t.match(countdown, /\/countdown\/[0-9a-f-]{36}$/);
  await page.goto(countdown);
  const timer = page.getByRole('timer');
  await until('the countdown shows digits', async () => /\d/.test(await timer.innerText()));
  const before = await timer.innerText();
  await until('the countdown ticks', async () => (await timer.innerText()) !== before);
  t.match(await page.locator('body').innerText(), /[\u4e00-\u9fff]/, 'the countdown page speaks Chinese');
  t.match(await page.locator('body').innerText(), '红色直播间 · 法律讲堂');
});

t.test('a wrong password shows a clear Chinese error and does not log in; repeated tries say how long to wait', async (t) => {
  const { page } = await openConsole(t);
  await logIn(page, 'not the password');
  await page.getByRole('alert').filter({ hasText: '用户名或密码不对' }).waitFor();
  t.equal(await page.getByRole('button', { name: '登录' }).isVisible(), true, 'the login form stays');
  t.equal(await page.getByRole('link', { name: '节目' }).count(), 0, 'no console behind it');
  const me = await page.evaluate(() => fetch('/api/auth/me').then((r) => r.status));
  t.equal(me, 401);

  for (let i = 0; i < 4; i++) {
    await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/auth/login')), page.getByRole('button', { name: '登录' }).click()]);
  }
  await logIn(page);
  await page.getByRole('alert').filter({ hasText: /尝试次数太多，请 \d+ 秒后再试/ }).waitFor();
});

t.test('the English switch translates the console and is remembered after a reload', async (t) => {
  const { page } = await openConsole(t);
  await logIn(page);
  await page.getByRole('heading', { name: '近期节目' }).waitFor();
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { name: 'Upcoming broadcasts' }).waitFor();
  t.equal(await page.getByRole('link', { name: 'Calendar' }).isVisible(), true);
  await page.reload();
  await page.getByRole('heading', { name: 'Upcoming broadcasts' }).waitFor();
  t.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  await page.getByRole('button', { name: '中文' }).click();
  await page.getByRole('heading', { name: '近期节目' }).waitFor();
});

t.test('at 360 px the list, the series form and both calendars fit the screen without sideways scrolling', async (t) => {
  const { ctx, page } = await openConsole(t);
  const channelId = await seedChannel(ctx);
  const admin = await staff(ctx, 'admin');
  const start = nextFriday().set({ hour: 9, minute: 30 });
  for (let i = 0; i < 3; i++) {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/broadcasts',
      headers: { authorization: admin.authorization },
      payload: { channelId, title: `社区健康讲座第${i + 1}讲：老年人防跌倒与慢性病管理`, kind: 'lecture', scheduledStart: start.plus({ days: i }).toUTC().toISO(), durationMinutes: 45, theme: '健康生活' },
    });
    t.equal(res.statusCode, 201);
  }
  await logIn(page);
  await page.locator('.broadcast-list .item').nth(2).waitFor();
  t.ok(await fitsWidth(page), 'the broadcast list');
  await page.getByRole('link', { name: '新建每周系列' }).click();
  await page.getByRole('button', { name: '创建系列' }).waitFor();
  t.ok(await fitsWidth(page), 'the series form');
  await page.getByRole('link', { name: '日历' }).click();
  await page.locator('.week-days').waitFor();
  t.ok(await fitsWidth(page), 'the week calendar');
  await page.getByRole('link', { name: '月', exact: true }).click();
  await page.locator('.month-grid').waitFor();
  t.ok(await fitsWidth(page), 'the month calendar');
});

t.test('an admin adds a host, schedules a one-off gala with them, copies its countdown link, cancels it (已取消) and disables the host', async (t) => {
  const { ctx, page } = await openConsole(t);
  await seedChannel(ctx);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: ctx.url });
  await logIn(page);
  await page.getByRole('link', { name: '账号' }).click();
  await page.getByLabel('用户名').fill('wang');
  await page.getByLabel('显示名').fill('王老师');
  await page.getByLabel('密码').fill('a long password');
  await page.getByRole('button', { name: '创建账号' }).click();
  await page.locator('li[data-username=wang]', { hasText: '主播' }).waitFor();

  await page.getByRole('link', { name: '节目', exact: true }).click();
  await page.getByRole('link', { name: '新建节目' }).click();
  await page.getByLabel('主播').selectOption({ label: '王老师' });
  await page.getByLabel('标题').fill('红星社区春节联欢晚会');
  await page.getByLabel('类型').selectOption({ label: '晚会' });
  await page.getByLabel('日期').fill(nextFriday().plus({ days: 1 }).toISODate()!);
  await page.getByLabel('开始时间').fill('19:30');
  await page.getByLabel('时长（分钟）').fill('120');
  await page.getByRole('button', { name: '创建节目' }).click();
  await page.getByRole('heading', { name: '红星社区春节联欢晚会' }).waitFor();
  t.match(await page.locator('.page-head').innerText(), '已排期');
  t.match(await page.locator('.facts').innerText(), /主播\s+王老师/);

  const row = page.locator('[data-link=countdown]');
  const link = await row.locator('input').inputValue();
  await row.getByRole('button', { name: '复制' }).click();
  await row.getByText('已复制').waitFor();
  t.equal(await page.evaluate(() => navigator.clipboard.readText()), link, 'the clipboard holds the countdown link');

  for (const name of ['下载手机海报', '下载 A4 海报']) {
    const poster = await page.request.get((await page.getByRole('link', { name }).getAttribute('href'))!);
    t.equal(poster.headers()['content-type'], 'image/png', name);
  }
  const key = page.locator('[data-link=streamKey] input');
  await page.getByRole('button', { name: '显示' }).click();
  t.equal(await key.getAttribute('type'), 'text', 'the stream key is shown on request');
  const oldKey = await key.inputValue();
  await page.getByRole('button', { name: '换一个新密钥' }).click();
  await page.getByText('已换成新密钥').waitFor();
  t.not(await key.inputValue(), oldKey, 'a rotated key replaces the old one');

  await page.getByRole('button', { name: '取消这一场' }).click();
  await page.getByRole('button', { name: '确定取消' }).click();
  await page.locator('.page-head .badge', { hasText: '已取消' }).waitFor();
  await page.getByRole('link', { name: '节目', exact: true }).click();
  const item = page.locator('.broadcast-list .item', { hasText: '红星社区春节联欢晚会' });
  await item.locator('.badge', { hasText: '已取消' }).waitFor();

  await page.getByRole('link', { name: '账号' }).click();
  await page.locator('li[data-username=wang]').getByRole('button', { name: '停用' }).click();
  await page.locator('li[data-username=wang] .badge', { hasText: '已停用' }).waitFor();
});

t.test('on a series occurrence, 这一场及以后 changes it and the later ones, 只改这一场 only it, and 取消这一场 skips one week', async (t) => {
  const { ctx, page } = await openConsole(t);
  const channelId = await seedChannel(ctx);
  const admin = { authorization: (await staff(ctx, 'admin')).authorization };
  const created = await ctx.app.inject({
    method: 'POST',
    url: '/api/series',
    headers: admin,
    payload: { channelId, title: '法律讲堂', kind: 'lecture', rrule: 'FREQ=WEEKLY;BYDAY=FR', firstStart: nextFriday().set({ hour: 9, minute: 30 }).toUTC().toISO(), durationMinutes: 45 },
  });
  t.equal(created.statusCode, 201);
  const occurrences = async (): Promise<{ id: string; title: string; state: string }[]> =>
    (await ctx.app.inject({ url: `/api/broadcasts?seriesId=${created.json().id}`, headers: admin })).json();
  const [first, second, third] = await occurrences();
  await logIn(page);
  await page.getByRole('heading', { name: '近期节目' }).waitFor();

  await page.goto(`${ctx.url}/console/broadcasts/${second.id}/edit`);
  await page.getByLabel('标题').fill('法律讲堂 · 民法典');
  await page.getByRole('button', { name: '这一场及以后' }).click();
  await page.getByRole('heading', { name: '法律讲堂 · 民法典' }).waitFor();
  const afterSeries = await occurrences();
  t.equal(afterSeries[0].title, '法律讲堂', 'the earlier occurrence keeps its title');
  t.ok(afterSeries.slice(1).every((b) => b.title === '法律讲堂 · 民法典'), 'this and every later occurrence changed');

  await page.goto(`${ctx.url}/console/broadcasts/${first.id}/edit`);
  await page.getByLabel('标题').fill('法律讲堂 · 开篇');
  await page.getByRole('button', { name: '只改这一场' }).click();
  await page.getByRole('heading', { name: '法律讲堂 · 开篇' }).waitFor();
  const afterOne = await occurrences();
  t.same(afterOne.slice(0, 2).map((b) => b.title), ['法律讲堂 · 开篇', '法律讲堂 · 民法典'], 'only that one changed');

  await page.goto(`${ctx.url}/console/broadcasts/${third.id}`);
  await page.getByRole('button', { name: '取消这一场' }).click();
  await page.getByRole('button', { name: '确定取消' }).click();
  await page.locator('.page-head .badge', { hasText: '已取消' }).waitFor();
  t.same((await occurrences()).slice(0, 4).map((b) => b.state), ['scheduled', 'scheduled', 'cancelled', 'scheduled'], 'one week skipped, the series goes on');
});
