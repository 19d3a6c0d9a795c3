// A publisher that drops and comes back within the grace period continues the same broadcast, with real
// parts: the media node moves the live transcoder onto the returning publisher's producers, and every
// rendition playlist goes on at the same URL after an EXT-X-DISCONTINUITY, nothing stored before the seam
// rewritten; ending it gives one replay holding both parts. Through WHIP (Chromium's fake camera and the
// third-party whip-whep client; the first page vanishes without DELETE) and through plain RTP (the ffmpeg
// sender killed, the ingest API asked again, a new sender sent where it says; a VP8 WHIP publisher in
// between is refused, the copied H.264 top rung cannot continue from it).
// Run alone: MEDIASOUP_WORKER_BIN=$(node scripts/mediasoup.mjs) node node_modules/.bin/tap <this file>
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import t, { type Test } from 'tap';
import { startApp, staff, type TestApp } from '../helpers/app.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { parseMediaPlaylist, tagAttributes, tempDir } from '../helpers/media.ts';
import { sendTestPattern, startMediaNode } from '../helpers/media-node.ts';
import { bundlePage, openScriptPage, servePages } from '../helpers/pages.ts';
import { decodeServed, servedBytes, servedText } from '../helpers/served.ts';
import { createBroadcast, createChannel } from '../helpers/schedule.ts';
import { until } from '../helpers/until.ts';

/** Long enough that nothing here comes near it: the broadcast must not end while its publisher is away. */
const GRACE = { LINBO_INGEST_GRACE_SECONDS: '30' };
/** 640×480: a copied 480p rung and a re-encoded 360p rung, each with its sound, so both kinds of rung cross the seam. */
const SIZE = { width: 640, height: 480 };

/** What Debian Chromium offers for a camera and a microphone: H.264 and VP8. */
const CHROMIUM_OFFER = readFileSync(new URL('../fixtures/whip/chromium-offer.sdp', import.meta.url), 'utf8');

const PUBLISHER = `
import { publishOverWhip } from './test/helpers/browser-side/whip-publish.js';
window.publish = async (url, token) => {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { width: ${SIZE.width}, height: ${SIZE.height}, frameRate: 30 }, audio: true });
  try {
    window.pc = (await publishOverWhip(stream, url, token)).pc;
  } catch (err) {
    for (const track of stream.getTracks()) track.stop();
    throw err;
  }
};
`;

/** Every rendition playlist the master names: its variants (each with the sound), and any EXT-X-MEDIA rendition (none). */
function renditionUris(master: string): string[] {
  const lines = master.split('\n');
  const variants = lines.filter((line, i) => i > 0 && lines[i - 1].startsWith('#EXT-X-STREAM-INF:'));
  return [...variants, ...tagAttributes(master, '#EXT-X-MEDIA').map((media) => media.URI)];
}

const segmentNames = (text: string): string[] => text.match(/^seg_\d+\.m4s$/gm) ?? [];

/** The playlist's text past the EXT-X-DISCONTINUITY that follows `last` (the newest segment before the drop). */
function afterTheSeam(playlist: string, last: string): string | undefined {
  const seam = playlist.indexOf('#EXT-X-DISCONTINUITY', playlist.indexOf(`\n${last}\n`));
  return seam < 0 ? undefined : playlist.slice(seam);
}

const digest = (body: Buffer) => createHash('sha256').update(body).digest('hex');

interface Rendition {
  readonly uri: string;
  /** Its playlist's folder URL. */
  readonly folder: string;
  readonly segments: readonly string[];
  readonly init: string;
  /** Digests of the init section and the newest segment as stored before the drop. */
  readonly stored: Readonly<Record<string, string>>;
}

/** Each rendition as it stands before the publisher drops (at least two segments in every one). */
async function beforeTheDrop(base: string, master: string): Promise<Rendition[]> {
  const renditions: Rendition[] = [];
  for (const uri of renditionUris(master)) {
    const playlist = await until(`${uri} has 2 segments`, async () => {
      const body = await servedText(base + uri);
      return segmentNames(body).length >= 2 ? body : undefined;
    }, 20_000, 200);
    const folder = base + uri.replace(/index\.m3u8$/, '');
    const segments = segmentNames(playlist);
    const init = parseMediaPlaylist(playlist).init!;
    const stored: Record<string, string> = {};
    for (const name of [init, segments.at(-1)!]) stored[name] = digest(await servedBytes(folder + name));
    renditions.push({ uri, folder, segments, init, stored });
  }
  return renditions;
}

/**
 * Every rendition goes on after the seam: the segments from before still listed and unchanged in
 * storage, an EXT-X-DISCONTINUITY after them, new segments numbered on past it, the newest of which
 * decodes behind the init section published before the drop.
 */
async function continuesAfterTheSeam(t: Test, renditions: readonly Rendition[]): Promise<void> {
  const dir = tempDir(t, 'return');
  for (const rendition of renditions) {
    const { uri, folder, segments, init } = rendition;
    const playlist = await until(`${uri} has 2 segments after a discontinuity`, async () => {
      const body = await servedText(`${folder}index.m3u8`);
      return segmentNames(afterTheSeam(body, segments.at(-1)!) ?? '').length >= 2 ? body : undefined;
    }, 30_000, 250);
    const names = segmentNames(playlist);
    t.ok(segments.every((name) => names.includes(name)), `${uri} still lists the ${segments.length} segments from before the drop, before the seam`);
    const numbers = names.map((name) => Number(name.slice(4, 9)));
    t.same(numbers, [...new Set(numbers)].sort((a, b) => a - b), `${uri}: numbering goes on, no segment name reused`);
    for (const [name, before] of Object.entries(rendition.stored)) t.equal(digest(await servedBytes(folder + name)), before, `${uri}: ${name} is stored as it was`);
    const newest = names.at(-1)!;
    const { frames, samples } = await decodeServed(dir, folder + init, folder + newest);
    t.ok(frames.length > 0 && frames.every((f) => f.width > 0), `${uri}: ${newest}, after the seam, decodes behind the first init section (${frames.length} frames)`);
    t.ok(samples > 0, `${uri}: ${newest}'s sound, after the seam, decodes behind the first init section`);
  }
}

/** Staff end the broadcast: every playlist closes with ENDLIST and holds both parts. */
async function endsWithBothParts(t: Test, ctx: TestApp, admin: { authorization: string }, broadcastId: string, renditions: readonly Rendition[]): Promise<void> {
  const ended = await ctx.app.inject({ method: 'POST', url: `/api/broadcasts/${broadcastId}/end`, headers: admin });
  t.equal(ended.statusCode, 200, 'staff end it');
  for (const { uri, folder, segments } of renditions) {
    const replay = await until(`${uri} ends with #EXT-X-ENDLIST`, async () => {
      const body = await servedText(`${folder}index.m3u8`);
      return /#EXT-X-ENDLIST\s*$/.test(body) ? body : undefined;
    }, 15_000, 200);
    const after = segmentNames(afterTheSeam(replay, segments.at(-1)!) ?? '');
    t.ok(segments.every((name) => replay.includes(name)) && after.length >= 2, `${uri}: the replay holds the segments from before the drop and ${after.length} after it`);
  }
}

async function setup(t: Test) {
  const ctx = await startApp(t, { listen: true, env: GRACE });
  await startMediaNode(t, ctx);
  const admin = await staff(ctx, 'admin');
  const broadcast = await createBroadcast(ctx, admin, (await createChannel(ctx, admin)).id);
  const read = async () => (await ctx.app.inject({ method: 'GET', url: `/api/broadcasts/${broadcast.id}`, headers: admin })).json();
  const master = async () => until('the master playlist lists two rungs, with no separate audio rendition', async () => {
    const body = await servedText(broadcast.links.hls);
    if (tagAttributes(body, '#EXT-X-MEDIA').length > 0) throw new Error(`the master lists a separate rendition: ${body}`);
    return renditionUris(body).length >= 2 ? body : undefined;
  }, 20_000, 200);
  const askRtp = async () => {
    const res = await ctx.app.inject({ method: 'POST', url: `/api/broadcasts/${broadcast.id}/ingest/rtp`, headers: admin, payload: SIZE });
    if (res.statusCode !== 200) throw new Error(`ingest: ${res.statusCode} ${res.body}`);
    return res.json();
  };
  return { ctx, admin, broadcast, read, master, askRtp, base: broadcast.links.hls.replace(/master\.m3u8$/, '') };
}

t.test('a WHIP publisher that vanishes and publishes again within the grace period continues the same broadcast after a discontinuity', async (t) => {
  const { ctx, admin, broadcast, read, master, base } = await setup(t);
  const browser = await launchBrowser(t, { fakeMedia: true });
  const pages = await servePages({ '/publish': await bundlePage(PUBLISHER, 'WHIP publisher') });
  t.teardown(() => pages.close());
  const errors: string[] = [];
  const openPage = async () => {
    const page = await openScriptPage(browser, pages.url('/publish'), 'publish', errors);
    const publish = () => page.evaluate(([url, key]) => (window as unknown as { publish(u: string, k: string): Promise<void> }).publish(url, key), [broadcast.links.whip, broadcast.streamKey] as const);
    const connected = () => until('the peer connection connects', () => page.evaluate(() => (window as unknown as { pc?: RTCPeerConnection }).pc?.connectionState === 'connected'), 10_000, 100);
    return { context: page.context(), publish, connected };
  };

  const first = await openPage();
  await first.publish();
  await first.connected();
  const live = await until('the broadcast turns live', async () => {
    const b = await read();
    return b.state === 'live' && b;
  }, 15_000, 100);
  const playlist = await master();
  t.match(playlist, /RESOLUTION=640x480/, 'the camera size is the top rung');
  const renditions = await beforeTheDrop(base, playlist);

  // The page goes away with its peer connection, as a closed tab or a crashed browser does: no DELETE.
  await first.context.close();
  const second = await openPage();
  // Refused (409) for as long as the node still counts the first publisher as sending.
  await until('a new page publishes with the same stream key once the node has seen the first one go', () => second.publish().then(() => true, () => false), 20_000, 500);
  await second.connected();
  await continuesAfterTheSeam(t, renditions);

  const now = await read();
  t.match(now, { id: live.id, state: 'live', startedAt: live.startedAt, links: { hls: live.links.hls } }, 'the same broadcast stayed live throughout (ended is final)');
  t.equal(await servedText(live.links.hls), playlist, 'the master playlist is the one players already have');
  await endsWithBothParts(t, ctx, admin, broadcast.id, renditions);
  t.same(errors, [], 'the pages raised no error');
});

t.test('a plain-RTP sender killed and restarted against the ingest it asks for again continues the same broadcast after a discontinuity; a VP8 publisher in between is refused', async (t) => {
  const { ctx, admin, broadcast, read, master, askRtp: ask, base } = await setup(t);
  const opened = await ask();
  const first = sendTestPattern(t, opened.ffmpegArgs, `${SIZE.width}x${SIZE.height}`);
  const live = await until('the broadcast turns live', async () => {
    if (!first.running()) throw new Error(`the feed stopped: ${first.said()}`);
    const b = await read();
    return b.state === 'live' && b;
  }, 15_000, 100);
  const playlist = await master();
  const renditions = await beforeTheDrop(base, playlist);
  const again = await ask();
  t.same([again.video.port, again.audio.port], [opened.video.port, opened.audio.port], 'asked again while the feed flows, the API returns the same ingest');

  await first.stop();
  const offer = (sdp: string) =>
    ctx.app.inject({ method: 'POST', url: `/api/broadcasts/${broadcast.id}/whip`, headers: { 'content-type': 'application/sdp', authorization: `Bearer ${broadcast.streamKey}` }, payload: sdp });
  // Chromium's offer with its H.264 renamed to a codec nobody takes: VP8 is left, which the copied top rung cannot continue from.
  const vp8 = await until('once the feed has gone quiet, a VP8 offer is refused for its codec rather than as busy', async () => {
    const res = await offer(CHROMIUM_OFFER.replace(/ H264\/90000/g, ' VP9/90000'));
    return res.statusCode !== 409 || res.json().code !== 'INGEST_BUSY' ? res : undefined;
  }, 20_000, 500);
  t.match({ status: vp8.statusCode, ...vp8.json() }, { status: 409, code: 'INGEST_CODEC_CHANGED', detail: /VP8/i }, 'a returning VP8 publisher is refused with 409 INGEST_CODEC_CHANGED');
  // The old ingest latched onto the dead sender's address: now that its feed is quiet, a new one is opened.
  const reopened = await ask();
  t.not(reopened.video.port, opened.video.port, 'asked again after the silence, the API opens a new ingest');
  const second = sendTestPattern(t, reopened.ffmpegArgs, `${SIZE.width}x${SIZE.height}`);
  await continuesAfterTheSeam(t, renditions);
  t.ok(second.running(), `the new sender still runs: ${second.said()}`);

  const now = await read();
  t.match(now, { id: live.id, state: 'live', startedAt: live.startedAt, links: { hls: live.links.hls } }, 'the same broadcast stayed live throughout (ended is final)');
  t.equal(await servedText(live.links.hls), playlist, 'the master playlist is the one players already have');
  await endsWithBothParts(t, ctx, admin, broadcast.id, renditions);
});
