// Time from navigation to the first rendered video frame on the watch page of a live broadcast, in
// headless Chromium on loopback: a fresh browser context (empty cache, as a resident's first visit) per
// navigation, the first frame taken from requestVideoFrameCallback (its `now` counts from the
// navigation's start). Baseline in the same run: a bare page with hls.js's full build and default
// config playing the same master playlist. The broadcast: a real ffmpeg feed over plain RTP into the
// real control plane, media node and live transcoder (test/helpers/live-rtp.ts).
// Usage: node bench/first-frame/run.ts [--runs 10]   (MEDIASOUP_WORKER_BIN is built when unset)
import { execFileSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../../test/helpers/browser.ts';
import { liveOverRtp } from '../../test/helpers/live-rtp.ts';
import { servePages } from '../../test/helpers/pages.ts';
import { until } from '../../test/helpers/until.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' } } });
const RUNS = Number(values.runs);
const TARGET_MS = 1500;
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const teardowns: (() => unknown)[] = [];
const t = { teardown: (fn: () => unknown) => teardowns.push(fn) };

// Installed before any page script: the first frame any <video> on the page presents.
const FIRST_FRAME = `
new MutationObserver((_, observer) => {
  const video = document.querySelector('video');
  if (!video) return;
  observer.disconnect();
  video.requestVideoFrameCallback((now) => { window.firstFrame = now; });
}).observe(document, { childList: true, subtree: true });
`;

/** hls.js (full build, minified as a site would ship it) with its defaults, playing the URL in the fragment, muted. */
async function baselinePage(): Promise<string> {
  const script = `
import Hls from 'hls.js';
const video = Object.assign(document.createElement('video'), { muted: true, autoplay: true, playsInline: true });
document.body.append(video);
const hls = new Hls();
hls.loadSource(decodeURIComponent(location.hash.slice(1)));
hls.attachMedia(video);
`;
  const out = await build({ stdin: { contents: script, resolveDir: ROOT, loader: 'js' }, bundle: true, minify: true, format: 'esm', write: false, logLevel: 'silent' });
  return `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>hls.js baseline</title><script type="module">${out.outputFiles[0].text}</script></head><body></body></html>`;
}

async function firstFrame(browser: Browser, url: string): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  try {
    await context.addInitScript(FIRST_FRAME);
    const page = await context.newPage();
    await page.goto(url);
    const handle = await page.waitForFunction(() => (window as unknown as { firstFrame?: number }).firstFrame, undefined, { timeout: 30_000, polling: 50 });
    return (await handle.jsonValue()) as number;
  } finally {
    await context.close();
  }
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
const summary = (samples: number[]) => {
  const s = [...samples].sort((a, b) => a - b);
  return { median: quantile(s, 0.5), p90: quantile(s, 0.9), min: s[0], max: s.at(-1)! };
};
const secs = (ms: number) => (ms / 1000).toFixed(2);
const load = () => `load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${availableParallelism()} CPUs`;

async function main(): Promise<void> {
  console.log(`${new Date().toISOString()}, ${load()}`);
  process.env.MEDIASOUP_WORKER_BIN ??= execFileSync(process.execPath, ['scripts/mediasoup.mjs'], { encoding: 'utf8' }).trim().split('\n').at(-1);
  execFileSync(process.execPath, ['scripts/build-web.mjs'], { stdio: 'ignore' });
  const live = await liveOverRtp(t);
  await until('the broadcast is live', async () => (await live.state()) === 'live', 30_000, 200);
  const pages = await servePages({ '/baseline': await baselinePage() });
  t.teardown(() => pages.close());
  const baselineUrl = `${pages.url('/baseline')}#${encodeURIComponent(live.broadcast.links.hls)}`;
  const browser = await launchBrowser(t);
  console.log(`live broadcast ${live.broadcast.id} (640×360 feed, 1-s segments); ${RUNS} navigations each, a fresh context every time, alternating`);
  // One warm-up each: the first navigation of a fresh browser pays for its own start-up.
  await firstFrame(browser, live.broadcast.links.watch);
  await firstFrame(browser, baselineUrl);
  const watch: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    watch.push(await firstFrame(browser, live.broadcast.links.watch));
    baseline.push(await firstFrame(browser, baselineUrl));
  }
  const w = summary(watch);
  const b = summary(baseline);
  console.log('\n| page | first frame: median / p90 / min / max s |');
  console.log('| --- | --- |');
  console.log(`| watch page (links.watch) | ${secs(w.median)} / ${secs(w.p90)} / ${secs(w.min)} / ${secs(w.max)} |`);
  console.log(`| baseline: bare page, hls.js full build, default config | ${secs(b.median)} / ${secs(b.p90)} / ${secs(b.min)} / ${secs(b.max)} |`);
  console.log(`\nwatch / baseline: median ${(w.median / b.median).toFixed(2)}×, p90 ${(w.p90 / b.p90).toFixed(2)}×`);
  console.log(`target (median < ${secs(TARGET_MS)} s on loopback): ${w.median < TARGET_MS ? 'met' : 'NOT met'}`);
  console.log(`${new Date().toISOString()}, ${load()}`);
}

try {
  await main();
} finally {
  for (const fn of teardowns.reverse()) await fn();
}
process.exit(0);
