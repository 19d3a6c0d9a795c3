// A publisher returning within the grace period after its media node was killed (kill -9, the OOM
// killer) lands on the node that replaced it, which has none of the dead node's memory or working dir:
// the broadcast stays the same live one, and its playlists go on from what storage holds after an
// EXT-X-DISCONTINUITY, nothing stored before rewritten (segments and init sections are served immutable).
// A returning feed that plans another ladder cannot go on after them: it is refused, and the stored part
// is the replay.
// Real parts: the control plane, its media-node supervisor and the nodes it forks, ffmpeg senders over plain RTP.
// Run alone: MEDIASOUP_WORKER_BIN=$(node scripts/mediasoup.mjs) node node_modules/.bin/tap <this file>
import { createHash } from 'node:crypto';
import pino from 'pino';
import t, { type Test } from 'tap';
import { MediaNodeSupervisor } from '../../server/media-nodes/supervisor.ts';
import { startApp, staff } from '../helpers/app.ts';
import { descendants } from '../helpers/linbo-process.ts';
import { parseMediaPlaylist, tagAttributes, tempDir } from '../helpers/media.ts';
import { sendTestPattern } from '../helpers/media-node.ts';
import { decodeServed, servedBytes as bytes, servedText as text } from '../helpers/served.ts';
import { createBroadcast, createChannel } from '../helpers/schedule.ts';
import { until } from '../helpers/until.ts';

/** Long enough for the next node to start and register on a loaded machine: the broadcast must outlive the wait. */
const GRACE_SECONDS = 120;
/** 640×480: a copied 480p rung and a re-encoded 360p rung, each with its sound, so both kinds of rung cross the seam. */
const SIZE = { width: 640, height: 480 };

const segmentNames = (text: string): string[] => text.match(/^seg_\d+\.m4s$/gm) ?? [];
const number = (name: string) => Number(name.slice(4, 9));
const digest = (body: Buffer) => createHash('sha256').update(body).digest('hex');

/**
 * A plain-RTP broadcast live on the supervisor's first node, that node SIGKILLed once every rendition
 * has 3 segments, and the sender gone with it; `before` is what players hold then (every listed
 * segment and init section, with its bytes); `returnAt` asks the ingest API again until the next node
 * takes it, and sends a new feed at that size.
 */
async function liveUntilItsNodeIsKilled(t: Test, graceSeconds = GRACE_SECONDS) {
  const ctx = await startApp(t, { listen: true, env: { LINBO_INGEST_GRACE_SECONDS: String(graceSeconds) } });
  const logLevel = process.env.TEST_LOG_LEVEL ?? 'silent';
  // As server/main.ts runs it: a node killed outright is forked again under a new id on the same bus.
  ctx.services.mediaNodes.attach(MediaNodeSupervisor.start(ctx.config, pino({ level: logLevel }), { logLevel, announcedIp: '127.0.0.1', workers: 1, loadIntervalMs: 1_000 }).bus);
  t.teardown(() => ctx.services.mediaNodes.close());
  const nodeIds = () => ctx.services.mediaNodes.registry.nodes().map((n) => n.nodeId);
  const [firstId] = await until('the media node registers', () => nodeIds()[0] && nodeIds(), 60_000, 200);
  const admin = await staff(ctx, 'admin');
  const broadcast = await createBroadcast(ctx, admin, (await createChannel(ctx, admin)).id);
  const read = async () => (await ctx.app.inject({ method: 'GET', url: `/api/broadcasts/${broadcast.id}`, headers: admin })).json();
  const askRtp = async (size: typeof SIZE) => ctx.app.inject({ method: 'POST', url: `/api/broadcasts/${broadcast.id}/ingest/rtp`, headers: admin, payload: size });
  const base = broadcast.links.hls.replace(/master\.m3u8$/, '');

  const opened = (await askRtp(SIZE)).json();
  const sender = sendTestPattern(t, opened.ffmpegArgs, `${SIZE.width}x${SIZE.height}`);
  const master = await until('the master playlist lists two rungs', async () => {
    const body = await text(broadcast.links.hls);
    return /480p\/index\.m3u8/.test(body) && /360p\/index\.m3u8/.test(body) ? body : undefined;
  }, 60_000, 250);
  t.same(tagAttributes(master, '#EXT-X-MEDIA'), [], 'no separate audio rendition: each rung carries the sound');
  const uris = [...master.split('\n').filter((line) => line.endsWith('.m3u8')), ...tagAttributes(master, '#EXT-X-MEDIA').map((media) => media.URI)];
  await until('every rendition has 3 segments', async () => (await Promise.all(uris.map(async (uri) => segmentNames(await text(base + uri)).length))).every((n) => n >= 3), 60_000, 250);
  t.equal((await read()).state, 'live', 'the broadcast is live');

  const [dead] = (await descendants(process.pid)).filter((p) => p.args.includes('media/main.ts'));
  process.kill(dead.pid, 'SIGKILL');
  await sender.stop();
  const before = [];
  for (const uri of uris) {
    const folder = base + uri.replace(/index\.m3u8$/, '');
    const playlist = await text(base + uri);
    const names = [parseMediaPlaylist(playlist).init!, ...segmentNames(playlist)];
    const stored = Object.fromEntries(await Promise.all(names.map(async (name) => [name, digest(await bytes(folder + name))] as const)));
    before.push({ uri, folder, segments: segmentNames(playlist), init: names[0], stored });
  }

  const returnAt = async (size: typeof SIZE) => {
    const reopened = await until('the ingest API opens the broadcast\'s ingest on the next node', async () => {
      const res = await askRtp(size);
      return res.statusCode === 200 && res.json().nodeId !== firstId ? res.json() : undefined;
    }, 120_000, 500);
    t.ok(nodeIds().includes(reopened.nodeId), `the next node registered under a new id (${reopened.nodeId}) and took it`);
    sendTestPattern(t, reopened.ffmpegArgs, `${size.width}x${size.height}`);
  };
  const end = async () => {
    const ended = await ctx.app.inject({ method: 'POST', url: `/api/broadcasts/${broadcast.id}/end`, headers: admin });
    t.equal(ended.statusCode, 200, 'staff end it');
    return replayReady();
  };
  const replayReady = (timeoutMs = 60_000) => until('the replay is ready', async () => {
    const now = await read();
    return now.replay?.ready && now;
  }, timeoutMs, 250);
  return { broadcast, read, base, before, returnAt, end, replayReady };
}

/** Every segment and init section players held when the node died is stored as it was. */
async function storedAsItWas(t: Test, before: Awaited<ReturnType<typeof liveUntilItsNodeIsKilled>>['before']): Promise<void> {
  for (const { uri, folder, stored } of before) {
    for (const [name, digestBefore] of Object.entries(stored)) t.equal(digest(await bytes(folder + name)), digestBefore, `${uri}: ${name} is stored as it was`);
  }
}

t.test('a plain-RTP sender returning after its media node was killed continues the same broadcast on the next node, after the stored segments', async (t) => {
  const { broadcast, read, base, before, returnAt, end } = await liveUntilItsNodeIsKilled(t);
  await returnAt(SIZE);

  const dir = tempDir(t, 'node-return');
  for (const { uri, folder, segments, init } of before) {
    const last = segments.at(-1)!;
    const playlist = await until(`${uri} has 2 segments after a discontinuity`, async () => {
      const body = await text(base + uri);
      const seam = body.indexOf('#EXT-X-DISCONTINUITY', body.indexOf(`\n${last}\n`));
      return seam >= 0 && segmentNames(body.slice(seam)).length >= 2 ? body : undefined;
    }, 120_000, 250);
    const names = segmentNames(playlist);
    t.same(names.slice(0, segments.length), segments, `${uri} still lists its ${segments.length} stored segments first`);
    const after = segmentNames(playlist.slice(playlist.indexOf('#EXT-X-DISCONTINUITY', playlist.indexOf(`\n${last}\n`))));
    t.ok(after.every((name) => number(name) > number(last)), `${uri}: the new segments are numbered after ${last} (${after[0]}…)`);
    t.equal(parseMediaPlaylist(playlist).init, init, `${uri} keeps its init section`);
    const newest = after.at(-1)!;
    const { frames, samples } = await decodeServed(dir, folder + init, folder + newest);
    t.ok(frames.length > 0 && frames.every((f) => f.width > 0), `${uri}: ${newest} decodes behind the stored init section (${frames.length} frames)`);
    t.ok(samples > 0, `${uri}: ${newest}'s sound decodes behind the stored init section`);
  }
  // Only now, with new segments stored after them: nothing the next node wrote replaced them.
  await storedAsItWas(t, before);
  const live = await read();
  t.equal(live.state, 'live', 'the broadcast is still live');
  t.equal(live.id, broadcast.id, 'under the same id');

  await end();
  for (const { uri, segments } of before) {
    const replay = await text(base + uri);
    t.match(replay, /#EXT-X-ENDLIST\s*$/, `${uri} is closed`);
    const names = segmentNames(replay);
    t.ok(segments.every((name) => names.includes(name)) && names.length > segments.length + 1, `${uri}: the replay holds both parts (${segments.length} + ${names.length - segments.length} segments)`);
  }
});

t.test('a sender returning after its media node was killed at a size that plans another ladder is refused; the stored part is the replay, untouched', async (t) => {
  // Shorter, so the broadcast ends by itself once the refusal starts it again, yet long enough for the next node to come up.
  const graceSeconds = 60;
  const { base, before, returnAt, replayReady } = await liveUntilItsNodeIsKilled(t, graceSeconds);
  // 1280×720 plans 720p/480p/360p where 480p (640×480) and 360p are stored: those segments could not go on.
  await returnAt({ width: 1280, height: 720 });
  const ended = await replayReady((graceSeconds + 60) * 1000);
  t.equal(ended.endedReason, 'transcoder-failed', 'the broadcast ends after the grace: its transcoder refused to start');
  for (const { uri, segments } of before) {
    const replay = await text(base + uri);
    t.match(replay, /#EXT-X-ENDLIST\s*$/, `${uri} is closed`);
    t.same(segmentNames(replay), segments, `${uri}: the replay holds the stored segments, none after`);
  }
  await storedAsItWas(t, before);
  t.notMatch(await text(base + 'master.m3u8'), /720p/, 'the master playlist still names the stored ladder');
});
