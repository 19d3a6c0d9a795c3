// VOD jobs survive what takes their runner away: a media node killed mid-job, and a control plane
// stopped mid-job and started again on the same database, with a real media node each time.
import t from 'tap';
import { startApp } from '../helpers/app.ts';
import { appOnStore } from '../helpers/channel.ts';
import { makeClipFile } from '../helpers/clip-files.ts';
import { freshStore } from '../helpers/db.ts';
import { tempDir } from '../helpers/media.ts';
import { startMediaNode } from '../helpers/media-node.ts';
import { until } from '../helpers/until.ts';
import { jobsOf, RecordingSink, uploadedClip } from '../helpers/vod.ts';

const long = makeClipFile(tempDir(t, 'vod-durability'), { seconds: 30, width: 1280, height: 720, name: 'long.mp4' });

t.test('a job whose media node dies goes back to the queue, to be run again from the start', async (t) => {
  const ctx = await startApp(t);
  ctx.services.vod.attachSink(new RecordingSink());
  const node = await startMediaNode(t, ctx);
  const clipId = await uploadedClip(ctx, await long);
  await ctx.services.vod.enqueue(clipId);
  await until('the job runs on the node', async () => (await jobsOf(ctx.services.store.db, clipId))[0]?.progress > 0, 60_000);
  process.kill(node.pid!, 'SIGKILL');
  await node.exited;
  const job = await until('the job is queued again', async () => {
    const [row] = await jobsOf(ctx.services.store.db, clipId);
    return row.state === 'queued' ? row : undefined;
  });
  t.match(job, { nodeId: null, attempts: 1, progress: 0 }, 'its one attempt counted, its progress reset');
});

t.test('a job left running when the control plane stopped is run again from the start by the next one', async (t) => {
  const store = await freshStore('postgres');
  t.teardown(() => store.close());
  const before = await appOnStore(t, store);
  before.services.vod.attachSink(new RecordingSink());
  const node = await startMediaNode(t, before);
  const clipId = await uploadedClip(before, await long);
  await before.services.vod.enqueue(clipId);
  await until('the job runs on the first node', async () => (await jobsOf(store.db, clipId))[0]?.progress > 0, 60_000);
  await before.services.mediaNodes.close();
  await node.exited;
  await before.app.close();
  t.equal((await jobsOf(store.db, clipId))[0].state, 'running', 'the stopped control plane left it running');

  const after = await appOnStore(t, store);
  const sink = new RecordingSink();
  after.services.vod.attachSink(sink);
  await uploadedClip(after, await long, clipId);
  await startMediaNode(t, after);
  const end = await until('the job is run again and ends', () => sink.ended(clipId), 180_000);
  t.equal(end.kind, 'done', JSON.stringify(end));
  t.match((await jobsOf(store.db, clipId))[0], { state: 'done', attempts: 2 });
});
