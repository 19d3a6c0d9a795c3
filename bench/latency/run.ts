// Glass-to-glass latency of the WHIP live path: Chromium's fake camera, with the wall clock burnt in,
// published by the whip-whep client → WHIP endpoint → media node (mediasoup) → live transcoder → HLS
// at /media → hls.js in a second Chromium page, sampling every 250 ms Date.now() − hls.playingDate and
// Date.now() − the clock in the frame shown, with (a) hls.js's defaults (the baseline) and (b)
// player/lib/live-config.ts, in the same run. What each figure includes: bench/README.md ("latency").
// Usage: node bench/latency/run.ts [--seconds 60] [--tune '{"liveSyncDuration":1}']
// (MEDIASOUP_WORKER_BIN is built when unset; --tune lays hls.js settings over (b)'s to try them.)
import { execFileSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { startApp, staff } from '../../test/helpers/app.ts';
import { launchBrowser } from '../../test/helpers/browser.ts';
import { startMediaNode } from '../../test/helpers/media-node.ts';
import { createBroadcast, createChannel } from '../../test/helpers/schedule.ts';
import { until } from '../../test/helpers/until.ts';
import { serveBenchPages } from './pages.ts';
import { watchSegments, type SegmentWatch } from './segments.ts';

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: process.env.LATENCY_SECONDS ?? '60' }, tune: { type: 'string', default: '{}' } },
});
const SECONDS = Number(values.seconds);
/** hls.js settings laid over LIVE_EDGE_CONFIG for (b), to try a change before making it. */
const TUNE = JSON.parse(values.tune) as Record<string, unknown>;
const TARGET = { median: 2500, p95: 3000 };

interface Measured {
  /** Date.now() − hls.playingDate, ms. */
  samples: number[];
  /** Date.now() − the clock burnt into the frame on screen, ms. */
  stamped: number[];
  unreadable: number;
  waiting: number;
  waitingMs: number;
  bufferStalled: number;
  seeks: number;
  heights: number[];
  errors: string[];
  startMs: number | null;
}

const teardowns: (() => unknown)[] = [];
const t = { teardown: (fn: () => unknown) => teardowns.push(fn) };

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
const seconds = (ms: number) => (ms / 1000).toFixed(2);

async function measure(page: Page, url: string, tuned: boolean): Promise<Measured> {
  return page.evaluate(
    ([u, tu, s, o]) => (window as unknown as { measure(u: string, t: boolean, s: number, o: object): Promise<Measured> }).measure(u, tu, s, o),
    [url, tuned, SECONDS, TUNE] as const,
  );
}

// The figures move with whatever else the machine runs: say how busy it was.
const load = () => `load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${availableParallelism()} CPUs`;

async function main(): Promise<void> {
  console.log(`${new Date().toISOString()}, ${load()}`);
  process.env.MEDIASOUP_WORKER_BIN ??= execFileSync(process.execPath, ['scripts/mediasoup.mjs'], { encoding: 'utf8' }).trim().split('\n').at(-1);
  const ctx = await startApp(t, { listen: true });
  await startMediaNode(t, ctx);
  const admin = await staff(ctx, 'admin');
  const broadcast = await createBroadcast(ctx, admin, (await createChannel(ctx, admin)).id);
  const pages = await serveBenchPages();
  t.teardown(() => pages.close());

  const browser = await launchBrowser(t, { fakeMedia: true });
  const publisher = await (await browser.newContext()).newPage();
  await publisher.goto(pages.publisher);
  await publisher.waitForFunction(() => 'publish' in window, undefined, { timeout: 10_000 });
  type Sizes = { camera: MediaTrackSettings; sent: MediaTrackSettings };
  const { camera, sent } = await publisher.evaluate(
    ([url, key]) => (window as unknown as { publish(u: string, k: string): Promise<Sizes> }).publish(url, key),
    [broadcast.links.whip, broadcast.streamKey] as const,
  );
  console.log(`publishing the fake camera (${camera.width}×${camera.height} ${camera.frameRate} fps) stamped, as ${sent.width}×${sent.height}, to ${broadcast.links.whip}`);

  const master = await until('the master playlist exists', async () => {
    const res = await fetch(broadcast.links.hls);
    return res.ok ? res.text() : undefined;
  }, 30_000, 100);
  const top = master.split('\n').find((line, i, lines) => lines[i - 1]?.includes('RESOLUTION=1280x720'));
  if (!top) throw new Error(`no 720p rendition in\n${master}`);
  const segments = watchSegments(new URL(top, broadcast.links.hls).href);
  t.teardown(() => segments.stop());
  await until('the 720p rendition has 3 segments', () => segments.count() >= 3, 20_000, 100);

  const player = await (await browser.newContext()).newPage();
  await player.goto(pages.player);
  await player.waitForFunction(() => 'measure' in window, undefined, { timeout: 10_000 });
  console.log(`playing ${broadcast.links.hls} for ${SECONDS} s with each config…`);
  if (values.tune !== '{}') console.log(`(b) with ${values.tune} over LIVE_EDGE_CONFIG`);
  const defaults = await measure(player, broadcast.links.hls, false);
  const tuned = await measure(player, broadcast.links.hls, true);
  report(defaults, tuned, segments);
  console.log(`${new Date().toISOString()}, ${load()}`);
}

function summary(samples: number[]) {
  const sorted = [...samples].sort((x, y) => x - y);
  return { median: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), max: sorted.at(-1) ?? Number.NaN };
}
type Summary = ReturnType<typeof summary>;

const figures = (s: Summary) => `${seconds(s.median)} / ${seconds(s.p95)} / ${seconds(s.max)}`;
const ratio = (b: Summary, a: Summary) => `median ${(b.median / a.median).toFixed(2)}×, p95 ${(b.p95 / a.p95).toFixed(2)}×`;
const meets = (s: Summary, m: Measured) => s.median <= TARGET.median && s.p95 <= TARGET.p95 && m.waiting === 0 && m.bufferStalled === 0;

function report(a: Measured, b: Measured, segments: SegmentWatch): void {
  const pdt = [summary(a.samples), summary(b.samples)];
  const glass = [summary(a.stamped), summary(b.stamped)];
  console.log('\n| player | Date.now() − hls.playingDate: median / p95 / max s | burnt-in clock: median / p95 / max s | stalls (time) | BUFFER_STALLED | seeks | samples (unreadable stamp) | first frame s | heights played |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  [a, b].forEach((m, i) => {
    const name = i === 0 ? '(a) hls.js defaults' : '(b) LIVE_EDGE_CONFIG';
    const first = m.startMs === null ? '—' : seconds(m.startMs);
    console.log(`| ${name} | ${figures(pdt[i])} | ${figures(glass[i])} | ${m.waiting} (${seconds(m.waitingMs)} s) | ${m.bufferStalled} | ${m.seeks} | ${m.samples.length} (${m.unreadable}) | ${first} | ${[...new Set(m.heights)].join('/') || '—'} |`);
  });
  console.log(`\n(b)/(a) by hls.playingDate: ${ratio(pdt[1], pdt[0])}; by the burnt-in clock: ${ratio(glass[1], glass[0])}`);
  const offsets = [0, 1].map((i) => seconds(glass[i].median - pdt[i].median));
  console.log(`the burnt-in clock reads ${offsets.join(' s / ')} s more than hls.playingDate (medians, (a) / (b)): what EXT-X-PROGRAM-DATE-TIME leaves out`);
  const [pdtEnd, firstFrame, durations] = [segments.afterPdtEnd(), segments.afterFirstFrame(), segments.durations()].map(summary);
  const long = segments.durations().filter((ms) => ms >= 1500).length;
  console.log(`720p segments (${segments.durations().length} seen arriving, EXTINF median / p95 / max ${figures(durations)} s, ${long} of 1.5 s or more) became readable:`);
  console.log(`  ${figures(firstFrame)} s (median / p95 / max) after their first frame was painted (${segments.afterFirstFrame().length} stamps read): ingest + transcode + segmenting, no player`);
  console.log(`  ${figures(pdtEnd)} s after their end by EXT-X-PROGRAM-DATE-TIME`);
  for (const [name, m] of [['(a)', a], ['(b)', b]] as const) if (m.errors.length) console.log(`${name} hls.js errors: ${[...new Set(m.errors)].join(', ')}`);
  const verdict = (s: Summary) => (meets(s, b) ? 'met' : 'NOT met');
  console.log(`target with (b) (median ≤ ${seconds(TARGET.median)} s, p95 ≤ ${seconds(TARGET.p95)} s, no stall): by hls.playingDate ${verdict(pdt[1])}; by the burnt-in clock ${verdict(glass[1])}`);
}

try {
  await main();
} finally {
  for (const fn of teardowns.reverse()) await fn();
}
process.exit(0);
