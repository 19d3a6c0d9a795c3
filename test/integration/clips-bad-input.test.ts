// What a careless client or a bad file does to recorded clips (issue 7, "Bad input"): each is refused with
// a stable code and a message in both languages, and leaves nothing behind. Real parts: the app listening
// on a port, the bare tus requests any client sends, real ffprobe. The transcode's own bad cases (a job
// that dies half-way, a review too early) are in clips-transcode-failure.test.ts.
// Run alone: MEDIASOUP_WORKER_BIN=$(node scripts/mediasoup.mjs) node node_modules/.bin/tap <this file>
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import type { TestApp } from '../helpers/app.ts';
import { makeClipFile, makeCorruptFile, makeNotVideoFile, makeAudioOnlyFile } from '../helpers/clip-files.ts';
import { clipTestApp as setUp, createUpload, jobRows, patchUpload, publishedFilesOf, sendWhole, TUS_VERSION } from '../helpers/clip-upload.ts';
import { clipCount as clipRows, residentDevice, uploadFiles as uploadFilesOf, uploadsEndpoint } from '../helpers/uploads.ts';

t.test('a truncated upload never becomes a clip', async (t) => {
  const { ctx, headers, channel, dir } = await setUp(t);
  const bytes = readFileSync(await makeClipFile(dir, { seconds: 2, width: 320, height: 240 }));
  const created = await createUpload(uploadsEndpoint(ctx), bytes.length, { channelId: channel.id, title: '半截视频' }, headers);
  t.equal(created.status, 201, 'the upload is created');
  const url = new URL(created.headers.get('location')!, uploadsEndpoint(ctx)).href;
  const id = url.split('/').at(-1)!;
  const half = Math.floor(bytes.length / 2);
  t.equal((await patchUpload(url, 0, bytes.subarray(0, half), headers)).status, 204, 'the first half is accepted');
  const head = await fetch(url, { method: 'HEAD', headers: { ...headers, 'tus-resumable': TUS_VERSION } });
  t.equal(head.headers.get('upload-offset'), String(half), 'the server holds half');
  t.equal(head.headers.get('upload-length'), String(bytes.length), 'of the length it was told');

  const res = await fetch(`${ctx.url}/api/clips/${id}`, { headers });
  t.equal(res.status, 404, 'there is no clip under the upload’s id');
  t.equal((await res.json()).code, 'CLIP_NOT_FOUND', 'CLIP_NOT_FOUND');
  t.equal(await clipRows(ctx, id), 0, 'no clip row');
  t.equal(await jobRows(ctx, id), 0, 'no transcode job');
});

t.test('a second upload under the same upload id is refused and the clip is untouched', async (t) => {
  const { ctx, headers, channel, dir } = await setUp(t);
  const file = await makeClipFile(dir, { seconds: 2, width: 320, height: 240 });
  const first = await sendWhole(uploadsEndpoint(ctx), file, { channelId: channel.id, title: '第一次上传' }, headers);
  t.equal(first.finish.status, 204, `the first upload finishes: ${first.finish.status === 204 ? '' : await first.finish.text()}`);
  const before = await (await fetch(`${ctx.url}/api/clips/${first.clipId}`, { headers })).json();
  t.equal(before.title, '第一次上传', 'it became the clip');

  const bytes = readFileSync(file);
  const again = await patchUpload(first.url, 0, bytes, headers);
  t.ok(again.status >= 400 && again.status < 500, `sending the file again from byte 0 is refused (${again.status})`);
  // tus lets a PATCH with no bytes at the end "finish" the upload once more: that must not make a second clip.
  const refinish = await patchUpload(first.url, bytes.length, Buffer.alloc(0), headers);
  t.ok(refinish.status >= 400 && refinish.status < 500, `finishing it a second time is refused (${refinish.status}: ${await refinish.text()})`);
  const other = readFileSync(await makeClipFile(dir, { seconds: 1, width: 320, height: 240, name: 'other.mp4' }));
  const more = await patchUpload(first.url, bytes.length, other, headers);
  t.ok(more.status >= 400 && more.status < 500, `more bytes after the end are refused (${more.status})`);

  const after = await (await fetch(`${ctx.url}/api/clips/${first.clipId}`, { headers })).json();
  t.same(after, before, 'the clip is exactly as it was');
  t.equal(await clipRows(ctx, first.clipId), 1, 'one clip row');
  t.equal(await jobRows(ctx, first.clipId), 1, 'one transcode job');
});

/** A refused file: the finishing request answers 422 problem JSON, and nothing of it is left anywhere. */
async function refusedAndGone(t: Test, ctx: TestApp, sent: { url: string; clipId: string; finish: Response }, code: string, headers: Record<string, string>) {
  t.equal(sent.finish.status, 422, 'the finishing request is refused');
  t.match(sent.finish.headers.get('content-type'), /^application\/problem\+json/, 'as problem JSON');
  const problem = await sent.finish.json();
  t.match(problem, { status: 422, code, messages: { 'zh-CN': /[\u4e00-\u9fff]/, en: /[a-z]/ } }, `a stable code and a message in both languages: ${JSON.stringify(problem)}`);
  t.same(uploadFilesOf(ctx, sent.clipId), [], 'its bytes are gone from the uploads dir');
  t.equal(await clipRows(ctx, sent.clipId), 0, 'no clip row');
  t.equal(await jobRows(ctx, sent.clipId), 0, 'no transcode job');
  t.same(publishedFilesOf(ctx, sent.clipId), [], 'nothing in the media storage');
  t.equal((await fetch(`${ctx.url}/api/clips/${sent.clipId}`, { headers })).status, 404, 'the API knows no such clip');
  t.ok((await fetch(sent.url, { method: 'HEAD', headers: { ...headers, 'tus-resumable': TUS_VERSION } })).status >= 400, 'nor does the upload endpoint');
}

for (const bad of [
  { name: 'a non-video file', code: 'UPLOAD_NOT_VIDEO', make: (dir: string) => Promise.resolve(makeNotVideoFile(dir)) },
  { name: 'a corrupt file', code: 'UPLOAD_CORRUPT', make: (dir: string) => makeCorruptFile(dir) },
  { name: 'a sound-only file', code: 'UPLOAD_NO_VIDEO_STREAM', make: (dir: string) => makeAudioOnlyFile(dir) },
]) {
  t.test(`${bad.name} gets a clear error in Chinese and English (${bad.code}) and leaves nothing behind`, async (t) => {
    const { ctx, headers, channel, dir } = await setUp(t);
    const sent = await sendWhole(uploadsEndpoint(ctx), await bad.make(dir), { channelId: channel.id, title: '坏文件' }, headers);
    await refusedAndGone(t, ctx, sent, bad.code, headers);
  });
}

t.test('a video longer than LINBO_CLIP_MAX_SECONDS is refused once probed and leaves nothing behind', async (t) => {
  const { ctx, headers, channel, dir } = await setUp(t, { LINBO_CLIP_MAX_SECONDS: '2' });
  const sent = await sendWhole(uploadsEndpoint(ctx), await makeClipFile(dir, { seconds: 4, width: 320, height: 240 }), { channelId: channel.id, title: '太长了' }, headers);
  await refusedAndGone(t, ctx, sent, 'UPLOAD_TOO_LONG', headers);
});

t.test('an upload larger than LINBO_MAX_UPLOAD_BYTES is refused before a byte is sent', async (t) => {
  const { ctx, headers, channel } = await setUp(t, { LINBO_MAX_UPLOAD_BYTES: String(1024 * 1024) });
  const res = await createUpload(uploadsEndpoint(ctx), 1024 * 1024 + 1, { channelId: channel.id, title: '太大了' }, headers);
  t.equal(res.status, 413, 'the creation request is refused');
  t.match(await res.json(), { code: 'UPLOAD_TOO_LARGE' }, 'with UPLOAD_TOO_LARGE');
  t.same(existsSync(join(ctx.config.dataDir, 'uploads')) ? readdirSync(join(ctx.config.dataDir, 'uploads')) : [], [], 'nothing was stored');
});

t.test('a resident cannot see another device’s pending submission, while the sending device can', async (t) => {
  const { ctx, headers, channel, dir } = await setUp(t);
  const mine = residentDevice();
  const theirs = residentDevice();
  const file = await makeClipFile(dir, { seconds: 2, width: 320, height: 240 });
  const sent = await sendWhole(uploadsEndpoint(ctx), file, { channelId: channel.id, title: '我的太极拳', displayName: '王阿姨' }, mine);
  t.equal(sent.finish.status, 204, `a resident’s upload finishes without a staff login: ${sent.finish.status === 204 ? '' : await sent.finish.text()}`);

  const own = await fetch(`${ctx.url}/api/clips/${sent.clipId}`, { headers: mine });
  t.equal(own.status, 200, 'the sending device sees its submission');
  t.match(await own.json(), { source: 'resident', submitterName: '王阿姨', state: /^(uploaded|processing|in_review)$/ }, 'pending, with the name the resident gave');
  const other = await fetch(`${ctx.url}/api/clips/${sent.clipId}`, { headers: theirs });
  t.equal(other.status, 404, 'another device gets 404');
  t.match(await other.json(), { code: 'CLIP_NOT_FOUND' }, 'as if there were no such clip');
  t.equal((await fetch(`${ctx.url}/api/clips/${sent.clipId}`)).status, 404, 'so does a request with no device');
  t.equal((await fetch(`${ctx.url}/api/clips/${sent.clipId}`, { headers })).status, 200, 'staff see it, to review it');
});
