// The WHIP live path end to end, with real parts: headless Chromium's fake camera and microphone,
// published by a third-party WHIP client (the npm package whip-whep, bundled here with esbuild) from a
// page on another origin (so every CORS preflight is real) → the WHIP endpoint → the media node
// (mediasoup, its own process) → the live transcoder → HLS at /media → ffprobe reads it → hls.js plays
// it in Chromium → the page's stop() sends DELETE → ending the broadcast turns every playlist into a
// replay at the same URL, which hls.js plays.
// Run alone: MEDIASOUP_WORKER_BIN=$(node scripts/mediasoup.mjs) node node_modules/.bin/tap <this file>
import t from 'tap';
import { startApp, staff } from '../helpers/app.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { ladderListed, probeLadder, renditionUris, variantUris } from '../helpers/ffprobe.ts';
import { hlsPlayer, listedSeconds, watchLive, watchReplay } from '../helpers/hls-playback.ts';
import { bundlePage, openScriptPage, servePages } from '../helpers/pages.ts';
import { startMediaNode } from '../helpers/media-node.ts';
import { createBroadcast, createChannel } from '../helpers/schedule.ts';
import { until } from '../helpers/until.ts';

/**
 * The publisher page's script. The camera keeps its 720p from the first frame (a sender left to
 * Chromium's default starts at 320×180 and ramps up for ~15 s; the studio page does the same).
 */
const PUBLISHER = `
import { publishOverWhip } from './test/helpers/browser-side/whip-publish.js';
let client;
window.publish = async (url, token) => {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 1280, height: 720, frameRate: 30 }, audio: true });
  const published = await publishOverWhip(stream, url, token);
  client = published.client;
  window.pc = published.pc;
  return stream.getVideoTracks()[0].getSettings();
};
window.stop = () => client.stop();
`;

t.test('Chromium publishing with a third-party WHIP client goes live as a ≥3-rung HLS ladder, stops with DELETE and becomes a replay', async (t) => {
  const ctx = await startApp(t, { listen: true });
  await startMediaNode(t, ctx);
  const admin = await staff(ctx, 'admin');
  const broadcast = await createBroadcast(ctx, admin, (await createChannel(ctx, admin)).id);

  const browser = await launchBrowser(t, { fakeMedia: true });
  const errors: string[] = [];
  const pages = await servePages({ '/publish': await bundlePage(PUBLISHER, 'WHIP publisher') });
  t.teardown(() => pages.close());
  const page = await openScriptPage(browser, pages.url('/publish'), 'publish', errors);

  const camera = await page.evaluate(([url, key]) => (window as unknown as { publish(u: string, k: string): Promise<MediaTrackSettings> }).publish(url, key), [broadcast.links.whip, broadcast.streamKey] as const);
  t.match(camera, { width: 1280, height: 720 }, 'the fake camera gives 720p');
  await until('the peer connection connects', () => page.evaluate(() => (window as unknown as { pc: RTCPeerConnection }).pc.connectionState === 'connected'), 10_000, 100);

  const state = async () => (await ctx.app.inject({ method: 'GET', url: `/api/broadcasts/${broadcast.id}`, headers: admin })).json();
  await until('the broadcast turns live when the video arrives', async () => (await state()).state === 'live', 10_000, 100);

  const master = await ladderListed(broadcast.links.hls);
  t.match(master, /RESOLUTION=1280x720/, 'the camera size is the top rung');
  t.match(master, /CODECS="avc1\.[0-9a-f]{6},mp4a\.40\.2"/, 'H.264 video (the answer took H.264 over the VP8 Chromium lists first) and AAC sound');

  const { base, top } = await probeLadder(t, broadcast.links.hls, master);

  const player = await hlsPlayer(t, browser);
  const live = { live: true, rungs: variantUris(master).length, topHeight: 720, picture: true, sound: true };
  t.same(await watchLive(player, broadcast.links.hls), live, 'hls.js plays the live ladder in Chromium, every rung listed and a picture on screen and its sound decoded');

  const deleted = page.waitForResponse((res) => res.request().method() === 'DELETE', { timeout: 10_000 });
  await page.evaluate(() => (window as unknown as { stop(): Promise<void> }).stop());
  t.equal((await deleted).status(), 204, "the client's stop() ends the session with DELETE");

  const ended = await ctx.app.inject({ method: 'POST', url: `/api/broadcasts/${broadcast.id}/end`, headers: admin });
  t.equal(ended.statusCode, 200, 'staff end it');
  for (const uri of renditionUris(master)) {
    await until(`${uri} ends with #EXT-X-ENDLIST`, async () => /#EXT-X-ENDLIST\s*$/.test(await (await fetch(base + uri)).text()), 15_000, 200);
  }
  const replay = await watchReplay(player, broadcast.links.hls, listedSeconds(await (await fetch(base + top)).text()));
  t.match(replay, { vod: true, lastsAsListed: true, playsFromMiddle: true, playsFromStart: true }, 'the same URL plays the whole broadcast as a replay, from its middle and its start');
  t.same(errors, [], 'the page raised no error');
  await page.context().close();
});
