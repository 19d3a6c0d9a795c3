// The control plane's VOD jobs end to end with a real media node: a queued clip is sent to the node,
// transcoded with progress and published; a one-core node runs one job at a time; a cancel stops the
// running job and frees its slot; and a job left running by a control plane that stopped is run again
// by the next one.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { clipMasterKey } from '../../server/contracts/media.ts';
import type { Store } from '../../server/store/db.ts';
import { VodJobStore } from '../../server/vod/store.ts';
import { startApp, type TestApp } from '../helpers/app.ts';
import { appOnStore } from '../helpers/channel.ts';
import { makeClipFile } from '../helpers/clip-files.ts';
import { freshStore } from '../helpers/db.ts';
import { tempDir } from '../helpers/media.ts';
import { startMediaNode } from '../helpers/media-node.ts';
import { until } from '../helpers/until.ts';
import { insertClip, RecordingSink } from '../helpers/vod.ts';

const files = tempDir(t, 'vod-service');
const short = makeClipFile(files, { seconds: 8, width: 1280, height: 720, name: 'short.mp4' });
const long = makeClipFile(files, { seconds: 90, width: 1920, height: 1080, name: 'long.mp4' });

/** A clip row and its bytes where the tus file store keeps an upload. */
async function uploadedClip(ctx: TestApp, source: string): Promise<string> {
  const clipId = await insertClip(ctx.services.store.db);
  mkdirSync(join(ctx.config.dataDir, 'uploads'), { recursive: true });
  copyFileSync(source, join(ctx.config.dataDir, 'uploads', clipId));
  return clipId;
}

const jobsOf = (store: Store, clipId: string) => new VodJobStore(store.db).byClip(clipId);

t.test('a queued clip is transcoded on the media node and published, its progress reported on the way', async (t) => {
  const ctx = await startApp(t);
  const sink = new RecordingSink();
  ctx.services.vod.attachSink(sink);
  await startMediaNode(t, ctx);
  const clipId = await uploadedClip(ctx, await short);
  await ctx.services.vod.enqueue(clipId);
  const end = await until('the job ends', () => sink.ended(clipId), 90_000);
  if (end.kind !== 'done') throw new Error(`the job did not succeed: ${JSON.stringify(end)}`);
  t.same(end.result.renditions.map((r) => `${r.name}${r.passthrough ? ' copy' : ''}`), ['720p copy', '480p', '360p']);
  t.equal(sink.of(clipId)[0].kind, 'started', 'the clip heard it started first');
  const percents = sink.of(clipId, 'progress').map((c) => (c.kind === 'progress' ? c.percent : -1));
  t.ok(percents.every((p, i) => i === 0 || p >= percents[i - 1]), `progress only grows: ${percents.join(' ')}`);
  const master = await ctx.services.mediaStorage.get(clipMasterKey(clipId));
  t.match(master?.body.toString(), /RESOLUTION=1280x720/, 'the master playlist is in storage');
  const [job] = await jobsOf(ctx.services.store, clipId);
  t.match(job, { state: 'done', attempts: 1, progress: 100 });
});

t.test('a one-core node runs one job at a time; a cancel stops the running one, removes its files and frees the slot', async (t) => {
  const ctx = await startApp(t);
  const sink = new RecordingSink();
  ctx.services.vod.attachSink(sink);
  await startMediaNode(t, ctx);
  const first = await uploadedClip(ctx, await long);
  const second = await uploadedClip(ctx, await short);
  await ctx.services.vod.enqueue(first);
  await ctx.services.vod.enqueue(second);
  await until('the first job makes progress', () => sink.of(first, 'progress').some((c) => c.kind === 'progress' && c.percent > 0), 60_000);
  t.equal((await jobsOf(ctx.services.store, second))[0].state, 'queued', 'the second waits for the node’s one slot');

  t.equal(await ctx.services.vod.cancel(first), true);
  t.match(sink.ended(first), { kind: 'failed', error: { code: 'VOD_CANCELLED' } });
  t.equal((await jobsOf(ctx.services.store, first))[0].state, 'cancelled');
  t.equal(await ctx.services.vod.cancel(first), false, 'nothing left to cancel');

  const end = await until('the second job ends', () => sink.ended(second), 90_000);
  t.equal(end.kind, 'done', 'the freed slot ran the second job');
  t.notOk(await ctx.services.mediaStorage.get(clipMasterKey(first)), 'nothing of the cancelled clip is published');
  t.notOk(sink.of(first).some((c) => c.kind === 'done'), 'the cancelled clip never heard done');
});

t.test('a job left running when the control plane stopped is run again from the start by the next one', async (t) => {
  const store = await freshStore('postgres');
  t.teardown(() => store.close());
  const before = await appOnStore(t, store);
  before.services.vod.attachSink(new RecordingSink());
  const node = await startMediaNode(t, before);
  const clipId = await uploadedClip(before, await long);
  await before.services.vod.enqueue(clipId);
  await until('the job runs on the first node', async () => (await jobsOf(store, clipId))[0]?.progress > 0, 60_000);
  await before.services.mediaNodes.close();
  await node.exited;
  await before.app.close();
  t.equal((await jobsOf(store, clipId))[0].state, 'running', 'the stopped control plane left it running');

  const after = await appOnStore(t, store);
  const sink = new RecordingSink();
  after.services.vod.attachSink(sink);
  mkdirSync(join(after.config.dataDir, 'uploads'), { recursive: true });
  copyFileSync(await long, join(after.config.dataDir, 'uploads', clipId));
  await startMediaNode(t, after);
  const end = await until('the job is run again and ends', () => sink.ended(clipId), 180_000);
  t.equal(end.kind, 'done', JSON.stringify(end));
  t.match((await jobsOf(store, clipId))[0], { state: 'done', attempts: 2 });
});
