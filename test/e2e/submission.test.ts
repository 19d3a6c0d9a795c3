// The submission page in real Chromium on a phone: a resident picks a real video, sees it upload to
// 100 % and then "审核中", and finds it listed as hers; another phone does not see it. A video longer
// than the limit is stopped in the browser before a byte is sent.
import t, { type Test } from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { staff, startApp } from '../helpers/app.ts';
import { launchBrowser, phonePage } from '../helpers/browser.ts';
import { makeClipFile, makeNotVideoFile } from '../helpers/clip-files.ts';
import { createChannel } from '../helpers/schedule.ts';
import { clipCount } from '../helpers/uploads.ts';
import { startMediaNode } from '../helpers/media-node.ts';
import { until } from '../helpers/until.ts';

const ACTION_TIMEOUT = 10_000;

// A 4-second limit, so the "too long" file stays small and quick to make.
const ctx = await startApp(t, { listen: true, env: { LINBO_SUBMISSION_MAX_SECONDS: '4' } });
// The real media node transcodes what residents send (needs MEDIASOUP_WORKER_BIN).
await startMediaNode(t, ctx);
const browser = await launchBrowser(t);
const editor = await staff(ctx, 'editor');
const reviewer = { authorization: editor.authorization };
const channel = await createChannel(ctx, editor, { name: '幸福街道' });
const dir = mkdtempSync(join(tmpdir(), 'linbo-submit-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const short = await makeClipFile(dir, { seconds: 2, width: 320, height: 240, name: 'dance.mp4' });
const long = await makeClipFile(dir, { seconds: 6, width: 160, height: 120, name: 'long.mp4' });

async function openSubmit(t: Test) {
  const { context, page } = await phonePage(browser);
  t.teardown(() => context.close());
  page.setDefaultTimeout(ACTION_TIMEOUT);
  await page.goto(`${ctx.url}/channels/${channel.slug}/submit`);
  await page.getByRole('heading', { name: '投稿视频' }).waitFor();
  return { context, page };
}

t.test('a resident sends a video: progress to 100 %, then 审核中, and it is listed as hers only', async (t) => {
  const { page } = await openSubmit(t);
  await page.getByLabel('视频标题').fill('王阿姨的广场舞');
  await page.getByLabel('您的称呼').fill('王阿姨');
  await page.getByLabel('选择视频').setInputFiles(short);
  await page.getByRole('button', { name: '发送' }).click();
  await page.getByText('已收到，审核中').waitFor({ timeout: 30_000 });
  t.equal(await page.locator('.progress-text').textContent(), '100%');
  t.equal(await page.locator('.progress-bar').evaluate((el) => (el as HTMLProgressElement).value), 100);
  const mine = page.locator('.mine-item', { hasText: '王阿姨的广场舞' });
  await mine.waitFor();
  t.equal(await mine.locator('.mine-state').textContent(), '审核中');
  t.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 360), 'nothing overflows a 360 px screen');

  await page.reload();
  const again = page.locator('.mine-item', { hasText: '王阿姨的广场舞' });
  await again.waitFor();
  t.equal(await again.locator('.mine-state').textContent(), '审核中', 'the same phone still sees it after a reload');

  const other = await openSubmit(t);
  await other.page.getByText('您还没有投过稿。').waitFor();
  t.equal(await other.page.locator('.mine-item').count(), 0, 'another phone does not see her pending video');
});

/** Sends `title` from a fresh phone and waits until the media node has transcoded it for review. */
async function sentAndTranscoded(t: Test, title: string) {
  const { page } = await openSubmit(t);
  await page.getByLabel('视频标题').fill(title);
  await page.getByLabel('您的称呼').fill('李大爷');
  await page.getByLabel('选择视频').setInputFiles(short);
  await page.getByRole('button', { name: '发送' }).click();
  await page.getByText('已收到，审核中').waitFor({ timeout: 30_000 });
  const clip = await until(
    'the media node transcodes the video and it waits for review',
    async () => {
      const list = (await ctx.app.inject({ url: `/api/clips?channelId=${channel.id}&source=resident`, headers: reviewer })).json() as { id: string; title: string; state: string }[];
      const found = list.find((c) => c.title === title);
      if (found?.state === 'failed') throw new Error('the transcode failed');
      return found?.state === 'in_review' ? found : null;
    },
    90_000,
    500,
  );
  return { page, clip };
}

t.test('once transcoded and approved, her list says 已发布 and the clip page plays her video', async (t) => {
  const { page, clip } = await sentAndTranscoded(t, '李大爷的太极拳');
  t.equal((await page.locator('.mine-item', { hasText: '李大爷的太极拳' }).locator('.mine-state').textContent()), '审核中', 'still in review for her until a reviewer decides');
  const approved = await ctx.app.inject({ method: 'POST', url: `/api/clips/${clip.id}/approve`, headers: reviewer });
  t.equal(approved.statusCode, 200);

  await page.reload();
  const mine = page.locator('.mine-item', { hasText: '李大爷的太极拳' });
  await mine.locator('.mine-state', { hasText: '已发布' }).waitFor();
  await mine.getByRole('link').click();
  await page.getByRole('heading', { name: '李大爷的太极拳' }).waitFor();
  const video = page.locator('video');
  await until('her video plays on its page', async () => (await video.evaluate((v: HTMLVideoElement) => v.currentTime)) > 1, 20_000);
  t.equal(new URL(page.url()).pathname, `/clips/${clip.id}`);
});

t.test('a video the reviewer turns down says 未通过 with the reason, on her phone', async (t) => {
  const { page, clip } = await sentAndTranscoded(t, '模糊的视频');
  const rejected = await ctx.app.inject({ method: 'POST', url: `/api/clips/${clip.id}/reject`, headers: reviewer, payload: { reason: '画面太暗，看不清' } });
  t.equal(rejected.statusCode, 200);
  await page.reload();
  const mine = page.locator('.mine-item', { hasText: '模糊的视频' });
  await mine.locator('.mine-state', { hasText: '未通过' }).waitFor();
  t.equal(await mine.locator('.mine-reason').textContent(), '原因：画面太暗，看不清');
});

t.test('a video longer than the limit is refused in the browser with its length, and nothing is sent', async (t) => {
  const before = await clipCount(ctx);
  const { page } = await openSubmit(t);
  await page.getByLabel('视频标题').fill('太长的视频');
  await page.getByLabel('您的称呼').fill('李大爷');
  await page.getByLabel('选择视频').setInputFiles(long);
  await page.getByRole('button', { name: '发送' }).click();
  const message = page.getByRole('alert');
  await message.getByText('超过了').waitFor();
  t.match(await message.textContent(), /6 秒/);
  t.ok(await page.locator('.progress').isHidden(), 'no upload started');
  t.equal(await clipCount(ctx), before);
});

t.test('a file the server refuses shows the server’s own words, in Chinese', async (t) => {
  const { page } = await openSubmit(t);
  await page.getByLabel('视频标题').fill('不是视频');
  await page.getByLabel('您的称呼').fill('张阿姨');
  await page.getByLabel('选择视频').setInputFiles(makeNotVideoFile(dir));
  await page.getByRole('button', { name: '发送' }).click();
  const message = page.getByRole('alert');
  await message.getByText('这个文件不是视频').waitFor({ timeout: 30_000 });
  t.ok(await page.getByRole('button', { name: '发送' }).isEnabled(), 'she can pick another file and send again');
  t.ok(await page.getByText('已收到，审核中').isHidden());
});

t.test('the page is in English with ?lang=en, and an unknown channel gets a readable 404', async (t) => {
  const { context, page } = await phonePage(browser);
  t.teardown(() => context.close());
  await page.goto(`${ctx.url}/channels/${channel.slug}/submit?lang=en`);
  await page.getByRole('heading', { name: 'Send a video' }).waitFor();
  t.ok(await page.getByLabel('Your name').isVisible());
  const res = await page.goto(`${ctx.url}/channels/nowhere/submit`);
  t.equal(res?.status(), 404);
  await page.getByText('找不到这个频道').waitFor();
});
