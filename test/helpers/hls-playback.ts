// hls.js's light build (what the watch page loads where MSE exists) playing a broadcast in Chromium with the residents' config (player/lib/live-config.ts, less
// its jump to the live edge: see PLAYER), for the live e2e tests: a page on its own loopback origin (so the media's CORS is exercised) plays a
// master playlist muted and keeps a report the test reads: did it start, how far the play head moved
// while playing, hls.js's fatal errors, the ladder it found, live or VOD, the discontinuity on screen,
// and whether the frame shown is a picture or one flat colour (black).
import type { Browser, Page } from 'playwright-core';
import { bundlePage, servePages } from './pages.ts';

export interface PlaybackReport {
  /** A `playing` event came. */
  readonly started: boolean;
  /** Seconds the play head moved forward while playing; seeks and jumps to the live edge left out. */
  readonly played: number;
  readonly currentTime: number;
  /** The height of the picture the media element shows (0 before the first frame): which rung plays. */
  readonly videoHeight: number;
  /** hls.js's fatal errors and the page's uncaught ones (hls.js recovers from the others itself). */
  readonly fatal: readonly string[];
  /** The renditions hls.js read from the master playlist. */
  readonly levels: readonly { readonly width: number; readonly height: number; readonly bitrate: number }[];
  /** The last media playlist hls.js loaded was live (null: none loaded yet). */
  readonly live: boolean | null;
  /** Seconds of media the last loaded media playlist lists. */
  readonly playlistSeconds: number;
  /** The media element's duration (Infinity or the live window for a live stream). */
  readonly duration: number;
  /** EXT-X-DISCONTINUITY count before the segment on screen (hls.js's `cc`). */
  readonly discontinuity: number;
  /** Brightest minus darkest luma (0-255) of the frame shown, on a 64×36 sample: 0 is one flat colour. */
  readonly contrast: number;
  /** Bytes of sound Chromium decoded (muted, it still decodes): 0 when the stream played has no sound. */
  readonly audioBytes: number;
  /** hls.js's last few non-fatal errors, which it recovers from itself; for a failure's message. */
  readonly recovered: readonly string[];
  /** What the media element holds and can do, for a failure's message. */
  readonly buffered: readonly (readonly [number, number])[];
  readonly readyState: number;
  readonly paused: boolean;
  /** Seeks, ours and hls.js's jumps toward the live edge. */
  readonly seeks: number;
  /** Where hls.js steers a live stream to (null: not live, or not known yet). */
  readonly liveSyncPosition: number | null;
}

const PLAYER = `
import Hls from 'hls.js/light';
import { LIVE_EDGE_CONFIG } from './player/lib/live-config.ts';
const report = { started: false, played: 0, seeks: 0, fatal: [], recovered: [], levels: [], live: null, playlistSeconds: 0, discontinuity: 0 };
const sample = Object.assign(document.createElement('canvas'), { width: 64, height: 36 }).getContext('2d', { willReadFrequently: true });
const contrast = (video) => {
  if (!video.videoWidth) return 0;
  sample.drawImage(video, 0, 0, 64, 36);
  const { data } = sample.getImageData(0, 0, 64, 36);
  let min = 255, max = 0;
  for (let i = 0; i < data.length; i += 4) {
    const luma = 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
    min = Math.min(min, luma);
    max = Math.max(max, luma);
  }
  return Math.round(max - min);
};
let video, hls;
window.play = (url) => {
  video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  document.body.append(video);
  let last = 0;
  video.addEventListener('playing', () => (report.started = true));
  video.addEventListener('seeked', () => (last = video.currentTime));
  video.addEventListener('seeking', () => (report.seeks += 1));
  video.addEventListener('timeupdate', () => {
    const step = video.currentTime - last;
    last = video.currentTime;
    // timeupdate comes every 250 ms or so: a bigger step is a jump, not playing.
    if (!video.seeking && !video.paused && step > 0 && step < 1) report.played += step;
  });
  // The residents' config, but no jump to the live edge: on a 2-core machine at a load average of 20
  // segments were fetched slower than written, and each 4-s jump threw the buffer away for an edge it
  // never reached (19 seeks, no 3 s played in 45). How near the edge it plays is bench/latency's to measure.
  hls = new Hls({ ...LIVE_EDGE_CONFIG, liveMaxLatencyDuration: Infinity });
  hls.on(Hls.Events.MANIFEST_PARSED, () => {
    report.levels = hls.levels.map(({ width, height, bitrate }) => ({ width, height, bitrate }));
    video.play().catch((error) => report.fatal.push('play(): ' + error));
  });
  hls.on(Hls.Events.LEVEL_LOADED, (_event, { details }) => {
    report.live = details.live;
    report.playlistSeconds = details.totalduration;
  });
  hls.on(Hls.Events.FRAG_CHANGED, (_event, { frag }) => (report.discontinuity = frag.cc));
  hls.on(Hls.Events.ERROR, (_event, data) => {
    const error = data.details + (data.error ? ': ' + data.error.message : '');
    if (data.fatal) report.fatal.push(error);
    else report.recovered = [...report.recovered.slice(-4), error];
  });
  hls.loadSource(url);
  hls.attachMedia(video);
};
window.report = () => ({
  ...report,
  currentTime: video.currentTime,
  videoHeight: video.videoHeight,
  duration: video.duration,
  contrast: contrast(video),
  audioBytes: video.webkitAudioDecodedByteCount ?? 0,
  buffered: Array.from({ length: video.buffered.length }, (_, i) => [video.buffered.start(i), video.buffered.end(i)]),
  readyState: video.readyState,
  paused: video.paused,
  liveSyncPosition: hls.liveSyncPosition,
});
window.seek = (to) => { video.currentTime = to; };
`;

type PlayerWindow = { play(url: string): void; report(): PlaybackReport; seek(to: number): void };

export interface Playback {
  report(): Promise<PlaybackReport>;
  /** Resolves once the play head has moved `seconds` further while playing; fails at the first fatal error. */
  playFor(seconds: number, timeoutMs?: number): Promise<PlaybackReport>;
  /** Polls the report until `done` holds; fails with the last report, or at the first fatal error. */
  until(reason: string, done: (report: PlaybackReport) => boolean, timeoutMs?: number): Promise<PlaybackReport>;
  seek(to: number): Promise<void>;
  close(): Promise<void>;
}

export interface HlsPlayer {
  /** A new page playing `url` (a master playlist), muted, with the project's live-edge hls.js config. */
  play(url: string): Promise<Playback>;
}

interface Teardown {
  teardown(fn: () => unknown): void;
}

/** Serves the player page and opens its pages in one context of `browser`; both closed at teardown. */
export async function hlsPlayer(t: Teardown, browser: Browser): Promise<HlsPlayer> {
  const pages = await servePages({ '/play': await bundlePage(PLAYER, 'hls.js player') });
  t.teardown(() => pages.close());
  const context = await browser.newContext();
  t.teardown(() => context.close());
  return {
    async play(url) {
      const page = await context.newPage();
      const pageErrors: string[] = [];
      page.on('pageerror', (error) => pageErrors.push(String(error)));
      await page.goto(pages.url('/play'));
      await page.waitForFunction(() => 'play' in window, undefined, { timeout: 10_000 });
      await page.evaluate((u) => (window as unknown as PlayerWindow).play(u), url);
      return playback(page, pageErrors);
    },
  };
}

function playback(page: Page, pageErrors: string[]): Playback {
  const report = async (): Promise<PlaybackReport> => {
    const read = await page.evaluate(() => (window as unknown as PlayerWindow).report());
    return { ...read, fatal: [...read.fatal, ...pageErrors] };
  };
  // Patient: on a loaded 2-core machine a live ladder falls seconds behind and hls.js waits for it.
  const until = async (reason: string, done: (report: PlaybackReport) => boolean, timeoutMs = 45_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const now = await report();
      if (now.fatal.length) throw new Error(`playback failed: ${now.fatal.join('; ')}`);
      if (done(now)) return now;
      if (Date.now() > deadline) throw new Error(`${reason} (waited ${timeoutMs} ms; the player: ${JSON.stringify(now)})`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };
  return {
    report,
    until,
    async playFor(seconds, timeoutMs) {
      const from = (await report()).played;
      return until(`the player plays ${seconds} s`, (now) => now.played >= from + seconds, timeoutMs);
    },
    seek: (to) => page.evaluate((s) => (window as unknown as PlayerWindow).seek(s), to),
    close: () => page.close(),
  };
}

/** Seconds of media a media playlist lists (its EXTINF durations). */
export const listedSeconds = (playlist: string): number => [...playlist.matchAll(/^#EXTINF:([\d.]+)/gm)].reduce((sum, m) => sum + Number(m[1]), 0);

export interface LiveWatch {
  /** The media playlist hls.js loaded was live. */
  readonly live: boolean;
  /** How many renditions hls.js read from the master playlist, and the tallest. */
  readonly rungs: number;
  readonly topHeight: number;
  /** The frame on screen is a picture, not one flat colour (see PlaybackReport.contrast). */
  readonly picture: boolean;
  /** Sound was decoded along with the picture: the light build found it in the variant it played. */
  readonly sound: boolean;
}

/** Plays a live broadcast for 3 s; fails at a fatal error. */
export async function watchLive(player: HlsPlayer, url: string): Promise<LiveWatch> {
  const playback = await player.play(url);
  try {
    const watched = await playback.playFor(3);
    return {
      live: watched.live === true,
      rungs: watched.levels.length,
      topHeight: Math.max(...watched.levels.map((level) => level.height)),
      picture: watched.contrast > 32,
      sound: watched.audioBytes > 0,
    };
  } finally {
    await playback.close();
  }
}

export interface ReplayWatch {
  /** Every media playlist hls.js loaded said VOD (no more live). */
  readonly vod: boolean;
  readonly duration: number;
  /** The media element's duration is within a second and a half of what the playlist lists. */
  readonly lastsAsListed: boolean;
  /** A seek to the middle plays on from there. */
  readonly playsFromMiddle: boolean;
  /** A seek back to 0 plays from the start. */
  readonly playsFromStart: boolean;
  /** Brightest minus darkest luma of the last frame shown (see PlaybackReport). */
  readonly contrast: number;
}

/**
 * Plays a replay for 2 s where hls.js starts it, then from its middle, then from its start; fails at
 * a fatal error. `listed`: the seconds its media playlist lists (see listedSeconds).
 */
export async function watchReplay(player: HlsPlayer, url: string, listed: number): Promise<ReplayWatch> {
  const playback = await player.play(url);
  try {
    const opened = await playback.playFor(2);
    const middle = Math.floor(opened.duration / 2);
    await playback.seek(middle);
    const fromMiddle = await playback.playFor(2);
    await playback.seek(0);
    const fromStart = await playback.playFor(2);
    return {
      vod: opened.live === false && fromStart.live === false,
      duration: opened.duration,
      lastsAsListed: Math.abs(opened.duration - listed) < 1.5,
      playsFromMiddle: fromMiddle.currentTime > middle && fromMiddle.currentTime < middle + 5,
      playsFromStart: fromStart.currentTime < 5,
      contrast: fromStart.contrast,
    };
  } finally {
    await playback.close();
  }
}
