// The console's clips in real Chromium against the real app and a real media node: a staff member
// uploads recordings through the page's file input (tus-js-client), pauses and resumes one, follows
// the transcode, and an editor reviews them in the queue with the clip playing.
import t from 'tap';
import { readFileSync, statSync } from 'node:fs';
import { staff, startApp } from '../helpers/app.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { makeClipFile } from '../helpers/clip-files.ts';
import { sendClip } from '../helpers/clip-upload.ts';
import { startMediaNode } from '../helpers/media-node.ts';
import { staffPage } from '../helpers/realtime-pages.ts';
import { createChannel } from '../helpers/schedule.ts';
import { fitsWidth, panelPercent, recordPercents, startUpload, tempDir, throttleUploads } from '../helpers/console-clips.ts';
import { until } from '../helpers/until.ts';
import { residentDevice, uploadsEndpoint } from '../helpers/uploads.ts';

const TRANSCODE_TIMEOUT = 120_000;

t.test('staff upload two recordings (one paused and resumed) and watch them transcode; an editor approves one playing in the review queue, rejects the other with a reason, then approves a resident\'s video', async (t) => {
  const ctx = await startApp(t, { listen: true });
  await startMediaNode(t, ctx);
  const admin = await staff(ctx, 'admin');
  await staff(ctx, 'editor', 'editor1');
  const channel = await createChannel(ctx, admin, { name: '红星社区' });
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
  t.notOk(await page.getByRole('button', { name: '继续' }).isVisible(), 'while it uploads, 暂停 is offered and 继续 is not');
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

  // A resident's video from the submission page, sent as its tus client sends it.
  await sendClip(uploadsEndpoint(ctx), readFileSync(short), {
    headers: residentDevice(),
    metadata: { channelId: channel.id, title: '我的书法', filename: 'shufa.mp4', displayName: '王阿姨' },
    chunkSize: 64 * 1024 * 1024,
  }).finished;

  for (const title of ['社区春节联欢晚会', '太极拳表演', '我的书法']) {
    await page.locator('.clip-list li.clip[data-state="in_review"]', { hasText: title }).waitFor({ timeout: TRANSCODE_TIMEOUT });
  }
  t.equal(await galaItem.locator('.badge').innerText(), '待审核', 'transcoded, all three wait for review');
  t.equal(await galaItem.locator('.transcode').count(), 0, 'the progress bar is gone once transcoded');
  await page.getByRole('link', { name: /视频审核\s*3/ }).waitFor();

  await page.getByRole('link', { name: /视频审核/ }).click();
  const first = page.locator('.review-item[aria-current="true"]');
  await first.waitFor();
  t.match(await first.innerText(), /社区春节联欢晚会[\s\S]*员工上传/, 'the oldest clip is selected first, marked as a staff upload');
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
  await page.getByText('「太极拳表演」未通过。').waitFor();
  const resident = page.locator('.review-item[aria-current="true"]', { hasText: '我的书法' });
  await resident.waitFor();
  t.match(await resident.innerText(), /居民投稿\s*王阿姨/, 'a resident\'s video is marked as such, with the name she gave');
  await page.getByRole('button', { name: '通过', exact: true }).click();
  await page.getByText('没有待审核的视频。').waitFor();
  t.equal(await page.getByRole('link', { name: /视频审核/ }).innerText(), '视频审核', 'the nav count is gone with the queue');

  await page.getByRole('link', { name: '视频', exact: true }).click();
  await page.locator('.clip-list li.clip[data-state="published"]', { hasText: '社区春节联欢晚会' }).locator('.badge', { hasText: '已发布' }).waitFor();
  const rejected = page.locator('.clip-list li.clip[data-state="rejected"]', { hasText: '太极拳表演' });
  t.match(await rejected.innerText(), /未通过[\s\S]*未通过的原因：画面或声音不清楚，请靠近一点重新录制/, 'the rejected clip says why');
  const api = await ctx.app.inject({ url: `/api/clips/${clipId}`, headers: admin });
  t.equal(api.json().state, 'published', 'the approved clip is published in the API too');
  t.same(editor.errors, [], 'the page raised no error');
});
