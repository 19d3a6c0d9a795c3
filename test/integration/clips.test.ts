// The clip's lifecycle through the API: a finished upload becomes a clip, its VOD job's events move it
// to review, editors approve or reject it, and a resident sees only what is published, or their own.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { eq } from 'drizzle-orm';
import t from 'tap';
import { DB_KINDS, type DbKind } from '../helpers/db.ts';
import { staff, startApp, type TestApp } from '../helpers/app.ts';
import { createChannel } from '../helpers/schedule.ts';
import { makeClipFile } from '../helpers/clip-files.ts';
import { clipProbe, residentDevice, residentUploader, staffUploader, uploadedClip } from '../helpers/uploaded-clips.ts';
import type { ClipProbe, UploadedClip, VodResult } from '../../server/clips/ports.ts';
import { clipMasterKey } from '../../server/contracts/media.ts';
import { broadcasts, vodJobs } from '../../server/store/schema.ts';

const dir = mkdtempSync(join(tmpdir(), 'linbo-clips-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
let file = '';
let probe: ClipProbe;
t.before(async () => {
  file = await makeClipFile(dir, { seconds: 2, width: 320, height: 240 });
  probe = await clipProbe(file);
});

const RESULT: VodResult = {
  durationSeconds: 2,
  segmentSeconds: 2,
  renditions: [{ name: '240p', width: 320, height: 240, bandwidth: 400_000, averageBandwidth: 350_000, codecs: 'avc1.64000d,mp4a.40.2', passthrough: true }],
};

async function setUp(t: Parameters<typeof startApp>[0], db: DbKind = 'pglite', channelFields: Record<string, unknown> = {}) {
  const ctx = await startApp(t, { db });
  const editor = await staff(ctx, 'editor');
  const host = await staff(ctx, 'host');
  const channel = await createChannel(ctx, editor, channelFields);
  return { ctx, editor, host, channel };
}

/** The source where the local tus store leaves a finished upload (`${dataDir}/uploads/<id>`), found there by ClipSources. */
async function withSource(ctx: TestApp, upload: UploadedClip): Promise<string> {
  const path = join(ctx.config.dataDir, 'uploads', upload.id);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, 'the uploaded bytes');
  const source = await ctx.services.clipSources.locate(upload.id);
  if (source.kind !== 'file' || source.path !== path) throw new Error(`the upload store keeps ${upload.id} elsewhere: ${JSON.stringify(source)}`);
  return path;
}

/** A clip the VOD job has finished: in review (or published, as the channel says). */
async function transcoded(ctx: TestApp, upload: UploadedClip) {
  await ctx.services.clips.createFromUpload(upload);
  await ctx.services.clips.started(upload.id);
  await ctx.services.clips.done(upload.id, RESULT);
  return ctx.services.clips.get(upload.id);
}

const get = (ctx: TestApp, url: string, headers: Record<string, string> = {}) => ctx.app.inject({ url, headers });
const post = (ctx: TestApp, url: string, headers: Record<string, string>, payload?: object) => ctx.app.inject({ method: 'POST', url, headers, ...(payload ? { payload } : {}) });

for (const db of DB_KINDS) {
  t.test(`[${db}] a finished upload becomes an uploaded clip with its transcode queued; the job's events bring it to review`, async (t) => {
    const { ctx, editor, channel } = await setUp(t, db);
    const account = await ctx.services.accounts.get(editor.id);
    const upload = uploadedClip(file, probe, { channelId: channel.id, uploader: staffUploader(account) });
    const created = await ctx.services.clips.createFromUpload(upload);
    t.match(created, { id: upload.id, state: 'uploaded', source: 'staff', submitterName: account.displayName, progress: 0, width: 320, height: 240 });
    t.equal(created.durationSeconds, probe.durationSeconds, 'the length ffprobe found');
    const jobs = await ctx.services.store.db.select().from(vodJobs).where(eq(vodJobs.clipId, upload.id));
    t.equal(jobs.length, 1, 'one durable transcode job is queued for it');

    await ctx.services.clips.started(upload.id);
    await ctx.services.clips.progress(upload.id, 42.5, 7);
    const running = (await get(ctx, `/api/clips/${upload.id}`, editor)).json();
    t.match(running, { state: 'processing', progress: 42.5, etaSeconds: 7 });

    await ctx.services.clips.done(upload.id, RESULT);
    const res = await get(ctx, `/api/clips/${upload.id}`, editor);
    t.equal(res.statusCode, 200);
    t.match(res.json(), { state: 'in_review', progress: 100, etaSeconds: null, publishedAt: null });
    t.equal(res.json().links.hls, `${ctx.config.publicUrl}/media/${clipMasterKey(upload.id)}`);
    t.equal(res.json().links.watch, `${ctx.config.publicUrl}/clips/${upload.id}`);
  });

  t.test(`[${db}] an editor approves a clip in review: it is published, with the time`, async (t) => {
    const { ctx, editor, channel } = await setUp(t, db);
    const upload = uploadedClip(file, probe, { channelId: channel.id, uploader: staffUploader(await ctx.services.accounts.get(editor.id)) });
    await transcoded(ctx, upload);
    const res = await post(ctx, `/api/clips/${upload.id}/approve`, editor);
    t.equal(res.statusCode, 200);
    t.equal(res.json().state, 'published');
    t.ok(res.json().publishedAt, 'publishedAt is set');
    t.equal(res.json().reviewedAt, res.json().publishedAt);
  });

  t.test(`[${db}] rejecting a clip keeps the reason and removes its source and its published files`, async (t) => {
    const { ctx, editor, channel } = await setUp(t, db);
    const device = residentDevice();
    const upload = uploadedClip(file, probe, { channelId: channel.id, uploader: residentUploader(device.viewerId) });
    const source = await withSource(ctx, upload);
    await transcoded(ctx, upload);
    await ctx.services.mediaStorage.put(clipMasterKey(upload.id), Buffer.from('#EXTM3U\n'), { contentType: 'application/vnd.apple.mpegurl', cacheControl: 'no-cache' });

    t.equal((await post(ctx, `/api/clips/${upload.id}/reject`, editor, { reason: '   ' })).json().code, 'CLIP_REASON_REQUIRED');
    const res = await post(ctx, `/api/clips/${upload.id}/reject`, editor, { reason: '画面太暗，请重新录制' });
    t.equal(res.statusCode, 200);
    t.match(res.json(), { state: 'rejected', rejectReason: '画面太暗，请重新录制', publishedAt: null });
    t.notOk(existsSync(source), 'the uploaded source is gone');
    t.equal(await ctx.services.mediaStorage.get(clipMasterKey(upload.id)), undefined, 'the published playlist is gone');
    const mine = (await get(ctx, `/api/channels/${channel.id}/submissions/mine`, { cookie: device.cookie })).json();
    t.match(mine, [{ id: upload.id, state: 'rejected', rejectReason: '画面太暗，请重新录制' }], 'the sender reads the reason on the submission page');
  });
}

t.test('a clip still processing cannot be approved or rejected (409 CLIP_NOT_IN_REVIEW)', async (t) => {
  const { ctx, editor, channel } = await setUp(t);
  const upload = uploadedClip(file, probe, { channelId: channel.id, uploader: staffUploader(await ctx.services.accounts.get(editor.id)) });
  await ctx.services.clips.createFromUpload(upload);
  await ctx.services.clips.started(upload.id);
  const approve = await post(ctx, `/api/clips/${upload.id}/approve`, editor);
  t.equal(approve.statusCode, 409);
  t.match(approve.json(), { code: 'CLIP_NOT_IN_REVIEW', state: 'processing' });
  const reject = await post(ctx, `/api/clips/${upload.id}/reject`, editor, { reason: '不合适' });
  t.equal(reject.json().code, 'CLIP_NOT_IN_REVIEW');
  t.equal((await ctx.services.clips.get(upload.id)).state, 'processing', 'nothing changed');
});

t.test('a host reads clips but may not review them (403)', async (t) => {
  const { ctx, editor, host, channel } = await setUp(t);
  const upload = uploadedClip(file, probe, { channelId: channel.id, uploader: staffUploader(await ctx.services.accounts.get(host.id)) });
  await transcoded(ctx, upload);
  t.equal((await get(ctx, `/api/clips?channelId=${channel.id}`, host)).json().length, 1, 'the host lists it');
  const res = await post(ctx, `/api/clips/${upload.id}/approve`, host);
  t.equal(res.statusCode, 403);
  t.equal(res.json().code, 'FORBIDDEN');
  t.equal((await post(ctx, `/api/clips/${upload.id}/approve`, editor)).statusCode, 200, 'an editor may');
});

t.test("the sending device sees its pending clip; another device and an anonymous visitor get 404 until it is published", async (t) => {
  const { ctx, editor, channel } = await setUp(t);
  const sender = residentDevice();
  const other = residentDevice();
  const upload = uploadedClip(file, probe, { channelId: channel.id, uploader: residentUploader(sender.viewerId, '李大爷') });
  await transcoded(ctx, upload);

  const own = await get(ctx, `/api/clips/${upload.id}`, { cookie: sender.cookie });
  t.equal(own.statusCode, 200);
  t.match(own.json(), { state: 'in_review', source: 'resident', submitterName: '李大爷' });
  for (const [who, headers] of [['another device', { cookie: other.cookie }], ['an anonymous visitor', {}]] as const) {
    const res = await get(ctx, `/api/clips/${upload.id}`, headers);
    t.equal(res.statusCode, 404, who);
    t.equal(res.json().code, 'CLIP_NOT_FOUND', who);
  }
  t.same((await get(ctx, `/api/channels/${channel.id}/submissions/mine`, { cookie: other.cookie })).json(), [], "another device lists none of the sender's submissions");
  t.match((await get(ctx, `/api/channels/${channel.id}/submissions/mine`, { cookie: sender.cookie })).json(), [{ id: upload.id, state: 'in_review' }]);

  await post(ctx, `/api/clips/${upload.id}/approve`, editor);
  t.equal((await get(ctx, `/api/clips/${upload.id}`)).statusCode, 200, 'published: anyone sees it');
});

t.test("a channel that does not review staff uploads publishes a staff clip once transcoded, but not a resident's", async (t) => {
  const { ctx, editor, channel } = await setUp(t, 'pglite', { reviewStaffUploads: false });
  t.equal((await get(ctx, `/api/channels/${channel.id}`)).json().reviewStaffUploads, false);
  const staffClip = await transcoded(ctx, uploadedClip(file, probe, { channelId: channel.id, uploader: staffUploader(await ctx.services.accounts.get(editor.id)) }));
  t.equal(staffClip.state, 'published');
  t.ok(staffClip.publishedAt, 'with its publication time');
  const residentClip = await transcoded(ctx, uploadedClip(file, probe, { channelId: channel.id, uploader: residentUploader(residentDevice().viewerId) }));
  t.equal(residentClip.state, 'in_review', "a resident's submission waits for a reviewer all the same");
});

t.test('editors turn the channel setting on and off', async (t) => {
  const { ctx, editor, host, channel } = await setUp(t);
  t.equal((await get(ctx, `/api/channels/${channel.id}`)).json().reviewStaffUploads, true, 'reviewing staff uploads is the default');
  t.equal((await ctx.app.inject({ method: 'PATCH', url: `/api/channels/${channel.id}`, headers: host, payload: { reviewStaffUploads: false } })).statusCode, 403);
  const res = await ctx.app.inject({ method: 'PATCH', url: `/api/channels/${channel.id}`, headers: editor, payload: { reviewStaffUploads: false } });
  t.equal(res.json().reviewStaffUploads, false);
});

t.test('a failed transcode says why; retrying queues it again from the kept source', async (t) => {
  const { ctx, editor, channel } = await setUp(t);
  const upload = uploadedClip(file, probe, { channelId: channel.id, uploader: staffUploader(await ctx.services.accounts.get(editor.id)) });
  await ctx.services.clips.createFromUpload(upload);
  await ctx.services.clips.started(upload.id);
  const error = { code: 'VOD_FFMPEG_FAILED', message: { 'zh-CN': '转码失败', en: 'The transcode failed' } };
  await ctx.services.clips.failed(upload.id, error);
  const failed = (await get(ctx, `/api/clips/${upload.id}`, editor)).json();
  t.match(failed, { state: 'failed', error });

  const retried = await post(ctx, `/api/clips/${upload.id}/retry`, editor);
  t.equal(retried.statusCode, 200);
  t.match(retried.json(), { state: 'uploaded', error: null, progress: 0 });
  const jobs = await ctx.services.store.db.select().from(vodJobs).where(eq(vodJobs.clipId, upload.id));
  t.ok(jobs.some((job) => job.state === 'queued'), 'a new job is queued');
  t.equal((await post(ctx, `/api/clips/${upload.id}/retry`, editor)).json().code, 'INVALID_CLIP_TRANSITION', 'a clip that is not failed is not retried');
});

t.test('cancelling a transcode leaves the clip failed as cancelled; events of the stopped job change nothing', async (t) => {
  const { ctx, editor, channel } = await setUp(t);
  const upload = uploadedClip(file, probe, { channelId: channel.id, uploader: staffUploader(await ctx.services.accounts.get(editor.id)) });
  await ctx.services.clips.createFromUpload(upload);
  await ctx.services.clips.started(upload.id);
  const res = await post(ctx, `/api/clips/${upload.id}/cancel`, editor);
  t.equal(res.statusCode, 200);
  t.match(res.json(), { state: 'failed', error: { code: 'VOD_CANCELLED' } });
  await ctx.services.clips.progress(upload.id, 80, 1);
  await ctx.services.clips.done(upload.id, RESULT);
  t.match(await ctx.services.clips.get(upload.id), { state: 'failed', progress: 0 }, 'still failed');
  t.equal((await post(ctx, `/api/clips/${upload.id}/cancel`, editor)).json().code, 'INVALID_CLIP_TRANSITION');
});

t.test('deleting a clip removes it and its files, unless a premiere plays it (409 CLIP_IN_USE)', async (t) => {
  const { ctx, editor, host, channel } = await setUp(t);
  const account = await ctx.services.accounts.get(editor.id);
  const used = uploadedClip(file, probe, { channelId: channel.id, uploader: staffUploader(account) });
  await transcoded(ctx, used);
  await ctx.services.store.db.insert(broadcasts).values({
    channelId: channel.id,
    title: '春节联欢晚会首映',
    kind: 'premiere',
    clipId: used.id,
    state: 'scheduled',
    scheduledStart: new Date(Date.now() + 3600_000),
    durationMinutes: 1,
    streamKey: `lb_${used.id}`,
  });
  const refused = await ctx.app.inject({ method: 'DELETE', url: `/api/clips/${used.id}`, headers: editor });
  t.equal(refused.statusCode, 409);
  t.equal(refused.json().code, 'CLIP_IN_USE');

  const free = uploadedClip(file, probe, { channelId: channel.id, uploader: staffUploader(account) });
  const source = await withSource(ctx, free);
  await transcoded(ctx, free);
  t.equal((await ctx.app.inject({ method: 'DELETE', url: `/api/clips/${free.id}`, headers: host })).statusCode, 403, 'a host may not delete');
  const res = await ctx.app.inject({ method: 'DELETE', url: `/api/clips/${free.id}`, headers: editor });
  t.equal(res.statusCode, 204);
  t.equal((await get(ctx, `/api/clips/${free.id}`, editor)).statusCode, 404);
  t.notOk(existsSync(source), 'its source is gone');
});

t.test('an upload becomes a clip once: the same id again is CLIP_EXISTS', async (t) => {
  const { ctx, editor, channel } = await setUp(t);
  const upload = uploadedClip(file, probe, { channelId: channel.id, uploader: staffUploader(await ctx.services.accounts.get(editor.id)) });
  await ctx.services.clips.createFromUpload(upload);
  await t.rejects(ctx.services.clips.createFromUpload(upload), { code: 'CLIP_EXISTS', status: 409 });
});

t.test('listeners hear a clip published and deleted', async (t) => {
  const { ctx, editor, channel } = await setUp(t);
  const heard: string[] = [];
  const off = ctx.services.clips.onChange((change) => heard.push(`${change.channelId === channel.id ? 'channel' : '?'}:${change.state}`));
  t.teardown(off);
  const upload = uploadedClip(file, probe, { channelId: channel.id, uploader: staffUploader(await ctx.services.accounts.get(editor.id)) });
  await transcoded(ctx, upload);
  await post(ctx, `/api/clips/${upload.id}/approve`, editor);
  await ctx.app.inject({ method: 'DELETE', url: `/api/clips/${upload.id}`, headers: editor });
  t.same(heard, ['channel:uploaded', 'channel:processing', 'channel:in_review', 'channel:published', 'channel:deleted']);
});

t.test('the clip routes are documented in OpenAPI under the tag clips', async (t) => {
  const { ctx } = await setUp(t);
  const doc = (await get(ctx, '/docs/json')).json();
  for (const [path, method] of [
    ['/api/clips', 'get'],
    ['/api/clips/{id}', 'get'],
    ['/api/clips/{id}', 'delete'],
    ['/api/clips/{id}/approve', 'post'],
    ['/api/clips/{id}/reject', 'post'],
    ['/api/clips/{id}/cancel', 'post'],
    ['/api/clips/{id}/retry', 'post'],
    ['/api/channels/{id}/submissions/mine', 'get'],
  ]) {
    t.same(doc.paths[path]?.[method]?.tags, ['clips'], `${method.toUpperCase()} ${path}`);
  }
});

t.test('a channel with clips is not deleted (409 CHANNEL_NOT_EMPTY), and keeps its clips', async (t) => {
  const { ctx, editor, channel } = await setUp(t);
  const upload = uploadedClip(file, probe, { channelId: channel.id, uploader: residentUploader(residentDevice().viewerId) });
  await ctx.services.clips.createFromUpload(upload);
  const res = await ctx.app.inject({ method: 'DELETE', url: `/api/channels/${channel.id}`, headers: editor });
  t.equal(res.statusCode, 409);
  t.equal(res.json().code, 'CHANNEL_NOT_EMPTY');
  t.equal((await ctx.services.clips.get(upload.id)).channelId, channel.id);
});
