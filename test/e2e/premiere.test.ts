// A premiere in real Chromium: a clip uploaded through tus, transcoded by the media node and approved
// is scheduled a few seconds ahead; a resident waiting on the watch page sees it turn live on time, a
// second one opens the page later and joins at the live point, not at the start; both play the same
// moment of the clip; after the end the page plays the replay from the start.
// Run alone: MEDIASOUP_WORKER_BIN=$(node scripts/mediasoup.mjs) node node_modules/.bin/tap <this file> (after node scripts/build-web.mjs)
import t from 'tap';
import type { Page, Response } from 'playwright-core';
import { staff, startApp, TEST_PASSWORD } from '../helpers/app.ts';
import { launchBrowser, phonePage } from '../helpers/browser.ts';
import { createChannel } from '../helpers/schedule.ts';
import { premiereSoon, publishedThroughUpload } from '../helpers/premiere-clip.ts';
import { tempDir } from '../helpers/media.ts';
import { startMediaNode } from '../helpers/media-node.ts';
import { until } from '../helpers/until.ts';

const PATIENT = 45_000;
const CLIP_SECONDS = 36;
const SEGMENT_MS = 2000;

const ctx = await startApp(t, { listen: true, env: { LINBO_PAGE_POLL_MS: '500' } });
await startMediaNode(t, ctx);
const browser = await launchBrowser(t);
const admin = await staff(ctx, 'admin');
const channel = await createChannel(ctx, admin);
const clip = await publishedThroughUpload(ctx, admin, channel.id, tempDir(t, 'premiere'), CLIP_SECONDS);
const { start, premiere } = await premiereSoon(ctx, admin, channel.id, clip.id, 5);

/**
 * A resident's phone on the watch page. hls.js counts a live stream's time from the first segment of
 * the first media playlist it read, so the program date-time on screen is that segment's date plus
 * the video's currentTime (what hls.playingDate computes).
 */
interface Viewer {
  page: Page;
  /** The first media playlist the page read, once it has. */
  firstPlaylist(): string | undefined;
  errors: string[];
}

async function openViewer(): Promise<Viewer> {
  const { context, page } = await phonePage(browser);
  t.teardown(() => context.close());
  page.setDefaultTimeout(PATIENT);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  let first: string | undefined;
  // How often the video waited for data while playing: each such stall makes hls.js hold back a second more.
  await page.addInitScript(() => {
    (window as unknown as { waits: number }).waits = 0;
    document.addEventListener('waiting', () => (window as unknown as { waits: number }).waits++, true);
  });
  page.on('response', (response: Response) => {
    if (first === undefined && /\/premiere\/[^/]+\/index\.m3u8$/.test(response.url()) && response.ok()) {
      first = '';
      response.text().then((text) => (first = text), () => (first = undefined));
    }
  });
  await page.goto(premiere.links.watch);
  return { page, firstPlaylist: () => first || undefined, errors };
}

interface OnScreen {
  /** The program date-time on screen, ms since the epoch (NaN before playback). */
  date: number;
  currentTime: number;
  paused: boolean;
  /** `waiting` events so far. */
  waits: number;
}

async function onScreen(viewer: Viewer): Promise<OnScreen> {
  const video = await viewer.page.evaluate(() => {
    const v = document.querySelector('video');
    const waits = (window as unknown as { waits: number }).waits;
    return v ? { currentTime: v.currentTime, paused: v.paused, waits } : { currentTime: 0, paused: true, waits };
  });
  const firstDate = /#EXT-X-PROGRAM-DATE-TIME:(.*)/.exec(viewer.firstPlaylist() ?? '')?.[1];
  return { ...video, date: firstDate ? Date.parse(firstDate) + video.currentTime * 1000 : NaN };
}

const playing = (viewer: Viewer, reason: string) =>
  until(
    reason,
    async () => {
      const now = await onScreen(viewer);
      return !now.paused && Number.isFinite(now.date) && now.currentTime > 0.5 ? now : undefined;
    },
    PATIENT,
    200,
  ).catch((err: Error) => {
    throw new Error(`${err.message}; page errors: ${viewer.errors.join('; ')}`);
  });

const early = await openViewer();

t.test('the resident waiting on the watch page sees the countdown, then the premiere live from its scheduled second', async (t) => {
  await early.page.getByText('距离开播还有').waitFor();
  t.equal(await early.page.locator('video').count(), 0, 'no player before the start');
  await early.page.locator('.badge-live').waitFor();
  const live = (await ctx.app.inject({ url: `/api/broadcasts/${premiere.id}` })).json();
  t.equal(live.state, 'live');
  t.equal(live.startedAt, start, 'live from the scheduled second');
  const now = await playing(early, 'the waiting resident\'s page did not start playing');
  t.ok(now.date >= Date.parse(start) && now.date < Date.parse(start) + 4 * SEGMENT_MS, 'she plays the clip from its start');
});

t.test('a resident who opens the page later joins at the live point, on the same moment as the first', async (t) => {
  await until('eight seconds of the premiere did not pass', () => Date.now() >= Date.parse(start) + 8000, PATIENT, 100);
  const late = await openViewer();
  await late.page.locator('.badge-live').waitFor();
  const first = await playing(late, 'the late resident\'s page did not start playing');
  t.ok(first.date >= Date.parse(start) + 4000, 'not from the beginning of the clip');
  // Each phone's hls.js settles its distance to the live edge in its first seconds (a stall near the
  // edge makes it hold back a second more); then both are read at once, once a second, five times.
  await until('the late phone did not play on for six seconds', async () => (await onScreen(late)).currentTime >= first.currentTime + 6, PATIENT, 200);
  const gaps: number[] = [];
  const waits: string[] = [];
  let reads = 0;
  await until(
    'five readings of both phones were not taken',
    async () => {
      const [a, b] = await Promise.all([onScreen(early), onScreen(late)]);
      reads++;
      if (!a.paused && !b.paused) gaps.push(Math.abs(a.date - b.date));
      const now = Date.now();
      waits.push(`${a.waits}/${b.waits} (${((now - a.date) / 1000).toFixed(1)}/${((now - b.date) / 1000).toFixed(1)} s behind the clock)`);
      return reads >= 5;
    },
    PATIENT,
    1000,
  );
  t.ok(gaps.length >= 3, `both were playing when read (${gaps.length} of ${reads})`);
  t.ok(Math.max(...gaps) <= SEGMENT_MS, `the two phones play the same point within one segment (gaps ${gaps.map((g) => g.toFixed(0)).join(', ')} ms; waits early/late ${waits.join(', ')})`);
});

t.test('after the clip has played out the premiere ends and the same page plays the replay from its start', async (t) => {
  await early.page.locator('.badge-replay').waitFor({ timeout: (CLIP_SECONDS + 20) * 1000 });
  const ended = (await ctx.app.inject({ url: `/api/broadcasts/${premiere.id}` })).json();
  t.equal(ended.endedReason, 'finished');
  t.ok(ended.replay.ready);
  const replay = await until(
    'the replay did not play from its start',
    () =>
      early.page.evaluate(() => {
        const v = document.querySelector('video');
        return v && !v.paused && v.currentTime > 0.5 && v.currentTime < 10 && Number.isFinite(v.duration) ? { duration: v.duration } : null;
      }),
    PATIENT,
    200,
  );
  t.ok(replay.duration >= CLIP_SECONDS - 1, `the whole clip (${replay.duration.toFixed(1)} s)`);
});

t.test('an editor schedules a premiere in the console by choosing a published clip; its length follows the clip', async (t) => {
  const { context, page } = await phonePage(browser);
  t.teardown(() => context.close());
  page.setDefaultTimeout(PATIENT);
  await page.goto(`${ctx.url}/console`);
  await page.getByLabel('用户名').fill('admin');
  await page.getByLabel('密码').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('link', { name: '节目', exact: true }).waitFor();
  await page.goto(`${ctx.url}/console/broadcasts/new`);
  await page.getByLabel('标题').fill('重阳晚会 · 重播首映');
  t.notOk(await page.getByLabel('首映的视频').isVisible(), 'no clip to choose for a lecture');
  await page.getByLabel('类型').selectOption('premiere');
  await page.getByRole('option', { name: /重阳节文艺汇演 · 0:36/ }).waitFor({ state: 'attached' });
  t.notOk(await page.getByLabel('时长（分钟）').isVisible(), 'no duration to type: the clip has one');
  t.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 360), 'fits a 360-px phone');
  await page.getByRole('button', { name: '创建节目' }).click();
  await page.waitForURL(/\/console\/broadcasts\/[0-9a-f-]{36}$/);
  const id = page.url().split('/').at(-1);
  const made = (await ctx.app.inject({ url: `/api/broadcasts/${id}`, headers: admin })).json();
  t.same([made.kind, made.clipId, made.durationMinutes], ['premiere', clip.id, 1]);
});
