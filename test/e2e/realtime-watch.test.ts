// Watch live with the realtime channel, end to end with real parts: a broadcast fed over plain RTP by a
// real ffmpeg through the media node and the live transcoder; a resident's watch page in Chromium plays
// it, shows how many watch, lets her ask, say "me too" and like; the assigned host's studio page sees the
// question, the upvote and the likes, pins a later one and marks the first answered; her page shows it answered; when the
// broadcast ends the same page plays the replay. The page's own poll is set to ten minutes, so every
// change it shows came over the channel.
// Run alone: MEDIASOUP_WORKER_BIN=$(node scripts/mediasoup.mjs) node node_modules/.bin/tap <this file>
import t from 'tap';
import type { Page } from 'playwright-core';
import { staff, startApp } from '../helpers/app.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { segments } from '../helpers/live-rtp.ts';
import { sendTestPattern, startMediaNode } from '../helpers/media-node.ts';
import { residentPage, staffPage } from '../helpers/realtime-pages.ts';
import { createBroadcast, createChannel } from '../helpers/schedule.ts';
import { until } from '../helpers/until.ts';

// Live playback on a loaded 2-core machine takes its time.
const PATIENT = 45_000;
const QUESTION = '没有遗嘱，独生子女能继承全部财产吗？';
const LATER = '房产证上只有父亲的名字怎么办？';

interface VideoNow {
  paused: boolean;
  currentTime: number;
  duration: number;
}
const video = (page: Page): Promise<VideoNow | null> =>
  page.evaluate(() => {
    const v = document.querySelector('video');
    return v && { paused: v.paused, currentTime: v.currentTime, duration: v.duration };
  });
/** The page's video plays on by more than a second from where it is now. */
async function playsOn(page: Page, reason: string, also: (v: VideoNow) => boolean = () => true): Promise<VideoNow> {
  const from = (await video(page))?.currentTime ?? 0;
  let last: VideoNow | null = null;
  try {
    return await until(
      reason,
      async () => {
        last = await video(page);
        return last && !last.paused && last.currentTime > from + 1 && also(last) ? last : null;
      },
      PATIENT,
      200,
    );
  } catch (err) {
    throw new Error(`${(err as Error).message}; the video: ${JSON.stringify(last)}`);
  }
}

t.test('a resident watches live, asks and upvotes; the host sees it and marks it answered; the page then plays the replay', async (t) => {
  const ctx = await startApp(t, { listen: true, env: { LINBO_PAGE_POLL_MS: '600000' } });
  await startMediaNode(t, ctx);
  const admin = await staff(ctx, 'admin');
  const host = await staff(ctx, 'host', 'lecture-host');
  const broadcast = await createBroadcast(ctx, admin, (await createChannel(ctx, admin)).id, { hostId: host.id, title: '红色直播间 · 遗产继承' });
  const opened = await ctx.app.inject({ method: 'POST', url: `/api/broadcasts/${broadcast.id}/ingest/rtp`, headers: admin, payload: { width: 640, height: 360 } });
  t.equal(opened.statusCode, 200, 'the plain-RTP ingest opens');
  sendTestPattern(t, opened.json().ffmpegArgs, '640x360');
  const playlist = broadcast.links.hls.replace(/master\.m3u8$/, '360p/index.m3u8');
  await until('the 360p playlist has 3 segments', async () => segments(await (await fetch(playlist)).text()).length >= 3, PATIENT, 200);
  const browser = await launchBrowser(t, { fakeMedia: true });

  const resident = await residentPage(t, browser, broadcast.links.watch);
  await playsOn(resident.page, 'the watch page plays the live broadcast');
  await resident.page.locator('.rt-now', { hasText: /在线 [1-9]\d* 人/ }).waitFor();
  // The total counts devices recorded once a second (one statement for all who joined): it may follow a tick later.
  await resident.page.locator('.rt-total', { hasText: /累计 [1-9]\d* 人看过/ }).waitFor({ timeout: 10_000 });
  t.match(await resident.page.locator('.rt-total').innerText(), /累计 [1-9]\d* 人看过/, 'the page shows how many watch now and in all');

  await resident.page.getByLabel('您的称呼（可以不填）').fill('王大爷');
  await resident.page.getByLabel('想问主讲人的问题').fill(QUESTION);
  await resident.page.getByRole('button', { name: '提问', exact: true }).click();
  const asked = resident.page.locator('.rt-question', { hasText: QUESTION });
  await asked.waitFor();
  await asked.getByRole('button', { name: /同问 0/ }).click();
  await asked.getByRole('button', { name: /已同问 1/ }).waitFor();
  t.ok(await asked.getByRole('button', { name: /已同问/ }).isDisabled(), 'an upvote once: the button is spent');
  t.ok(await resident.page.evaluate(() => document.documentElement.scrollWidth <= 360), 'the page with its panel fits a 360 px phone');
  for (let tap = 0; tap < 3; tap++) await resident.page.getByRole('button', { name: /点赞/ }).click();

  const studio = await staffPage(t, browser, ctx, 'lecture-host', broadcast.links.studio);
  const queued = studio.page.locator('.studio-questions .rt-row', { hasText: QUESTION });
  await queued.locator('.rt-upvotes', { hasText: '同问 1' }).waitFor();
  t.equal(await queued.locator('.rt-author').innerText(), '王大爷', 'the host sees who asked');
  await studio.page.locator('.studio-questions .rt-counts', { hasText: /在线 [1-9]\d* 人 · 最高 [1-9]\d* 人 · 累计 [1-9]\d* 人 · 点赞 3/ }).waitFor();
  await resident.page.getByLabel('想问主讲人的问题').fill(LATER);
  await resident.page.getByRole('button', { name: '提问', exact: true }).click();
  const later = studio.page.locator('.studio-questions .rt-row', { hasText: LATER });
  await later.getByRole('button', { name: '置顶' }).click();
  await resident.page.locator('.rt-question').first().locator('.rt-badge-pinned', { hasText: '置顶' }).waitFor();
  t.match(await resident.page.locator('.rt-question').first().innerText(), LATER, 'the pinned question leads the resident\'s list, ahead of the upvoted one');
  await queued.getByRole('button', { name: '已回答' }).click();
  await queued.locator('.badge.rt-answered').waitFor();

  await asked.locator('.rt-badge-answered', { hasText: '已回答' }).waitFor();
  t.ok(await asked.locator('.rt-badge-answered').isVisible(), 'the resident sees her question answered');

  const ended = await ctx.app.inject({ method: 'POST', url: `/api/broadcasts/${broadcast.id}/end`, headers: admin });
  t.equal(ended.statusCode, 200, 'staff end the broadcast');
  await resident.page.getByText('回放', { exact: true }).waitFor({ timeout: PATIENT });
  const replay = await playsOn(resident.page, 'the same page plays the replay from its start', (v) => v.currentTime < 10 && Number.isFinite(v.duration));
  t.ok(replay.duration > 3, `a replay of ${replay.duration.toFixed(1)} s`);
  await resident.page.locator('.rt-ask').waitFor({ state: 'hidden' });
  t.ok(await asked.locator('.rt-badge-answered').isVisible(), 'the answered question stays on the replay page; asking is closed');
  t.same([...resident.errors, ...studio.errors], [], 'no page raised an error');
});
