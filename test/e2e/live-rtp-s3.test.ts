// The plain-RTP live path into a real S3-compatible server (Ceph's radosgw, see test/helpers/s3.ts):
// the media node gets the S3 settings from the control plane, links.hls points into the bucket, and a
// 20-second gateway outage mid-broadcast loses no segment of the replay; hls.js in Chromium plays the
// live broadcast and the replay from the bucket's public URL (its CORS rule lets any origin GET).
// Run alone: MEDIASOUP_WORKER_BIN=$(node scripts/mediasoup.mjs) node node_modules/.bin/tap <this file>
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import t from 'tap';
import { startApp, staff } from '../helpers/app.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { streamCodecs } from '../helpers/ffprobe.ts';
import { hlsPlayer, listedSeconds, watchLive, watchReplay } from '../helpers/hls-playback.ts';
import { sendTestPattern, startMediaNode } from '../helpers/media-node.ts';
import { startS3, type TestS3 } from '../helpers/s3.ts';
import { createBroadcast, createChannel } from '../helpers/schedule.ts';
import { until } from '../helpers/until.ts';

const OUTAGE_MS = 20_000;

async function text(s3: TestS3, key: string): Promise<string | undefined> {
  try {
    return await (await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }))).Body?.transformToString();
  } catch {
    return undefined;
  }
}

const exists = (s3: TestS3, key: string) => s3.client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: key })).then(() => true, () => false);

/** The rendition playlists a master names: its variants, and any other (URI=) rendition, of which there should be none. */
const renditions = (master: string): string[] => [
  ...master.split('\n').filter((line) => line.endsWith('.m3u8') && !line.startsWith('#')),
  ...[...master.matchAll(/URI="([^"]+)"/g)].map((m) => m[1]),
];
/** The files a media playlist names: its init section and its segments. */
const named = (playlist: string): string[] => [
  ...[...playlist.matchAll(/#EXT-X-MAP:URI="([^"]+)"/g)].map((m) => m[1]),
  ...playlist.split('\n').filter((line) => line.endsWith('.m4s')),
];

t.test('a feed into S3 survives a 20-second gateway outage and ends as a complete replay in the bucket', async (t) => {
  const s3 = await startS3(t);
  const ctx = await startApp(t, {
    listen: true,
    env: { S3_ENDPOINT: s3.endpoint, S3_BUCKET: s3.bucket, S3_ACCESS_KEY_ID: s3.accessKeyId, S3_SECRET_ACCESS_KEY: s3.secretAccessKey, S3_REGION: s3.region },
  });
  await startMediaNode(t, ctx);
  const admin = await staff(ctx, 'admin');
  const broadcast = await createBroadcast(ctx, admin, (await createChannel(ctx, admin)).id);
  const prefix = `live/${broadcast.id}`;
  t.equal(broadcast.links.hls, `${s3.endpoint}/${s3.bucket}/${prefix}/master.m3u8`, 'links.hls points into the bucket');

  // A small feed: one copied rendition carrying the sound keeps the CPU free for tests running beside this one.
  const opened = await ctx.app.inject({ method: 'POST', url: `/api/broadcasts/${broadcast.id}/ingest/rtp`, headers: admin, payload: { width: 640, height: 360 } });
  sendTestPattern(t, opened.json().ffmpegArgs, '640x360');

  const master = await until('the master playlist lands in the bucket', () => text(s3, `${prefix}/master.m3u8`), 20_000, 200);
  t.same(renditions(master), ['360p/index.m3u8'], 'the 360p feed copied, its sound inside it');
  const video = `${prefix}/${renditions(master)[0]}`;

  // Players load from the bucket's public URL, a cross-origin request from the page's origin.
  const player = await hlsPlayer(t, await launchBrowser(t));
  const live = { live: true, rungs: 1, topHeight: 360, picture: true, sound: true };
  t.same(await watchLive(player, broadcast.links.hls), live, 'hls.js plays the live broadcast from the bucket, a picture on screen and its sound decoded');
  t.same((await streamCodecs(`${s3.endpoint}/${s3.bucket}/${video}`)).sort(), ['aac', 'h264'], 'ffprobe reads the rung’s picture and its sound from the bucket');

  const before = named((await text(s3, video)) ?? '').length;
  await s3.stopGateway();
  await new Promise<void>((resolve, reject) => setTimeout(() => s3.startGateway().then(resolve, reject), OUTAGE_MS));
  await until('segments written during and after the outage land', async () => named((await text(s3, video)) ?? '').length > before + OUTAGE_MS / 1000, 30_000, 200);

  t.equal((await ctx.app.inject({ method: 'POST', url: `/api/broadcasts/${broadcast.id}/end`, headers: admin })).statusCode, 200);
  for (const uri of renditions(master)) {
    const key = `${prefix}/${uri}`;
    const replay = await until(`${uri} ends with #EXT-X-ENDLIST in the bucket`, async () => {
      const body = await text(s3, key);
      return body && /#EXT-X-ENDLIST\s*$/.test(body) ? body : undefined;
    }, 20_000, 200);
    const files = named(replay);
    t.ok(files.length > before + OUTAGE_MS / 1000, `${uri} names ${files.length} files, from before, during and after the outage`);
    const folder = key.slice(0, key.lastIndexOf('/') + 1);
    const missing = [];
    for (const file of files) if (!(await exists(s3, folder + file))) missing.push(file);
    t.same(missing, [], `every file ${uri} names is in the bucket`);
  }
  const replay = await watchReplay(player, broadcast.links.hls, listedSeconds((await text(s3, video)) ?? ''));
  t.match(replay, { vod: true, lastsAsListed: true, playsFromMiddle: true, playsFromStart: true }, 'the bucket serves the whole broadcast as a replay, from its middle and its start');
});
