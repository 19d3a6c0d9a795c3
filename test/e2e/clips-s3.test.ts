// A recorded clip with S3 configured (Ceph's radosgw, test/helpers/s3.ts): the tus upload goes into the
// bucket under uploads/ (cut and resumed there too), where players cannot read it; the media node
// publishes the ladder under clips/<id>/, and hls.js in Chromium plays the clip from the bucket.
// Run alone: MEDIASOUP_WORKER_BIN=$(node scripts/mediasoup.mjs) node node_modules/.bin/tap <this file>
import { ListObjectsV2Command, PutBucketPolicyCommand } from '@aws-sdk/client-s3';
import t from 'tap';
import { startApp, staff } from '../helpers/app.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { makeClipFile } from '../helpers/clip-files.ts';
import { sendClipCutAndResumed, watchClip } from '../helpers/clip-upload.ts';
import { hlsPlayer } from '../helpers/hls-playback.ts';
import { tempDir } from '../helpers/media.ts';
import { startMediaNode } from '../helpers/media-node.ts';
import { playersReadPolicy, startS3, type TestS3 } from '../helpers/s3.ts';
import { createChannel } from '../helpers/schedule.ts';

const keysUnder = async (s3: TestS3, prefix: string): Promise<string[]> =>
  ((await s3.client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: prefix }))).Contents ?? []).map((o) => o.Key!);

t.test('with S3 configured a clip’s source is uploaded into the bucket where players cannot read it, and its ladder is published and played from the bucket', async (t) => {
  const s3 = await startS3(t);
  await s3.client.send(new PutBucketPolicyCommand({ Bucket: s3.bucket, Policy: JSON.stringify(playersReadPolicy(s3.bucket)) }));
  const ctx = await startApp(t, {
    listen: true,
    env: { S3_ENDPOINT: s3.endpoint, S3_BUCKET: s3.bucket, S3_ACCESS_KEY_ID: s3.accessKeyId, S3_SECRET_ACCESS_KEY: s3.secretAccessKey, S3_REGION: s3.region },
  });
  await startMediaNode(t, ctx);
  const editor = await staff(ctx, 'editor');
  const authorization = { authorization: editor.authorization };
  const channel = await createChannel(ctx, editor);
  const file = await makeClipFile(tempDir(t, 'clips-s3'), { seconds: 6, width: 1280, height: 720 });

  const sent = await sendClipCutAndResumed(`${ctx.url}/api/uploads`, file, { headers: authorization, metadata: { channelId: channel.id, title: '书法班结业展' }, chunkSize: 256 * 1024 });
  t.equal(sent.resumedFrom, sent.heldAfterCut, `the upload into the bucket resumed where it was cut (${sent.heldAfterCut} of ${sent.total} bytes)`);
  t.ok(sent.resumedFrom > 0, 'not from byte 0');

  const sources = await keysUnder(s3, 'uploads/');
  const source = sources.find((key) => key === `uploads/${sent.clipId}`) ?? sources.find((key) => key.includes(sent.clipId) && !key.endsWith('.info'));
  t.ok(source, `the source is in the bucket under uploads/ (${sources.join(', ')})`);
  const anonymous = await fetch(`${s3.endpoint}/${s3.bucket}/${source}`);
  t.equal(anonymous.status, 403, 'and an anonymous GET of it is refused');

  const { clip } = await watchClip(ctx.url, sent.clipId, authorization, ['in_review', 'published', 'failed']);
  t.equal(clip.state, 'in_review', `the media node transcoded it from the bucket: ${JSON.stringify(clip.error)}`);
  const prefix = `clips/${sent.clipId}/`;
  t.equal(clip.links.hls, `${s3.endpoint}/${s3.bucket}/${prefix}master.m3u8`, 'links.hls points into the bucket');
  const published = await keysUnder(s3, prefix);
  for (const key of ['master.m3u8', 'poster.jpg', 'thumbnails.vtt']) t.ok(published.includes(prefix + key), `${key} is in the bucket`);
  t.ok(published.some((key) => /\/720p\/index\.m3u8$/.test(key)), 'and the 720p rung');
  t.ok(published.some((key) => key.endsWith('.m4s')), `with its segments (${published.length} objects)`);
  t.equal((await fetch(clip.links.poster)).headers.get('content-type'), 'image/jpeg', 'anyone may fetch the poster');

  const approved = await fetch(`${ctx.url}/api/clips/${sent.clipId}/approve`, { method: 'POST', headers: authorization });
  t.equal(approved.status, 200, 'an editor approves it');

  const player = await hlsPlayer(t, await launchBrowser(t));
  const playback = await player.play(clip.links.hls);
  try {
    const watched = await playback.until('hls.js plays the clip from the bucket', (r) => r.started && r.played >= 2, 60_000);
    t.equal(watched.live, false, 'as VOD');
    t.ok(watched.contrast > 32, 'a picture on screen');
    t.equal(Math.max(...watched.levels.map((l) => l.height)), 720, 'the ladder tops at the source’s 720, no upscale');
  } finally {
    await playback.close();
  }
});
