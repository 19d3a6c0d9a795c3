// The embed from another site's point of view, in real Chromium: a parent page on another origin frames
// links.embed of a live broadcast (fed over plain RTP) and drives it with the postMessage API
// (docs/embed.md), a second page uses the <linbo-player> element, and an operator's
// LINBO_EMBED_FRAME_ANCESTORS keeps the embed out of sites it does not name.
// Run alone: MEDIASOUP_WORKER_BIN=$(node scripts/mediasoup.mjs) node node_modules/.bin/tap <this file>
import t from 'tap';
import type { Page } from 'playwright-core';
import { staff, startApp } from '../helpers/app.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { liveOverRtp } from '../helpers/live-rtp.ts';
import { servePages } from '../helpers/pages.ts';
import { createBroadcast, createChannel } from '../helpers/schedule.ts';
import { until } from '../helpers/until.ts';

const PATIENT = 45_000;

interface EmbedState {
  broadcast: string;
  playing: boolean;
  muted: boolean;
  live: boolean;
}
type Message = { linbo: string; state?: EmbedState; code?: string };
type ParentWindow = { messages: Message[]; send(message: unknown): void; states: EmbedState[]; player: HTMLElement & { play(): void; pause(): void } };

/** A parent page framing `embed` directly and keeping every message the frame posts. */
const framingPage = (embed: string) => `<!doctype html><meta charset="utf-8"><title>parent</title>
<iframe id="linbo" src="${embed}" width="640" height="360" allow="autoplay; fullscreen"></iframe>
<script>
const frame = document.getElementById('linbo');
window.messages = [];
window.addEventListener('message', (e) => { if (e.source === frame.contentWindow) messages.push(e.data); });
window.send = (m) => frame.contentWindow.postMessage(m, '*');
</script>`;

/** A parent page with the custom element, keeping every linbo-state event. */
const elementPage = (script: string, watch: string) => `<!doctype html><meta charset="utf-8"><title>element</title>
<div style="width:480px"><linbo-player id="player" broadcast="${watch}"></linbo-player></div>
<script>
window.player = document.getElementById('player');
window.states = [];
player.addEventListener('linbo-state', (e) => states.push(e.detail));
</script>
<script src="${script}"></script>`;

const latest = (page: Page) => page.evaluate(() => (window as unknown as ParentWindow).messages.filter((m) => m.linbo === 'state').at(-1)?.state ?? null);

t.test('another site frames the embed of a live broadcast and drives it by postMessage', async (t) => {
  const live = await liveOverRtp(t);
  const browser = await launchBrowser(t);
  await until('the broadcast is live', async () => (await live.state()) === 'live', PATIENT, 200);
  const embedUrl = live.broadcast.links.embed;
  const res = await fetch(embedUrl);
  t.equal(res.headers.get('content-security-policy'), 'frame-ancestors *', 'by default any site may frame it');

  const pages = await servePages({ '/parent': framingPage(embedUrl), '/element': elementPage(new URL('/linbo-player.js', embedUrl).href, live.broadcast.links.watch) });
  t.teardown(() => pages.close());
  const context = await browser.newContext();
  t.teardown(() => context.close());
  const page = await context.newPage();
  await page.goto(pages.url('/parent'));

  const playing = await until('the embed reports it plays, muted and live', async () => {
    const s = await latest(page);
    return s?.playing ? s : undefined;
  }, PATIENT, 200);
  t.equal(playing.broadcast, live.broadcast.id, 'the state names the broadcast');
  t.ok(playing.muted && playing.live, 'muted (autoplay) and live');

  await page.evaluate(() => (window as unknown as ParentWindow).send({ linbo: 'pause' }));
  await until('the embed reports it paused', async () => (await latest(page))?.playing === false, PATIENT, 200);
  await page.evaluate(() => (window as unknown as ParentWindow).send({ linbo: 'play' }));
  await until('the embed reports it plays again', async () => (await latest(page))?.playing === true, PATIENT, 200);

  const before = await page.evaluate(() => (window as unknown as ParentWindow).messages.length);
  await page.evaluate(() => (window as unknown as ParentWindow).send({ linbo: 'getState' }));
  const answer = await until('getState is answered', () =>
    page.evaluate((n) => (window as unknown as ParentWindow).messages.slice(n).find((m) => m.linbo === 'state'), before), 10_000, 100);
  t.equal(answer.state?.broadcast, live.broadcast.id, 'with the broadcast it shows');
  await page.evaluate(() => (window as unknown as ParentWindow).send({ linbo: 'dance' }));
  const refused = await until('an unknown command is refused', () =>
    page.evaluate(() => (window as unknown as ParentWindow).messages.find((m) => m.linbo === 'error')), 10_000, 100);
  t.equal(refused.code, 'UNKNOWN_COMMAND', 'an unknown command gets an error message with a stable code');
  await page.close();

  // The element, on a page of its own (one player decoding at a time on this small machine).
  const host = await context.newPage();
  await host.goto(pages.url('/element'));
  const src = await host.evaluate(() => (window as unknown as ParentWindow).player.shadowRoot?.querySelector('iframe')?.src);
  t.equal(src, embedUrl, '<linbo-player> frames the embed of the broadcast its watch link names');
  const box = await host.locator('linbo-player').boundingBox();
  t.equal(Math.round(box!.height), 270, 'at 16:9 of its width');
  const elementState = await until('<linbo-player> emits linbo-state while it plays', () =>
    host.evaluate(() => (window as unknown as ParentWindow).states.find((s) => s.playing)), PATIENT, 200);
  t.equal(elementState.broadcast, live.broadcast.id, 'the element relays the embed\'s state');
  await host.evaluate(() => (window as unknown as ParentWindow).player.pause());
  await until('pause() pauses it', () => host.evaluate(() => (window as unknown as ParentWindow).states.at(-1)?.playing === false), PATIENT, 200);
});

t.test('an operator who names the sites allowed to frame the embed keeps it out of others', async (t) => {
  const ctx = await startApp(t, { listen: true, env: { LINBO_EMBED_FRAME_ANCESTORS: 'https://news.example.org' } });
  const browser = await launchBrowser(t);
  const editor = await staff(ctx, 'editor');
  const broadcast = await createBroadcast(ctx, editor, (await createChannel(ctx, editor)).id);
  const res = await fetch(broadcast.links.embed);
  t.equal(res.headers.get('content-security-policy'), 'frame-ancestors https://news.example.org', 'the header names only the configured site');

  const pages = await servePages({ '/parent': framingPage(broadcast.links.embed) });
  t.teardown(() => pages.close());
  const context = await browser.newContext();
  t.teardown(() => context.close());
  const page = await context.newPage();
  await page.goto(pages.url('/parent'));
  const frame = await until('the frame has settled', () => page.frames().find((f) => f !== page.mainFrame() && f.url() !== 'about:blank'), 10_000, 100);
  await until('Chromium refuses to show the embed in the frame', () => frame.url().startsWith('chrome-error:'), 10_000, 100).catch((err) => {
    throw new Error(`${(err as Error).message}: the frame shows ${frame.url()}`);
  });
  t.ok(frame.url().startsWith('chrome-error:'), 'the frame shows Chromium\'s error page, not the embed');
});
