// WHIP publishers as browsers really send, end to end with real parts (headless Chromium's fake camera,
// the whip-whep client, the media node in its own process, ffmpeg): a browser with no H.264 publishing
// VP8, whose every rung is re-encoded; and a sender left to Chromium's defaults, which starts small and
// climbs, planned from the largest picture its keyframes showed while it settled, not from its first.
// Run alone: MEDIASOUP_WORKER_BIN=$(node scripts/mediasoup.mjs) node node_modules/.bin/tap <this file>
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import t, { type Test } from 'tap';
import { startApp, staff } from '../helpers/app.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { startMediaNode } from '../helpers/media-node.ts';
import { bundlePage, openScriptPage, servePages } from '../helpers/pages.ts';
import { createBroadcast, createChannel } from '../helpers/schedule.ts';
import { until } from '../helpers/until.ts';

const run = promisify(execFile);

/**
 * The publisher page: the 720p fake camera over WHIP; `sent()` lists the heights the sender encoded
 * (sampled every 100 ms), `framesSent()` how many frames, `fullSize()` lifts a `scaleResolutionDownBy`
 * and keeps the camera's size from then on.
 */
const PUBLISHER = `
import { publishOverWhip } from './test/helpers/browser-side/whip-publish.js';
let client;
let frames = 0;
const heights = [];
window.publish = async (url, token, options) => {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 1280, height: 720, frameRate: 30 }, audio: true });
  const published = await publishOverWhip(stream, url, token, options);
  client = published.client;
  window.pc = published.pc;
  setInterval(async () => {
    for (const s of (await published.pc.getStats()).values()) {
      if (s.type !== 'outbound-rtp' || s.kind !== 'video' || !s.frameHeight) continue;
      frames = s.framesEncoded;
      if (s.frameHeight !== heights.at(-1)) heights.push(s.frameHeight);
    }
  }, 100);
};
window.sent = () => heights;
window.framesSent = () => frames;
window.fullSize = async () => {
  const sender = window.pc.getSenders().find((s) => s.track?.kind === 'video');
  const parameters = sender.getParameters();
  parameters.encodings[0].scaleResolutionDownBy = 1;
  parameters.degradationPreference = 'maintain-resolution';
  await sender.setParameters(parameters);
};
window.stop = () => client.stop();
`;

type PublishOptions = { keepResolution?: boolean; videoCodec?: string; scaleResolutionDownBy?: number };

interface PublisherWindow {
  publish(url: string, token: string, options: PublishOptions): Promise<void>;
  sent(): number[];
  framesSent(): number;
  fullSize(): Promise<void>;
  stop(): Promise<void>;
  pc: RTCPeerConnection;
}

const variantUris = (master: string): string[] => master.split('\n').filter((line) => line.endsWith('.m3u8') && !line.startsWith('#'));
const renditionUris = (master: string): string[] => [...variantUris(master), ...[...master.matchAll(/#EXT-X-MEDIA:.*URI="([^"]+)"/g)].map((m) => m[1])];
const heightsOf = (master: string): number[] => [...master.matchAll(/RESOLUTION=\d+x(\d+)/g)].map((m) => Number(m[1]));

/** A live app and media node, a broadcast, and Chromium publishing to it over WHIP with `options`. */
async function publishing(t: Test, options: PublishOptions) {
  const ctx = await startApp(t, { listen: true });
  await startMediaNode(t, ctx);
  const admin = await staff(ctx, 'admin');
  const broadcast = await createBroadcast(ctx, admin, (await createChannel(ctx, admin)).id);
  const browser = await launchBrowser(t, { fakeMedia: true });
  const errors: string[] = [];
  const pages = await servePages({ '/publish': await bundlePage(PUBLISHER, 'WHIP publisher') });
  t.teardown(() => pages.close());
  const page = await openScriptPage(browser, pages.url('/publish'), 'publish', errors);
  await page.evaluate(([url, key, opts]) => (window as unknown as PublisherWindow).publish(url, key, opts), [broadcast.links.whip, broadcast.streamKey, options] as const);
  await until('the peer connection connects', () => page.evaluate(() => (window as unknown as PublisherWindow).pc.connectionState === 'connected'), 10_000, 100);
  // Generous: every rung of a VP8 feed is an encode, slow to start on a busy machine.
  const master = () =>
    until('the master playlist is published', async () => {
      const res = await fetch(broadcast.links.hls);
      return res.ok ? res.text() : undefined;
    }, 45_000, 200);
  return { ctx, admin, broadcast, page, errors, master, base: broadcast.links.hls.replace(/master\.m3u8$/, '') };
}

t.test('Chromium offering VP8 alone goes live as a ≥3-rung H.264 ladder, every rung re-encoded, and ends as a replay', async (t) => {
  const { ctx, admin, broadcast, page, errors, master, base } = await publishing(t, { videoCodec: 'video/VP8' });
  const codec = await page.evaluate(async () => {
    for (const s of (await (window as unknown as PublisherWindow).pc.getStats()).values()) if (s.type === 'codec' && s.mimeType.startsWith('video/')) return s.mimeType;
    return undefined;
  });
  t.equal(codec, 'video/VP8', 'the browser sends VP8');
  const playlist = await master();
  t.ok(variantUris(playlist).length >= 3, `at least 3 renditions: ${variantUris(playlist).join(', ')}`);
  t.equal(Math.max(...heightsOf(playlist)), 720, 'the camera size is the top rung');
  t.match(playlist, /CODECS="avc1\.[0-9a-f]{6},mp4a\.40\.2"/, 'H.264 video and AAC sound');
  t.same(renditionUris(playlist), variantUris(playlist), 'no separate audio rendition: the sound rides in every rung');

  for (const uri of variantUris(playlist)) {
    await until(`${uri} has a segment`, async () => /\.m4s/.test(await (await fetch(base + uri)).text()), 20_000, 200);
  }

  await page.evaluate(() => (window as unknown as PublisherWindow).stop());
  const ended = await ctx.app.inject({ method: 'POST', url: `/api/broadcasts/${broadcast.id}/end`, headers: admin });
  t.equal(ended.statusCode, 200, 'staff end it');
  for (const uri of renditionUris(playlist)) {
    await until(`${uri} ends with #EXT-X-ENDLIST`, async () => /#EXT-X-ENDLIST\s*$/.test(await (await fetch(base + uri)).text()), 15_000, 200);
  }
  // Read as the replay, from its first segment: a live read waits at the edge for segments a busy
  // machine's encoders are slow to write.
  for (const uri of variantUris(playlist)) {
    const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name,height', '-of', 'json', base + uri], { timeout: 30_000 });
    const streams = (JSON.parse(stdout) as { streams: { codec_name: string; height?: number }[] }).streams;
    t.match(streams.find((s) => s.codec_name === 'h264'), { height: Number(uri.match(/^(\d+)p\//)?.[1]) }, `ffprobe reads ${uri}: an H.264 re-encode`);
    t.same(streams.map((s) => s.codec_name).sort(), ['aac', 'h264'], `${uri}: one picture and its sound`);
  }
  t.same(errors, [], 'the page raised no error');
});

t.test('a sender that starts small and grows gets a ladder planned from the largest keyframe seen while it settled, not from its first', async (t) => {
  // Left to its defaults, Chromium starts small and climbs with its bandwidth estimate, but how small and
  // how fast depends on the machine's load (here: from 180p or 360p, by one step or none within the
  // window). The climb is made certain instead: a quarter of the camera's 720p until the node has had
  // keyframes of it (it asks for one as the feed starts), then the full size.
  const { page, errors, master } = await publishing(t, { keepResolution: false, scaleResolutionDownBy: 4 });
  await until('the sender has sent 180p for a second', () => page.evaluate(() => (window as unknown as PublisherWindow).framesSent() >= 30), 15_000, 100);
  await page.evaluate(() => (window as unknown as PublisherWindow).fullSize());
  const playlist = await master();
  const sent = await page.evaluate(() => (window as unknown as PublisherWindow).sent());
  t.equal(sent[0], 180, `the sender started at 180p (then ${sent.slice(1).join('p, ')}p)`);
  t.equal(Math.max(...heightsOf(playlist)), 720, 'the top rung is the size the sender grew to, not its first');
  t.same(errors, [], 'the page raised no error');
});
