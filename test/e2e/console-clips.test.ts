// The console's clips in real Chromium against the real app and a real media node: a staff member
// uploads recordings through the page's file input (tus-js-client), pauses and resumes one, follows
// the transcode, and an editor reviews them in the queue with the clip playing; a file the server
// refuses is explained, and an upload cut by a reload goes on from where it stopped.
import t from 'tap';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { staff, startApp } from '../helpers/app.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { makeClipFile, makeNotVideoFile } from '../helpers/clip-files.ts';
import { startMediaNode } from '../helpers/media-node.ts';
import { staffPage } from '../helpers/realtime-pages.ts';
import { createChannel } from '../helpers/schedule.ts';
import { until } from '../helpers/until.ts';

const TRANSCODE_TIMEOUT = 120_000;

function tempDir(t: { teardown(fn: () => unknown): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'linbo-console-clips-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Chromium sends request bodies no faster than this (DevTools network emulation), so an upload on
 * loopback lasts long enough to pause; null lifts the limit.
 */
async function throttleUploads(page: Page, bytesPerSecond: number | null): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: bytesPerSecond ?? -1 });
}

async function startUpload(page: Page, file: string, title: string): Promise<void> {
  const card = page.locator('.upload-card');
  await card.getByLabel('视频文件').setInputFiles(file);
  await card.getByLabel('标题').fill(title);
  await card.getByRole('button', { name: '开始上传' }).click();
  await card.locator('.upload-panel').waitFor();
}

const panelPercent = async (page: Page) => Number(await page.locator('.upload-panel').getAttribute('data-percent'));

/** Every percent the upload bar shows from now on, as the page drew it. */
async function recordPercents(page: Page): Promise<() => Promise<number[]>> {
  await page.evaluate(() => {
    const w = window as unknown as { percents: number[] };
    w.percents = [];
    const panel = document.querySelector('.upload-panel')!;
    new MutationObserver(() => w.percents.push(Number(panel.getAttribute('data-percent')))).observe(panel, { attributes: true, attributeFilter: ['data-percent'] });
  });
  return () => page.evaluate(() => (window as unknown as { percents: number[] }).percents);
}

const fitsWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= 360);

t.test('staff upload two recordings (one paused and resumed), watch them transcode, and an editor approves one playing in the review queue and rejects the other with a reason', async (t) => {
  const ctx = await startApp(t, { listen: true });
  await startMediaNode(t, ctx);
  const admin = await staff(ctx, 'admin');
  await staff(ctx, 'editor', 'editor1');
  await createChannel(ctx, admin, { name: '红星社区' });
  const dir = tempDir(t);
  // An old camcorder's MPEG-4 at 720p: every rung is encoded, so the transcode lasts long enough to watch.
  const gala = await makeClipFile(dir, { seconds: 20, width: 1280, height: 720, codec: 'mpeg4', name: 'gala.mp4' });
  const short = await makeClipFile(dir, { seconds: 6, width: 640, height: 360, name: 'short.mp4' });
  const galaBytes = statSync(gala).size;
  const browser = await launchBrowser(t);
  const editor = await staffPage(t, browser, ctx, 'editor1', `${ctx.url}/console`);
  const { page } = editor;

  await page.getByRole('link', { name: '视频', exact: true }).click();
  await page.getByRole('heading', { name: '上传视频' }).waitFor();
  t.ok(await fitsWidth(page), 'the clips page fits a 360 px phone');

  // About eight seconds for the gala at this rate: time to pause it half-way.
  await throttleUploads(page, Math.round(galaBytes / 8));
  await startUpload(page, gala, '社区春节联欢晚会');
  await until('the gala upload passes 10 %', async () => (await panelPercent(page)) >= 10);
  await page.getByRole('button', { name: '暂停' }).click();
  await page.locator('.upload-panel[data-phase="paused"]').waitFor();
  const clipId = (await page.locator('.upload-panel').getAttribute('data-clip-id'))!;
  const head = await page.context().request.head(`${ctx.url}/api/uploads/${clipId}`, { headers: { 'tus-resumable': '1.0.0' } });
  const kept = Number(head.headers()['upload-offset']);
  t.ok(kept > 0 && kept < galaBytes, `paused, the server keeps the ${kept} of ${galaBytes} bytes it got`);
  t.match(await page.locator('.upload-panel').innerText(), /已暂停/, 'the panel says it is paused');
  const paused = await panelPercent(page);

  const percents = await recordPercents(page);
  await page.getByRole('button', { name: '继续' }).click();
  await page.locator('.upload-panel[data-phase="done"]').waitFor({ timeout: 60_000 });
  const shown = await percents();
  t.ok(Math.min(...shown) >= paused, `resumed from the ${paused} % it was paused at, not from zero (the bar showed ${shown.slice(0, 3).join(', ')}… ${shown.at(-1)} %)`);
  t.equal(await panelPercent(page), 100, 'the bar reaches 100 %');
  t.match(await page.locator('.upload-panel').innerText(), /上传完成/, 'and that the upload is complete');
  await throttleUploads(page, null);

  const galaItem = page.locator('.clip-list li.clip', { hasText: '社区春节联欢晚会' });
  await galaItem.locator('.transcode-line', { hasText: /转码 \d+%/ }).waitFor({ timeout: TRANSCODE_TIMEOUT });
  t.equal(await galaItem.locator('.badge').innerText(), '转码中', 'transcoding: its badge and a live progress bar with the percent');

  await page.getByRole('button', { name: '再传一个' }).click();
  await startUpload(page, short, '太极拳表演');
  await page.locator('.upload-panel[data-phase="done"]').waitFor({ timeout: 30_000 });
  t.equal(await panelPercent(page), 100, 'the short clip uploads to 100 %');

  for (const title of ['社区春节联欢晚会', '太极拳表演']) {
    await page.locator('.clip-list li.clip[data-state="in_review"]', { hasText: title }).waitFor({ timeout: TRANSCODE_TIMEOUT });
  }
  t.equal(await galaItem.locator('.badge').innerText(), '待审核', 'transcoded, both wait for review');
  t.equal(await galaItem.locator('.transcode').count(), 0, 'the progress bar is gone once transcoded');

  await page.getByRole('link', { name: /视频审核/ }).click();
  const first = page.locator('.review-item[aria-current="true"]');
  await first.waitFor();
  t.match(await first.innerText(), /社区春节联欢晚会[\s\S]*员工上传/, 'the oldest clip is selected first, marked as a staff upload');
  t.match(await page.getByRole('link', { name: /视频审核/ }).innerText(), /2/, 'the nav shows two clips waiting');
  t.ok(await fitsWidth(page), 'the review queue fits a 360 px phone');
  await until('the clip under review plays', () => page.evaluate(() => (document.querySelector<HTMLVideoElement>('video.review-video')?.currentTime ?? 0) > 1), 30_000);

  await page.getByRole('button', { name: '通过', exact: true }).click();
  await page.getByText('「社区春节联欢晚会」已通过并发布。').waitFor();
  await page.locator('.review-item[aria-current="true"]', { hasText: '太极拳表演' }).waitFor();
  await page.getByRole('button', { name: '不通过' }).click();
  await page.getByText('请选择或填写不通过的原因。').waitFor();
  await page.getByRole('button', { name: '画面或声音不清楚' }).click();
  await page.getByLabel('不通过的原因（投稿人会看到）').fill('画面或声音不清楚，请靠近一点重新录制');
  await page.getByRole('button', { name: '不通过' }).click();
  await page.getByText('没有待审核的视频。').waitFor();

  await page.getByRole('link', { name: '视频', exact: true }).click();
  await page.locator('.clip-list li.clip[data-state="published"]', { hasText: '社区春节联欢晚会' }).locator('.badge', { hasText: '已发布' }).waitFor();
  const rejected = page.locator('.clip-list li.clip[data-state="rejected"]', { hasText: '太极拳表演' });
  t.match(await rejected.innerText(), /未通过[\s\S]*未通过的原因：画面或声音不清楚，请靠近一点重新录制/, 'the rejected clip says why');
  const api = await ctx.app.inject({ url: `/api/clips/${clipId}`, headers: admin });
  t.equal(api.json().state, 'published', 'the approved clip is published in the API too');
  t.same(editor.errors, [], 'the page raised no error');
});

t.test('a file the server refuses is explained in Chinese and in English, and an upload cut by a reload goes on from where it stopped', async (t) => {
  const ctx = await startApp(t, { listen: true });
  const admin = await staff(ctx, 'admin');
  await createChannel(ctx, admin, { name: '红星社区' });
  const dir = tempDir(t);
  const notes = makeNotVideoFile(dir);
  const lecture = await makeClipFile(dir, { seconds: 20, width: 1280, height: 720, name: 'lecture.mp4' });
  const bytes = statSync(lecture).size;
  const browser = await launchBrowser(t);
  const opened = await staffPage(t, browser, ctx, 'admin', `${ctx.url}/console/clips`);
  const { page } = opened;

  await startUpload(page, notes, '会议记录');
  await page.locator('.upload-panel[data-phase="refused"]').waitFor();
  t.match(await page.locator('.upload-panel .status').innerText(), /服务器没有接收这个文件：这个文件不是视频/, 'the server\'s reason, in Chinese');
  await page.getByRole('button', { name: 'English' }).click();
  t.match(await page.locator('.upload-panel .status').innerText(), /The server did not take this file: This file is not a video/, 'and in English after the switch');
  await page.getByRole('button', { name: '中文' }).click();
  await page.getByRole('button', { name: '再传一个' }).click();

  await throttleUploads(page, Math.round(bytes / 8));
  await startUpload(page, lecture, '法律讲堂精选');
  await until('the lecture upload passes 20 %', async () => (await panelPercent(page)) >= 20);
  await page.reload();
  await throttleUploads(page, null);
  await page.locator('.unfinished-row', { hasText: '法律讲堂精选' }).waitFor();

  const card = page.locator('.upload-card');
  await card.getByLabel('视频文件').setInputFiles(lecture);
  await card.getByText('这个文件上次没传完').waitFor();
  t.equal(await card.getByLabel('标题').inputValue(), '法律讲堂精选', 'picking the same file again fills in its title');
  await card.getByRole('button', { name: '开始上传' }).click();
  await page.locator('.upload-panel[data-phase="done"]').waitFor({ timeout: 30_000 });
  t.equal(await page.locator('.upload-panel').getAttribute('data-resumed'), 'true', 'it went on from the bytes the server kept');
  t.match(await page.locator('.upload-panel').innerText(), /上传完成/, 'the resumed upload completes');
  const clips = (await ctx.app.inject({ url: '/api/clips', headers: admin })).json() as { title: string; sizeBytes: number }[];
  t.same(clips.map((c) => [c.title, c.sizeBytes]), [['法律讲堂精选', bytes]], 'one clip, with every byte: the resumed upload, not a second one');
  t.same(opened.errors, [], 'the page raised no error');
});
