// The upload endpoint with S3 configured (Ceph's radosgw, test/helpers/s3.ts): tus writes into the
// bucket under uploads/ (a multipart upload, its .info and .part objects), where players cannot read
// it; the probe at finish and the VOD job read the source through a presigned URL; a refused, removed or
// expired upload leaves no object and no multipart upload behind.
import { HeadObjectCommand, ListMultipartUploadsCommand, ListObjectsV2Command, PutBucketPolicyCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { readFileSync } from 'node:fs';
import t, { type Test } from 'tap';
import { UploadExpiry } from '../../server/uploads/expiry.ts';
import { startApp, staff } from '../helpers/app.ts';
import { makeClipFile, makeNotVideoFile } from '../helpers/clip-files.ts';
import { createUpload, patchUpload, sendClipCutAndResumed, sendWhole } from '../helpers/clip-upload.ts';
import { FakeClock } from '../helpers/clock.ts';
import { tempDir } from '../helpers/media.ts';
import { playersReadPolicy, startS3, type TestS3 } from '../helpers/s3.ts';
import { createChannel } from '../helpers/schedule.ts';
import { clipCount, clipRow, uploadsEndpoint } from '../helpers/uploads.ts';

const keysUnder = async (s3: TestS3, prefix: string): Promise<string[]> =>
  ((await s3.client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: prefix }))).Contents ?? []).map((o) => o.Key!).sort();
const multipartUnder = async (s3: TestS3, prefix: string): Promise<string[]> =>
  ((await s3.client.send(new ListMultipartUploadsCommand({ Bucket: s3.bucket, Prefix: prefix }))).Uploads ?? []).map((u) => u.Key!);

let s3: TestS3;
t.before(async () => {
  s3 = await startS3();
  // As docs/operations.md recommends: only the published prefixes are public.
  await s3.client.send(new PutBucketPolicyCommand({ Bucket: s3.bucket, Policy: JSON.stringify(playersReadPolicy(s3.bucket)) }));
});
t.teardown(() => s3.stop());

async function setUp(t: Test) {
  const ctx = await startApp(t, {
    listen: true,
    env: { S3_ENDPOINT: s3.endpoint, S3_BUCKET: s3.bucket, S3_ACCESS_KEY_ID: s3.accessKeyId, S3_SECRET_ACCESS_KEY: s3.secretAccessKey, S3_REGION: s3.region },
  });
  const editor = await staff(ctx, 'editor');
  return { ctx, headers: { authorization: editor.authorization }, channel: await createChannel(ctx, editor), dir: tempDir(t, 'uploads-s3') };
}

t.test('an upload cut and resumed lands in the bucket under uploads/<clip id>, becomes the clip, and is not publicly readable', async (t) => {
  const { ctx, headers, channel, dir } = await setUp(t);
  // Over one 8-MiB part, so the upload is a real multipart one with a tail kept as .part between PATCHes.
  const file = await makeClipFile(dir, { seconds: 30, width: 1280, height: 720 });
  const bytes = readFileSync(file);
  t.ok(bytes.length > 8 * 1024 * 1024, `the file spans parts (${bytes.length} bytes)`);
  const sent = await sendClipCutAndResumed(uploadsEndpoint(ctx), file, { headers, metadata: { channelId: channel.id, title: '书法班结业展' }, chunkSize: 3 * 1024 * 1024 });
  t.ok(sent.resumedFrom > 0 && sent.resumedFrom === sent.heldAfterCut, `resumed from the server's offset (${sent.resumedFrom} of ${sent.total})`);

  const key = `uploads/${sent.clipId}`;
  t.same(await keysUnder(s3, key), [key, `${key}.info`], 'the source and its .info, nothing else');
  t.equal((await s3.client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: key }))).ContentLength, bytes.length, 'every byte');
  t.same(await multipartUnder(s3, key), [], 'the multipart upload is complete');
  t.match(await clipRow(ctx, sent.clipId), { sizeBytes: bytes.length, width: 1280, height: 720 }, 'the clip, probed through a presigned URL');

  t.equal((await fetch(`${s3.endpoint}/${s3.bucket}/${key}`)).status, 403, 'anonymous GET of the source is refused');
  t.equal((await fetch(`${s3.endpoint}/${s3.bucket}/${key}.info`)).status, 403, 'and of its .info');
  await s3.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: `clips/${sent.clipId}/poster.jpg`, Body: 'jpeg' }));
  t.equal((await fetch(`${s3.endpoint}/${s3.bucket}/clips/${sent.clipId}/poster.jpg`)).status, 200, 'while published files are public');

  const source = await ctx.services.clipSources.locate(sent.clipId);
  t.equal(source.kind, 'url', 'a VOD job gets a URL');
  const got = await fetch(source.kind === 'url' ? source.url : '', { headers: { range: 'bytes=0-7' } });
  t.equal(got.status, 206, 'which reads the source with ranges');
  t.same(Buffer.from(await got.arrayBuffer()), bytes.subarray(0, 8));
  t.ok(Number(new URL(source.kind === 'url' ? source.url : '').searchParams.get('X-Amz-Expires')) >= 6 * 3600, 'for at least 6 hours');

  await ctx.services.clipSources.remove(sent.clipId);
  t.same(await keysUnder(s3, key), [], 'removing a source leaves nothing');
  await t.resolves(ctx.services.clipSources.remove(sent.clipId), 'and removing it again is harmless');
});

t.test('a refused file leaves no object and no multipart upload in the bucket', async (t) => {
  const { ctx, headers, channel, dir } = await setUp(t);
  const sent = await sendWhole(uploadsEndpoint(ctx), makeNotVideoFile(dir), { channelId: channel.id, title: '不是视频' }, headers);
  t.equal(sent.finish.status, 422);
  t.equal((await sent.finish.json()).code, 'UPLOAD_NOT_VIDEO');
  t.same(await keysUnder(s3, `uploads/${sent.clipId}`), []);
  t.same(await multipartUnder(s3, `uploads/${sent.clipId}`), []);
  t.equal(await clipCount(ctx, sent.clipId), 0);
});

t.test('an unfinished upload in the bucket is removed by the expiry sweep, its multipart upload aborted', async (t) => {
  const { ctx, headers, channel } = await setUp(t);
  const created = await createUpload(uploadsEndpoint(ctx), 20_000, { channelId: channel.id, title: '没传完' }, headers);
  const url = created.headers.get('location')!;
  const key = `uploads/${url.split('/').at(-1)}`;
  t.equal((await patchUpload(url, 0, Buffer.alloc(5000, 1), headers)).status, 204);
  t.same(await keysUnder(s3, key), [`${key}.info`, `${key}.part`], 'the .info and the short tail as .part');
  t.same(await multipartUnder(s3, key), [key], 'and its multipart upload');

  const clock = new FakeClock(new Date(Date.now() + 25 * 3600_000));
  const expiry = new UploadExpiry(ctx.services.clipSources.backend, { clock, expireMs: 24 * 3600_000, logger: ctx.app.log as never });
  t.same(await expiry.sweep(), [key], 'a day later it is swept');
  t.same(await keysUnder(s3, key), [], 'no object left');
  t.same(await multipartUnder(s3, key), [], 'no multipart upload left');
});
