// The resumable upload endpoint (/api/uploads, tus 1.0): tus-js-client in Node against the app on a real
// port, real ffprobe and ffmpeg at finish, the file store in the test's data dir, PGlite (and PostgreSQL
// where it is cheap). Who may upload, what the metadata must say, the limits, the probe's refusals, and
// that a finished upload's id takes no more requests.
import { readFileSync, statSync } from 'node:fs';
import t, { type Test } from 'tap';
import { startApp, staff, type TestApp } from '../helpers/app.ts';
import { makeAudioOnlyFile, makeClipFile, makeCorruptFile, makeNotVideoFile } from '../helpers/clip-files.ts';
import { createUpload, patchUpload, sendClip, sendClipCutAndResumed, sendWhole, TUS_VERSION } from '../helpers/clip-upload.ts';
import { tempDir } from '../helpers/media.ts';
import { createChannel } from '../helpers/schedule.ts';
import { clipCount, clipRow, residentDevice, uploadFiles, uploadsEndpoint } from '../helpers/uploads.ts';

const DB = process.env.DATABASE_URL ? (['pglite', 'postgres'] as const) : (['pglite'] as const);

async function setUp(t: Test, options: { env?: Record<string, string>; db?: 'pglite' | 'postgres' } = {}) {
  const ctx = await startApp(t, { listen: true, env: options.env, db: options.db });
  const editor = await staff(ctx, 'editor');
  const headers = { authorization: editor.authorization };
  const channel = await createChannel(ctx, editor);
  return { ctx, headers, channel, dir: tempDir(t, 'uploads') };
}

const head = (url: string, headers: Record<string, string>) => fetch(url, { method: 'HEAD', headers: { ...headers, 'tus-resumable': TUS_VERSION } });

/** A HEAD's refusal: its status only (a HEAD answer has no body to carry the code). */
async function refusedHead(t: Test, url: string, headers: Record<string, string>, status: number) {
  t.equal((await head(url, headers)).status, status, `HEAD answers ${status}`);
}

async function problemOf(t: Test, res: Response, status: number, code: string) {
  t.equal(res.status, status, `answers ${status}`);
  t.match(res.headers.get('content-type'), /^application\/problem\+json/, 'as problem JSON');
  const body = await res.json();
  t.equal(body.code, code, `with the code ${code}: ${JSON.stringify(body)}`);
  return body;
}

for (const db of DB) {
  t.test(`a staff upload sent with tus-js-client becomes the clip with the upload's id (${db})`, async (t) => {
    const { ctx, headers, channel, dir } = await setUp(t, { db });
    const file = await makeClipFile(dir, { seconds: 3, width: 640, height: 360 });
    const bytes = readFileSync(file);
    const sent = await sendClip(uploadsEndpoint(ctx), bytes, { headers, metadata: { channelId: channel.id, title: '重阳节文艺汇演', filename: 'gala.mp4' }, chunkSize: 256 * 1024 }).finished;
    t.match(sent.url, new RegExp(`^${ctx.url}/api/uploads/[0-9a-f-]{36}$`), 'the upload URL ends in a UUID');

    const clip = await clipRow(ctx, sent.clipId);
    t.ok(clip, 'the clip exists under the upload id');
    t.match(clip, { channelId: channel.id, title: '重阳节文艺汇演', filename: 'gala.mp4', source: 'staff', sizeBytes: bytes.length, width: 640, height: 360 });
    t.match(clip.probe, { width: 640, height: 360, videoCodec: 'h264', audioCodec: 'aac', container: /mp4/ }, 'with what ffprobe found');
    t.ok(Math.abs(clip.durationSeconds! - 3) < 0.2, `about 3 s long (${clip.durationSeconds})`);
    const source = await ctx.services.clipSources.locate(sent.clipId);
    t.equal(source.kind, 'file', 'its source is on this machine');
    t.equal(source.kind === 'file' && statSync(source.path).size, bytes.length, 'with every byte');
  });

  t.test(`residents over their hourly number of submissions are refused, per device and per address (${db})`, async (t) => {
    const { ctx, channel, dir } = await setUp(t, { db, env: { LINBO_SUBMISSIONS_PER_HOUR: '2', LINBO_SUBMISSIONS_PER_HOUR_PER_IP: '3' } });
    const file = await makeClipFile(dir, { seconds: 1, width: 320, height: 240 });
    const metadata = { channelId: channel.id, title: '我的太极拳', displayName: '王阿姨' };
    const grandma = residentDevice();
    const first = await sendWhole(uploadsEndpoint(ctx), file, metadata, grandma);
    t.equal(first.finish.status, 204, 'the first submission is taken');
    const second = await createUpload(uploadsEndpoint(ctx), 1000, metadata, grandma);
    t.equal(second.status, 201, 'a second one may begin while the first is a clip');
    const third = await createUpload(uploadsEndpoint(ctx), 1000, metadata, grandma);
    const problem = await problemOf(t, third, 429, 'SUBMISSION_RATE_LIMITED');
    t.match(problem.detail, /2 videos an hour from one device/);

    const neighbour = residentDevice();
    t.equal((await createUpload(uploadsEndpoint(ctx), 1000, metadata, neighbour)).status, 201, 'another phone on the same network still may');
    await problemOf(t, await createUpload(uploadsEndpoint(ctx), 1000, metadata, residentDevice()), 429, 'SUBMISSION_RATE_LIMITED');
    t.equal(await clipCount(ctx), 1, 'only the finished submission is a clip');
  });
}

t.test('an upload cut half-way resumes from the offset the server holds and becomes one clip', async (t) => {
  const { ctx, headers, channel, dir } = await setUp(t);
  const file = await makeClipFile(dir, { seconds: 4, width: 640, height: 360 });
  const run = await sendClipCutAndResumed(uploadsEndpoint(ctx), file, { headers, metadata: { channelId: channel.id, title: '法律讲座' }, chunkSize: 128 * 1024 });
  t.ok(run.heldAfterCut > 0 && run.heldAfterCut < run.total, `the server held part of the file after the cut (${run.heldAfterCut} of ${run.total})`);
  t.equal(run.resumedFrom, run.heldAfterCut, 'the second run started where the server stopped, not at 0');
  t.equal(await clipCount(ctx), 1, 'one clip');
  t.equal((await clipRow(ctx, run.clipId)).sizeBytes, run.total);
});

t.test('a truncated upload is no clip, and the expiry sweep removes it once it is older than LINBO_UPLOAD_EXPIRE_HOURS', async (t) => {
  const { ctx, headers, channel, dir } = await setUp(t);
  const bytes = readFileSync(await makeClipFile(dir, { seconds: 2, width: 320, height: 240 }));
  const created = await createUpload(uploadsEndpoint(ctx), bytes.length, { channelId: channel.id, title: '半截' }, headers);
  const url = created.headers.get('location')!;
  const id = url.split('/').at(-1)!;
  t.equal((await patchUpload(url, 0, bytes.subarray(0, 1000), headers)).status, 204);
  t.equal(await clipCount(ctx), 0, 'no clip');
  t.equal((await head(url, headers)).headers.get('upload-offset'), '1000', 'the server holds the part sent');

  const { UploadExpiry } = await import('../../server/uploads/expiry.ts');
  const { FakeClock } = await import('../helpers/clock.ts');
  const clock = new FakeClock(new Date());
  const expiry = new UploadExpiry(ctx.services.clipSources.backend, { clock, expireMs: ctx.config.uploads.expireHours * 3600_000, logger: ctx.app.log as never });
  t.same(await expiry.sweep(), [], 'a fresh upload is kept');
  clock.advance(25 * 3600_000);
  t.same(await expiry.sweep(), [id], 'a day later it is removed');
  t.same(uploadFiles(ctx, id), [], 'bytes and sidecar');
});

t.test('the expiry sweep keeps finished uploads: they are the sources of clips', async (t) => {
  const { ctx, headers, channel, dir } = await setUp(t);
  const sent = await sendWhole(uploadsEndpoint(ctx), await makeClipFile(dir, { seconds: 1, width: 320, height: 240 }), { channelId: channel.id, title: '留着' }, headers);
  t.equal(sent.finish.status, 204);
  const { UploadExpiry } = await import('../../server/uploads/expiry.ts');
  const { FakeClock } = await import('../helpers/clock.ts');
  const clock = new FakeClock(new Date(Date.now() + 30 * 24 * 3600_000));
  const expiry = new UploadExpiry(ctx.services.clipSources.backend, { clock, expireMs: 3600_000, logger: ctx.app.log as never });
  t.same(await expiry.sweep(), [], 'nothing removed');
  t.same(uploadFiles(ctx, sent.clipId).sort(), [sent.clipId, `${sent.clipId}.json`]);
});

t.test('metadata without a title, with a bad channel id or naming no channel is refused at creation', async (t) => {
  const { ctx, headers, channel } = await setUp(t);
  const create = (fields: Record<string, string>) =>
    fetch(uploadsEndpoint(ctx), {
      method: 'POST',
      headers: {
        ...headers,
        'tus-resumable': TUS_VERSION,
        'upload-length': '1000',
        'upload-metadata': Object.entries(fields).map(([k, v]) => `${k} ${Buffer.from(v).toString('base64')}`).join(','),
      },
    });
  const noTitle = await problemOf(t, await create({ filename: 'a.mp4', channelId: channel.id }), 400, 'UPLOAD_METADATA_INVALID');
  t.equal(noTitle.field, 'title', 'naming the field');
  await problemOf(t, await create({ filename: 'a.mp4', channelId: 'not-a-uuid', title: 't' }), 400, 'UPLOAD_METADATA_INVALID');
  await problemOf(t, await create({ filename: 'a.mp4', channelId: channel.id, title: '长'.repeat(121) }), 400, 'UPLOAD_METADATA_INVALID');
  await problemOf(t, await create({ filename: 'a.mp4', channelId: '00000000-0000-4000-8000-000000000000', title: 't' }), 404, 'CHANNEL_NOT_FOUND');
  t.same(uploadFiles(ctx), [], 'no upload was begun');
});

t.test('uploads above the size limits are refused before a byte is sent: staff and residents each their own', async (t) => {
  const { ctx, headers, channel } = await setUp(t, { env: { LINBO_MAX_UPLOAD_BYTES: String(8 * 1024 * 1024), LINBO_SUBMISSION_MAX_BYTES: String(2 * 1024 * 1024) } });
  const metadata = { channelId: channel.id, title: '大文件', displayName: '李大爷' };
  await problemOf(t, await createUpload(uploadsEndpoint(ctx), 8 * 1024 * 1024 + 1, metadata, headers), 413, 'UPLOAD_TOO_LARGE');
  t.equal((await createUpload(uploadsEndpoint(ctx), 8 * 1024 * 1024, metadata, headers)).status, 201, 'staff may send up to LINBO_MAX_UPLOAD_BYTES');
  await problemOf(t, await createUpload(uploadsEndpoint(ctx), 2 * 1024 * 1024 + 1, metadata, residentDevice()), 413, 'UPLOAD_TOO_LARGE');
});

t.test('a resident needs the device cookie the submission page sets, and a display name', async (t) => {
  const { ctx, channel } = await setUp(t);
  const noDevice = await problemOf(t, await createUpload(uploadsEndpoint(ctx), 1000, { channelId: channel.id, title: '无名' }), 401, 'UPLOAD_DEVICE_REQUIRED');
  t.match(noDevice.detail, /linbo_device/);
  const expired = await createUpload(uploadsEndpoint(ctx), 1000, { channelId: channel.id, title: '无名' }, { authorization: 'Bearer expired-or-made-up' });
  await problemOf(t, expired, 401, 'UPLOAD_DEVICE_REQUIRED');
  const nameless = await problemOf(t, await createUpload(uploadsEndpoint(ctx), 1000, { channelId: channel.id, title: '无名' }, residentDevice()), 400, 'UPLOAD_METADATA_INVALID');
  t.equal(nameless.field, 'displayName');
});

t.test('a resident submission longer than LINBO_SUBMISSION_MAX_SECONDS is refused while staff may send it', async (t) => {
  const { ctx, headers, channel, dir } = await setUp(t, { env: { LINBO_SUBMISSION_MAX_SECONDS: '2' } });
  const file = await makeClipFile(dir, { seconds: 3, width: 320, height: 240 });
  const resident = await sendWhole(uploadsEndpoint(ctx), file, { channelId: channel.id, title: '太长', displayName: '张奶奶' }, residentDevice());
  const problem = await problemOf(t, resident.finish, 422, 'UPLOAD_TOO_LONG');
  t.match(problem.messages, { 'zh-CN': '视频时长3秒，超过了2秒的上限', en: 'The video is 3 s long, more than the 2 s allowed' });
  t.equal((await sendWhole(uploadsEndpoint(ctx), file, { channelId: channel.id, title: '不长' }, headers)).finish.status, 204, 'staff are held to LINBO_CLIP_MAX_SECONDS');
  t.equal(await clipCount(ctx), 1);
});

for (const bad of [
  { name: 'a text file', code: 'UPLOAD_NOT_VIDEO', make: (dir: string) => Promise.resolve(makeNotVideoFile(dir)) },
  { name: 'a sound recording', code: 'UPLOAD_NO_VIDEO_STREAM', make: (dir: string) => makeAudioOnlyFile(dir) },
  { name: 'a recording damaged past its header', code: 'UPLOAD_CORRUPT', make: (dir: string) => makeCorruptFile(dir, 8192) },
  { name: 'a recording damaged from its start', code: 'UPLOAD_CORRUPT', make: (dir: string) => makeCorruptFile(dir) },
]) {
  t.test(`${bad.name} is refused with ${bad.code} in both languages and leaves nothing in the uploads dir`, async (t) => {
    const { ctx, headers, channel, dir } = await setUp(t);
    const sent = await sendWhole(uploadsEndpoint(ctx), await bad.make(dir), { channelId: channel.id, title: '坏文件' }, headers);
    const problem = await problemOf(t, sent.finish, 422, bad.code);
    t.match(problem.messages, { 'zh-CN': /[\u4e00-\u9fff]/, en: /[a-z]/ });
    t.same(uploadFiles(ctx), [], 'no bytes, no sidecar');
    t.equal(await clipCount(ctx), 0, 'no clip');
    await refusedHead(t, sent.url, headers, 404);
  });
}

t.test("a finished upload's id takes no more requests and its clip stays as it was", async (t) => {
  const { ctx, headers, channel, dir } = await setUp(t);
  const file = await makeClipFile(dir, { seconds: 1, width: 320, height: 240 });
  const sent = await sendWhole(uploadsEndpoint(ctx), file, { channelId: channel.id, title: '一次' }, headers);
  t.equal(sent.finish.status, 204);
  const before = await clipRow(ctx, sent.clipId);
  const bytes = readFileSync(file);
  await refusedHead(t, sent.url, headers, 409);
  await problemOf(t, await patchUpload(sent.url, bytes.length, Buffer.alloc(0), headers), 409, 'UPLOAD_FINISHED');
  await problemOf(t, await patchUpload(sent.url, 0, bytes, headers), 409, 'UPLOAD_FINISHED');
  await problemOf(t, await fetch(sent.url, { method: 'DELETE', headers: { ...headers, 'tus-resumable': TUS_VERSION } }), 409, 'UPLOAD_FINISHED');
  t.same(await clipRow(ctx, sent.clipId), before, 'the clip is untouched');
  t.equal(statSync(`${ctx.config.dataDir}/uploads/${sent.clipId}`).size, bytes.length, 'and so is its source');
});

t.test("nobody but the one who began an upload may resume or abandon it", async (t) => {
  const { ctx, headers, channel } = await setUp(t);
  const created = await createUpload(uploadsEndpoint(ctx), 1000, { channelId: channel.id, title: '我的' }, headers);
  const url = created.headers.get('location')!;
  const other = { authorization: (await staff(ctx, 'host', 'host1')).authorization };
  await refusedHead(t, url, other, 403);
  await problemOf(t, await patchUpload(url, 0, Buffer.alloc(10), residentDevice()), 403, 'UPLOAD_NOT_YOURS');
  t.equal((await fetch(url, { method: 'DELETE', headers: { ...headers, 'tus-resumable': TUS_VERSION } })).status, 204, 'its owner may abandon it');
  t.same(uploadFiles(ctx), [], 'which removes it');
});

t.test('the upload routes are in the OpenAPI document', async (t) => {
  const { ctx } = await setUp(t);
  const doc = await (await fetch(`${ctx.url}/docs/json`)).json();
  t.same(Object.keys(doc.paths['/api/uploads']).sort(), ['options', 'post']);
  t.same(Object.keys(doc.paths['/api/uploads/{id}']).sort(), ['delete', 'head', 'options', 'patch']);
  t.ok(doc.paths['/api/uploads/{id}'].patch.responses['422'], 'the finishing refusals are documented');
});
