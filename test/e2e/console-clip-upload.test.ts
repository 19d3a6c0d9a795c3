// The console's upload card, clips list and channel switch in real Chromium against the real app: a
// file the server refuses is explained in both languages, an upload cut by a reload goes on from where
// it stopped, a queued clip is cancelled, retried and deleted, and each channel says whether staff
// uploads wait for review.
import t from 'tap';
import { readFileSync, statSync } from 'node:fs';
import { staff, startApp } from '../helpers/app.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { makeClipFile, makeNotVideoFile } from '../helpers/clip-files.ts';
import { sendClip } from '../helpers/clip-upload.ts';
import { panelPercent, startUpload, tempDir, throttleUploads } from '../helpers/console-clips.ts';
import { staffPage } from '../helpers/realtime-pages.ts';
import { createChannel } from '../helpers/schedule.ts';
import { until } from '../helpers/until.ts';
import { uploadsEndpoint } from '../helpers/uploads.ts';

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

t.test("the channel page's 员工上传也需审核 switch turns the review of staff uploads off and on", async (t) => {
  const ctx = await startApp(t, { listen: true });
  const admin = await staff(ctx, 'admin');
  const channel = await createChannel(ctx, admin, { name: '红星社区' });
  const browser = await launchBrowser(t);
  const opened = await staffPage(t, browser, ctx, 'admin', `${ctx.url}/console/channels`);
  const toggle = opened.page.locator('.rows li', { hasText: '红星社区' }).getByLabel('员工上传也需审核');
  t.ok(await toggle.isChecked(), 'on by default');
  const reviews = async () => (await ctx.app.inject({ url: `/api/channels/${channel.id}`, headers: admin })).json().reviewStaffUploads;
  await toggle.uncheck();
  await opened.page.locator('[data-review-staff="false"]').waitFor();
  t.equal(await reviews(), false, 'off: saved on the channel');
  await opened.page.reload();
  t.notOk(await toggle.isChecked(), 'and shown so after a reload');
  await toggle.check();
  await opened.page.locator('[data-review-staff="true"]').waitFor();
  t.equal(await reviews(), true, 'on again');
  t.same(opened.errors, [], 'the page raised no error');
});

t.test('a clip waiting for a transcoder is cancelled, says why it failed, is retried and deleted from the clips list', async (t) => {
  // No media node: the clip's job waits in the queue, so each step happens at the staff member's pace.
  const ctx = await startApp(t, { listen: true });
  const admin = await staff(ctx, 'admin');
  const channel = await createChannel(ctx, admin, { name: '红星社区' });
  const dir = tempDir(t);
  const file = await makeClipFile(dir, { seconds: 2, width: 320, height: 240, name: 'rehearsal.mp4' });
  const { clipId } = await sendClip(uploadsEndpoint(ctx), readFileSync(file), { headers: admin, metadata: { channelId: channel.id, title: '合唱团排练' }, chunkSize: 64 * 1024 * 1024 }).finished;
  const browser = await launchBrowser(t);
  const opened = await staffPage(t, browser, ctx, 'admin', `${ctx.url}/console/clips`);
  const item = opened.page.locator(`.clip-list li.clip[data-id="${clipId}"]`);

  await item.getByText('排队等待转码…').waitFor();
  await item.getByRole('button', { name: '取消', exact: true }).click();
  await item.getByText('确定取消转码吗？').waitFor();
  await item.getByRole('button', { name: '取消', exact: true }).click();
  await opened.page.locator(`.clip-list li.clip[data-id="${clipId}"][data-state="failed"]`).waitFor();
  t.match(await item.innerText(), /失败[\s\S]*失败的原因：转码已取消/, 'cancelled: failed, saying why');

  await item.getByRole('button', { name: '重试' }).click();
  await item.getByText('排队等待转码…').waitFor();
  t.equal(await item.getAttribute('data-state'), 'uploaded', 'retried: queued again');

  await item.getByRole('button', { name: '取消', exact: true }).click();
  await item.getByRole('button', { name: '取消', exact: true }).click();
  await opened.page.locator(`.clip-list li.clip[data-id="${clipId}"][data-state="failed"]`).waitFor();
  await item.getByRole('button', { name: '删除', exact: true }).click();
  await item.getByText('确定删除「合唱团排练」吗？删除后不能恢复。').waitFor();
  await item.getByRole('button', { name: '删除', exact: true }).click();
  await opened.page.locator('.clip-list').getByText('还没有视频。').waitFor();
  t.equal((await ctx.app.inject({ url: `/api/clips/${clipId}`, headers: admin })).statusCode, 404, 'deleted: gone from the API too');
  t.same(opened.errors, [], 'the page raised no error');
});

t.test('a paused upload that is given up is removed from the server and the form comes back', async (t) => {
  const ctx = await startApp(t, { listen: true });
  const admin = await staff(ctx, 'admin');
  await createChannel(ctx, admin, { name: '红星社区' });
  const dir = tempDir(t);
  const file = await makeClipFile(dir, { seconds: 10, width: 1280, height: 720, name: 'visit.mp4' });
  const browser = await launchBrowser(t);
  const { page, errors } = await staffPage(t, browser, ctx, 'admin', `${ctx.url}/console/clips`);
  await throttleUploads(page, Math.round(statSync(file).size / 8));
  await startUpload(page, file, '走访独居老人');
  await until('the upload passes 10 %', async () => (await panelPercent(page)) >= 10);
  await page.getByRole('button', { name: '暂停' }).click();
  await page.locator('.upload-panel[data-phase="paused"]').waitFor();
  const clipId = (await page.locator('.upload-panel').getAttribute('data-clip-id'))!;
  await page.getByRole('button', { name: '不传了' }).click();
  await page.getByRole('button', { name: '开始上传' }).waitFor();
  const head = await page.context().request.head(`${ctx.url}/api/uploads/${clipId}`, { headers: { 'tus-resumable': '1.0.0' } });
  t.equal(head.status(), 404, 'the server no longer holds its bytes');
  await page.reload();
  await page.getByRole('button', { name: '开始上传' }).waitFor();
  t.equal(await page.locator('.unfinished-row').count(), 0, 'and a reload does not offer to resume it');
  t.same(errors, [], 'the page raised no error');
});
