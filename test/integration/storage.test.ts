import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import t from 'tap';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { FsMediaStorage } from '../../media/storage/fs.ts';
import { S3MediaStorage } from '../../media/storage/s3.ts';
import { mediaTypeOf, type MediaStorage } from '../../media/storage/storage.ts';
import { startS3 } from '../helpers/s3.ts';

const s3 = await startS3(t);
const mediaDir = mkdtempSync(join(tmpdir(), 'linbo-media-'));
t.teardown(() => rmSync(mediaDir, { recursive: true, force: true }));
const s3Options = { ...s3, publicUrl: `${s3.endpoint}/${s3.bucket}`, forcePathStyle: true, requestTimeoutMs: 2_000 };
const storages: Record<string, MediaStorage> = {
  fs: new FsMediaStorage(mediaDir, 'http://127.0.0.1:8080/media'),
  s3: new S3MediaStorage(s3Options),
};
t.teardown(() => Object.values(storages).forEach((s) => s.close()));

const PLAYLIST = '#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.000,\nseg_00001.m4s\n';

for (const [kind, storage] of Object.entries(storages)) {
  const put = (key: string, body: Buffer | Readable) => storage.put(key, body, mediaTypeOf(key));

  t.test(`[${kind}] a playlist reads back byte for byte, typed as HLS and never cached without revalidation`, async (t) => {
    await put('live/b1/720p/index.m3u8', Buffer.from(PLAYLIST));
    const got = await storage.get('live/b1/720p/index.m3u8');
    t.equal(got?.body.toString(), PLAYLIST);
    t.equal(got?.contentType, 'application/vnd.apple.mpegurl');
    t.equal(got?.cacheControl, 'no-cache');
  });

  t.test(`[${kind}] a segment reads back byte for byte and may be cached for a year`, async (t) => {
    const bytes = randomBytes(300_000);
    await put('live/b1/720p/seg_00001.m4s', bytes);
    const got = await storage.get('live/b1/720p/seg_00001.m4s');
    t.ok(got?.body.equals(bytes), 'same bytes');
    t.equal(got?.contentType, 'video/iso.segment');
    t.equal(got?.cacheControl, 'public, max-age=31536000, immutable');
  });

  t.test(`[${kind}] a stream larger than one upload part arrives whole`, async (t) => {
    const bytes = randomBytes(20 * 1024 * 1024);
    const chunks = Array.from({ length: 20 }, (_, i) => bytes.subarray(i * 1024 * 1024, (i + 1) * 1024 * 1024));
    await put('vod/c1/source.mp4', Readable.from(chunks));
    const got = await storage.get('vod/c1/source.mp4');
    t.equal(got?.body.length, bytes.length);
    t.ok(got?.body.equals(bytes), 'same bytes');
    t.equal(got?.contentType, 'video/mp4');
  });

  t.test(`[${kind}] a key never written reads as undefined`, async (t) => {
    t.equal(await storage.get('live/nothing/index.m3u8'), undefined);
  });

  t.test(`[${kind}] deleting a broadcast's folder removes all of it and nothing beside it`, async (t) => {
    for (const key of ['live/d1/index.m3u8', 'live/d1/720p/index.m3u8', 'live/d1/720p/seg_00001.m4s', 'live/d10/index.m3u8']) {
      await put(key, Buffer.from(key));
    }
    await storage.delete('live/d1');
    t.equal(await storage.get('live/d1/index.m3u8'), undefined);
    t.equal(await storage.get('live/d1/720p/seg_00001.m4s'), undefined);
    t.equal((await storage.get('live/d10/index.m3u8'))?.body.toString(), 'live/d10/index.m3u8', 'a neighbour whose name starts the same stays');
  });

  t.test(`[${kind}] keys that could leave the media root are refused`, async (t) => {
    for (const key of ['../escape.m3u8', 'live/../../escape.m3u8', '/live/abs.m3u8', 'live//double.m3u8', 'live\\back.m3u8', '']) {
      await t.rejects(put(key, Buffer.from('x')), /not a media key/, JSON.stringify(key));
    }
    await t.rejects(storage.delete(''), /not a media key/, 'deleting everything is not a folder delete');
  });

  t.test(`[${kind}] the public URL escapes each part of the key`, async (t) => {
    t.match(storage.publicUrl('live/b1/封面 1.jpg'), /\/live\/b1\/%E5%B0%81%E9%9D%A2%201\.jpg$/);
  });
}

t.test('[fs] a reader never sees part of a file while it is being replaced', async (t) => {
  const fs = storages.fs;
  const versions = [Buffer.alloc(2 * 1024 * 1024, 'a'), Buffer.alloc(2 * 1024 * 1024, 'b')];
  await fs.put('live/r1/index.m3u8', versions[0], mediaTypeOf('index.m3u8'));
  let writing = true;
  const writer = (async () => {
    for (let i = 1; i <= 40; i++) await fs.put('live/r1/index.m3u8', versions[i % 2], mediaTypeOf('index.m3u8'));
    writing = false;
  })();
  let reads = 0;
  while (writing) {
    const got = await fs.get('live/r1/index.m3u8');
    reads += 1;
    if (!versions.some((v) => got?.body.equals(v))) t.fail(`read ${reads} saw ${got?.body.length} bytes that are neither version`);
  }
  await writer;
  t.ok(reads > 0, `${reads} reads during 40 replacements were all complete versions`);
});

t.test('[s3] objects carry their Content-Type and Cache-Control, and players fetch the public URL without keys', async (t) => {
  await storages.s3.put('live/h1/720p/seg_00007.m4s', Buffer.from('segment'), mediaTypeOf('seg_00007.m4s'));
  const head = await s3.client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: 'live/h1/720p/seg_00007.m4s' }));
  t.equal(head.ContentType, 'video/iso.segment');
  t.equal(head.CacheControl, 'public, max-age=31536000, immutable');
  const res = await fetch(storages.s3.publicUrl('live/h1/720p/seg_00007.m4s'));
  t.equal(res.status, 200);
  t.equal(await res.text(), 'segment');
  t.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable');
});

t.test('[s3] a frozen gateway makes a put fail at the request time limit instead of hanging', async (t) => {
  s3.freezeGateway();
  t.teardown(() => s3.thawGateway());
  await t.rejects(storages.s3.put('live/f1/seg_00001.m4s', Buffer.from('x'), mediaTypeOf('seg_00001.m4s')), { name: 'TimeoutError' });
  s3.thawGateway();
  await storages.s3.put('live/f1/seg_00001.m4s', Buffer.from('x'), mediaTypeOf('seg_00001.m4s'));
  t.equal((await storages.s3.get('live/f1/seg_00001.m4s'))?.body.toString(), 'x', 'works again once the gateway does');
});
