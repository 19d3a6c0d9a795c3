// The control plane's VOD jobs end to end with a real media node: a queued clip is sent to the node,
// transcoded with progress and published; a one-core node runs one job at a time; a cancel stops the
// running job and frees its slot. (Durability: vod-durability.test.ts.)
import t from 'tap';
import { clipMasterKey } from '../../server/contracts/media.ts';
import { startApp } from '../helpers/app.ts';
import { makeClipFile } from '../helpers/clip-files.ts';
import { tempDir } from '../helpers/media.ts';
import { startMediaNode } from '../helpers/media-node.ts';
import { until } from '../helpers/until.ts';
import { jobsOf, RecordingSink, uploadedClip } from '../helpers/vod.ts';

const files = tempDir(t, 'vod-service');
const short = makeClipFile(files, { seconds: 8, width: 1280, height: 720, name: 'short.mp4' });
const long = makeClipFile(files, { seconds: 30, width: 1280, height: 720, name: 'long.mp4' });

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
  const [job] = await jobsOf(ctx.services.store.db, clipId);
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
  t.equal((await jobsOf(ctx.services.store.db, second))[0].state, 'queued', 'the second waits for the node’s one slot');

  t.equal(await ctx.services.vod.cancel(first), true);
  t.match(sink.ended(first), { kind: 'failed', error: { code: 'VOD_CANCELLED' } });
  t.equal((await jobsOf(ctx.services.store.db, first))[0].state, 'cancelled');
  t.equal(await ctx.services.vod.cancel(first), false, 'nothing left to cancel');

  const end = await until('the second job ends', () => sink.ended(second), 90_000);
  t.equal(end.kind, 'done', 'the freed slot ran the second job');
  t.notOk(await ctx.services.mediaStorage.get(clipMasterKey(first)), 'nothing of the cancelled clip is published');
  t.notOk(sink.of(first).some((c) => c.kind === 'done'), 'the cancelled clip never heard done');
});
