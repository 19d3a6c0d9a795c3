import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { startApp } from '../helpers/app.ts';
import { openMediaStorage } from '../../media/storage/open.ts';
import { mediaTypeOf } from '../../media/storage/storage.ts';

const PLAYLIST = '#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:2\n#EXT-X-MAP:URI="init.mp4"\n#EXTINF:2.000,\nseg_00001.m4s\n';

// One app for the file: its local media storage holds a rendition's playlist, init section and segment, and a thumbnail.
const ctx = await startApp(t);
const storage = openMediaStorage(ctx.config);
const put = (key: string, body: Buffer | string) => storage.put(key, Buffer.from(body), mediaTypeOf(key));
await put('live/b1/720p/index.m3u8', PLAYLIST);
await put('live/b1/720p/init.mp4', Buffer.alloc(700, 1));
await put('live/b1/720p/seg_00001.m4s', Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 256)));
await put('live/b1/thumb.jpg', Buffer.from([0xff, 0xd8, 0xff, 0xd9]));

t.test('a playlist is served as an HLS playlist that caches must revalidate, readable from any site', async (t) => {
  const res = await ctx.app.inject({ url: '/media/live/b1/720p/index.m3u8', headers: { origin: 'https://wechat.example.cn' } });
  t.equal(res.statusCode, 200);
  t.equal(res.body, PLAYLIST);
  t.equal(res.headers['content-type'], 'application/vnd.apple.mpegurl');
  t.equal(res.headers['cache-control'], 'no-cache');
  t.equal(res.headers['access-control-allow-origin'], '*');
  t.ok(res.headers.etag, 'a revalidation can answer 304');
});

t.test('segments, init sections and pictures are immutable for a year, each with its own type', async (t) => {
  const expected: Record<string, string> = {
    'live/b1/720p/seg_00001.m4s': 'video/iso.segment',
    'live/b1/720p/init.mp4': 'video/mp4',
    'live/b1/thumb.jpg': 'image/jpeg',
  };
  for (const [key, type] of Object.entries(expected)) {
    const res = await ctx.app.inject({ url: `/media/${key}` });
    t.equal(res.statusCode, 200, key);
    t.equal(res.headers['content-type'], type, key);
    t.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable', key);
    t.equal(res.headers['access-control-allow-origin'], '*', key);
  }
});

t.test('a byte range of a segment is answered with 206 and exactly those bytes', async (t) => {
  const res = await ctx.app.inject({ url: '/media/live/b1/720p/seg_00001.m4s', headers: { range: 'bytes=100-199' } });
  t.equal(res.statusCode, 206);
  t.equal(res.headers['content-range'], 'bytes 100-199/1000');
  t.same([...res.rawPayload], Array.from({ length: 100 }, (_, i) => (100 + i) % 256));
});

t.test('a cross-site range request passes its preflight', async (t) => {
  const res = await ctx.app.inject({
    method: 'OPTIONS',
    url: '/media/live/b1/720p/seg_00001.m4s',
    headers: { origin: 'https://embed.example.cn', 'access-control-request-method': 'GET', 'access-control-request-headers': 'range' },
  });
  t.equal(res.statusCode, 204);
  t.equal(res.headers['access-control-allow-origin'], '*');
  t.match(res.headers['access-control-allow-headers'], /Range/i);
});

t.test('a missing media file is a NOT_FOUND problem, and paths cannot climb out of the media dir', async (t) => {
  const missing = await ctx.app.inject({ url: '/media/live/b1/720p/seg_09999.m4s' });
  t.equal(missing.statusCode, 404);
  t.equal(missing.json().code, 'NOT_FOUND');
  t.match(missing.headers['content-type'], /application\/problem\+json/);
  writeFileSync(join(ctx.config.dataDir, 'outside.txt'), 'not media');
  for (const url of ['/media/..%2foutside.txt', '/media/live/../../outside.txt', '/media/%2e%2e/outside.txt']) {
    const climbing = await ctx.app.inject({ url });
    t.equal(climbing.statusCode, 404, url);
    t.equal(climbing.json().code, 'NOT_FOUND', url);
  }
});

t.test('the local storage names files by the URL the control plane serves them at', async (t) => {
  const url = new URL(storage.publicUrl('live/b1/720p/index.m3u8'));
  t.equal(url.origin, ctx.config.publicUrl);
  const res = await ctx.app.inject({ url: url.pathname });
  t.equal(res.body, PLAYLIST);
});
