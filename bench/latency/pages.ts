// The two bench pages, bundled with esbuild and served from a loopback origin other than the app's
// (as in test/e2e/live-whip.test.ts, so WHIP's CORS preflights are real; /media answers CORS for any
// origin): a WHIP publisher of Chromium's fake camera, and an hls.js player that samples its latency.
import { bundlePage, servePages } from '../../test/helpers/pages.ts';

/**
 * The wall clock as 32 black-or-white blocks (40 px, the low 32 bits of Date.now() in ms) across the
 * top of the picture, their complements in the row below as a check. Big enough to survive the 360p
 * rung and x264; read back by the player from the frame it shows.
 */
const STAMP = `
const BITS = 32, BLOCK = 40;
const ms32 = () => Date.now() % 2 ** 32;
`;

/**
 * Chromium's fake camera drawn into a 1280×720 canvas with the stamp burnt in, at 30 fps, published
 * by whip-whep. The sender keeps 720p from its first frame, as the studio page's does.
 */
const PUBLISHER = `
import { publishOverWhip } from './test/helpers/browser-side/whip-publish.js';
${STAMP}
window.publish = async (url, token) => {
  const camera = await navigator.mediaDevices.getUserMedia({ video: { width: 1280, height: 720, frameRate: 30 }, audio: true });
  const video = document.createElement('video');
  video.muted = true;
  video.srcObject = camera;
  await video.play();
  const canvas = Object.assign(document.createElement('canvas'), { width: 1280, height: 720 });
  const g = canvas.getContext('2d');
  const paint = () => {
    g.drawImage(video, 0, 0, 1280, 720);
    const now = ms32();
    for (let i = 0; i < BITS; i++) {
      const bit = Math.floor(now / 2 ** (BITS - 1 - i)) % 2;
      g.fillStyle = bit ? '#fff' : '#000';
      g.fillRect(i * BLOCK, 0, BLOCK, BLOCK);
      g.fillStyle = bit ? '#000' : '#fff';
      g.fillRect(i * BLOCK, BLOCK, BLOCK, BLOCK);
    }
  };
  paint();
  setInterval(paint, 1000 / 30);
  const stream = new MediaStream([...canvas.captureStream(30).getVideoTracks(), ...camera.getAudioTracks()]);
  const { pc, client } = await publishOverWhip(stream, url, token);
  window.pc = pc;
  window.stop = () => client.stop();
  return { camera: camera.getVideoTracks()[0].getSettings(), sent: stream.getVideoTracks()[0].getSettings() };
};
`;

/**
 * Plays `url` with hls.js's defaults or the live-edge config (with `overrides`) and, once it plays, samples every 250 ms
 * for `seconds`: Date.now() − hls.playingDate, and Date.now() − the stamp in the frame shown. A stall
 * is a `waiting` event after the first `playing`; hls.js's BUFFER_STALLED_ERROR and its jumps to the
 * live edge (`seeking`) are counted apart.
 */
const PLAYER = `
import Hls from 'hls.js';
import { LIVE_EDGE_CONFIG } from './player/lib/live-config.ts';
${STAMP}
const reader = Object.assign(document.createElement('canvas'), { width: 640, height: 40 }).getContext('2d', { willReadFrequently: true });
/** The stamp in the frame \`video\` shows (drawn at half size: 20-px blocks), or null when unreadable. */
const stampOf = (video) => {
  reader.drawImage(video, 0, 0, 640, 360);
  const { data } = reader.getImageData(0, 0, 640, 40);
  const light = (x, y) => data[(y * 640 + x) * 4 + 1] > 128;
  let value = 0;
  for (let i = 0; i < BITS; i++) {
    const bit = light(i * 20 + 10, 10);
    if (bit === light(i * 20 + 10, 30)) return null;
    value = value * 2 + (bit ? 1 : 0);
  }
  return value;
};
window.measure = (url, tuned, seconds, overrides) => new Promise((resolve) => {
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  document.body.append(video);
  const hls = new Hls(tuned ? { ...LIVE_EDGE_CONFIG, ...overrides } : {});
  const result = { samples: [], stamped: [], unreadable: 0, waiting: 0, waitingMs: 0, bufferStalled: 0, seeks: 0, heights: [], errors: [], startMs: null };
  const opened = performance.now();
  let started = false;
  let waitingSince = null;
  const finish = () => {
    hls.destroy();
    video.remove();
    resolve(result);
  };
  video.addEventListener('playing', () => {
    if (waitingSince !== null) result.waitingMs += performance.now() - waitingSince;
    waitingSince = null;
    if (started) return;
    started = true;
    result.startMs = performance.now() - opened;
    const timer = setInterval(() => {
      const date = hls.playingDate;
      if (!date || video.paused) return;
      const now = Date.now();
      result.samples.push(now - date.getTime());
      const stamp = stampOf(video);
      if (stamp === null) result.unreadable += 1;
      else result.stamped.push((now % 2 ** 32 - stamp + 2 ** 32) % 2 ** 32);
    }, 250);
    setTimeout(() => { clearInterval(timer); finish(); }, seconds * 1000);
  });
  video.addEventListener('waiting', () => {
    if (!started) return;
    result.waiting += 1;
    waitingSince ??= performance.now();
  });
  video.addEventListener('seeking', () => { if (started) result.seeks += 1; });
  hls.on(Hls.Events.LEVEL_SWITCHED, (_event, data) => result.heights.push(hls.levels[data.level].height));
  hls.on(Hls.Events.ERROR, (_event, data) => {
    if (data.details === Hls.ErrorDetails.BUFFER_STALLED_ERROR) { if (started) result.bufferStalled += 1; return; }
    result.errors.push((data.fatal ? 'fatal ' : '') + data.details);
    if (data.fatal) finish();
  });
  hls.loadSource(url);
  hls.attachMedia(video);
  hls.on(Hls.Events.MANIFEST_PARSED, () => video.play().catch((error) => result.errors.push(String(error))));
  setTimeout(() => { if (!started) { result.errors.push('never played'); finish(); } }, 30_000);
});
`;

export interface BenchPages {
  publisher: string;
  player: string;
  close(): Promise<void>;
}

/** Serves both pages on localhost (a loopback origin the app at 127.0.0.1 counts as another one). */
export async function serveBenchPages(): Promise<BenchPages> {
  const pages = await servePages({
    '/publish': await bundlePage(PUBLISHER, 'WHIP publisher'),
    '/play': await bundlePage(PLAYER, 'hls.js latency'),
  });
  return { publisher: pages.url('/publish'), player: pages.url('/play'), close: pages.close };
}
