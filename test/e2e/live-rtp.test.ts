// The plain-RTP live path end to end, with real parts: a real ffmpeg sends a 720p30 H.264 + Opus test
// pattern to the ports the API hands out → the media node (mediasoup, its own process) → the live
// transcoder → HLS on local disk served at /media → ffprobe reads every rendition → ending the broadcast
// turns every playlist into a replay at the same URL.
// Run alone: MEDIASOUP_WORKER_BIN=$(node scripts/mediasoup.mjs) node node_modules/.bin/tap <this file>
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import t from 'tap';
import { startApp, staff } from '../helpers/app.ts';
import { sendTestPattern, startMediaNode } from '../helpers/media-node.ts';
import { createBroadcast, createChannel } from '../helpers/schedule.ts';
import { until } from '../helpers/until.ts';

const run = promisify(execFile);

/** The video variants' playlists. */
const variantUris = (master: string): string[] => master.split('\n').filter((line) => line.endsWith('.m3u8') && !line.startsWith('#'));
/** Every rendition playlist the master names: its variants, and any EXT-X-MEDIA rendition (the ladder lists none). */
const renditionUris = (master: string): string[] => [...variantUris(master), ...[...master.matchAll(/#EXT-X-MEDIA:.*URI="([^"]+)"/g)].map((m) => m[1])];

t.test('an ffmpeg feed over plain RTP goes live as a ≥3-rung HLS ladder and becomes a replay at the same URLs', async (t) => {
  const ctx = await startApp(t, { listen: true });
  await startMediaNode(t, ctx);
  const admin = await staff(ctx, 'admin');
  const broadcast = await createBroadcast(ctx, admin, (await createChannel(ctx, admin)).id);
  const opened = await ctx.app.inject({ method: 'POST', url: `/api/broadcasts/${broadcast.id}/ingest/rtp`, headers: admin, payload: { width: 1280, height: 720, fps: 30 } });
  t.equal(opened.statusCode, 200, 'the ingest opens');
  const feed = sendTestPattern(t, opened.json().ffmpegArgs);

  const state = async () => (await ctx.app.inject({ method: 'GET', url: `/api/broadcasts/${broadcast.id}`, headers: admin })).json();
  const live = await until('the broadcast turns live when the feed arrives', async () => {
    if (!feed.running()) throw new Error(`the feed stopped: ${feed.said()}`);
    const b = await state();
    return b.state === 'live' && b;
  });
  t.ok(live.startedAt, 'it records when it went live');
  t.equal(live.links.hls, `${ctx.url}/media/live/${broadcast.id}/master.m3u8`);

  const master = await until('the master playlist lists at least 3 renditions', async () => {
    const res = await fetch(live.links.hls);
    const text = res.ok ? await res.text() : '';
    return variantUris(text).length >= 3 ? text : undefined;
  }, 15_000, 200);
  t.match(master, /CODECS="avc1\.[0-9a-f]{6},mp4a\.40\.2"/, 'each variant names its codecs');
  t.match(master, /FRAME-RATE=30\.000/);
  t.match(master, /RESOLUTION=1280x720/, 'the source size is the top rung');
  t.notMatch(master, /RESOLUTION=1920x1080/, 'no rung above the source');
  t.same(renditionUris(master), variantUris(master), 'no separate audio rendition: every variant carries the sound');

  const base = live.links.hls.replace(/master\.m3u8$/, '');
  for (const uri of renditionUris(master)) {
    await until(`${uri} has a segment`, async () => /\.m4s/.test(await (await fetch(base + uri)).text()), 10_000, 200);
    const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_type,codec_name,width,height', '-of', 'json', base + uri], { timeout: 20_000 });
    const streams: { codec_type: string; codec_name: string; width?: number; height?: number }[] = JSON.parse(stdout).streams;
    t.same(streams.map((s) => s.codec_name).sort(), ['aac', 'h264'], `ffprobe reads ${uri} as one picture and one sound: ${JSON.stringify(streams)}`);
    t.ok(streams.some((s) => s.codec_name === 'h264' && (s.width ?? 0) > 0), `${uri}: the picture has a size`);
  }

  const segments = async (uri: string) => ((await (await fetch(base + uri)).text()).match(/\.m4s$/gm) ?? []).length;
  await until('the live playlists grow segment by segment', async () => (await segments(variantUris(master)[0])) >= 4, 10_000, 200);

  const ended = await ctx.app.inject({ method: 'POST', url: `/api/broadcasts/${broadcast.id}/end`, headers: admin });
  t.equal(ended.statusCode, 200, 'staff end it');
  t.equal(ended.json().state, 'ended');
  t.equal(ended.json().endedReason, 'staff', 'it says staff ended it');
  for (const uri of renditionUris(master)) {
    await until(`${uri} ends with #EXT-X-ENDLIST`, async () => /#EXT-X-ENDLIST\s*$/.test(await (await fetch(base + uri)).text()), 15_000, 200);
  }
  await until('the broadcast says its replay is ready', async () => (await ctx.app.inject({ method: 'GET', url: `/api/broadcasts/${broadcast.id}` })).json().replay.ready, 15_000, 200);
  const replay = await (await fetch(base + renditionUris(master)[0])).text();
  t.match(replay, /#EXT-X-PROGRAM-DATE-TIME:/, 'segments carry their wall-clock time');
});

t.test('a feed that stops and stays away for the grace period ends the broadcast, and its playlists become the replay', async (t) => {
  const ctx = await startApp(t, { listen: true, env: { LINBO_INGEST_GRACE_SECONDS: '1' } });
  await startMediaNode(t, ctx);
  const admin = await staff(ctx, 'admin');
  const broadcast = await createBroadcast(ctx, admin, (await createChannel(ctx, admin)).id);
  // A small feed (one copied rendition and the sound) is enough here, and leaves the CPU to other tests.
  const opened = await ctx.app.inject({ method: 'POST', url: `/api/broadcasts/${broadcast.id}/ingest/rtp`, headers: admin, payload: { width: 640, height: 360 } });
  const feed = sendTestPattern(t, opened.json().ffmpegArgs, '640x360');
  const master = await until('the master playlist is served', async () => {
    const res = await fetch(broadcast.links.hls);
    return res.ok ? res.text() : undefined;
  }, 15_000, 200);
  await feed.stop();
  const ended = await until('the broadcast ends once the grace period has passed without media', async () => {
    const b = (await ctx.app.inject({ method: 'GET', url: `/api/broadcasts/${broadcast.id}`, headers: admin })).json();
    return b.state === 'ended' && b;
  }, 15_000, 200);
  t.ok(ended.endedAt, 'it records when it ended');
  t.equal(ended.endedReason, 'no-media', 'and why: the feed did not return');
  const base = broadcast.links.hls.replace(/master\.m3u8$/, '');
  for (const uri of renditionUris(master)) {
    await until(`${uri} ends with #EXT-X-ENDLIST`, async () => /#EXT-X-ENDLIST\s*$/.test(await (await fetch(base + uri)).text()), 15_000, 200);
  }
  await until('the broadcast says its replay is ready', async () => (await ctx.app.inject({ method: 'GET', url: `/api/broadcasts/${broadcast.id}` })).json().replay.ready, 15_000, 200);
});

t.test('the ladder follows the size the feed really sends, not a wrong declaration', async (t) => {
  const ctx = await startApp(t, { listen: true });
  await startMediaNode(t, ctx);
  const admin = await staff(ctx, 'admin');
  const broadcast = await createBroadcast(ctx, admin, (await createChannel(ctx, admin)).id);
  const opened = await ctx.app.inject({ method: 'POST', url: `/api/broadcasts/${broadcast.id}/ingest/rtp`, headers: admin, payload: { width: 1280, height: 720 } });
  const args: string[] = opened.json().ffmpegArgs;
  args[args.indexOf('-s') + 1] = '640x360';
  sendTestPattern(t, args, '640x360');
  const master = await until('the master playlist is served', async () => {
    const res = await fetch(broadcast.links.hls);
    return res.ok ? res.text() : undefined;
  }, 15_000, 200);
  t.match(master, /RESOLUTION=640x360/, 'the top rung is the 360p the feed sends');
  t.same(variantUris(master), ['360p/index.m3u8'], 'no rung above it, though 720p was declared');
});
