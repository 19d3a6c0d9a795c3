// The durable VOD queue on both engines: one unfinished job per clip, claims that never hand one job out
// twice, reports that only count from the job's own node, and lost jobs re-queued until their attempts run out.
import t from 'tap';
import { VOD_CANCELLED } from '../../server/vod/errors.ts';
import { VodJobStore } from '../../server/vod/store.ts';
import { DB_KINDS, freshStore } from '../helpers/db.ts';
import { insertClip } from '../helpers/vod.ts';

const LOST = { code: 'VOD_FAILED', message: { 'zh-CN': '中断', en: 'lost' } };
const at = (s: number) => new Date(Date.UTC(2026, 11, 5, 4, 0, s));

for (const kind of DB_KINDS) {
  t.test(`on ${kind}`, async (t) => {
    const store = await freshStore(kind);
    t.teardown(() => store.close());
    const jobs = new VodJobStore(store.db);

    t.test('a clip has at most one unfinished job', async (t) => {
      const clipId = await insertClip(store.db);
      t.ok(await jobs.enqueue(clipId, at(0)), 'the first is queued');
      t.notOk(await jobs.enqueue(clipId, at(1)), 'a second while it is unfinished is not');
      t.equal((await jobs.byClip(clipId)).length, 1);
    });

    t.test('concurrent claims hand each queued job to exactly one node', async (t) => {
      const clipIds = await Promise.all([1, 2, 3].map(() => insertClip(store.db)));
      for (const [i, clipId] of clipIds.entries()) await jobs.enqueue(clipId, at(10 + i));
      const before = await jobs.runningByNode();
      const claims = await Promise.all(Array.from({ length: 8 }, (_, i) => jobs.claim(`node-${i % 2}`, at(20))));
      const mine = claims.filter((c) => c && clipIds.includes(c.clipId)).map((c) => c!.id);
      t.equal(new Set(mine).size, mine.length, 'no job was claimed twice');
      const all = (await Promise.all(clipIds.map((id) => jobs.byClip(id)))).flat();
      t.ok(all.every((j) => j.state === 'running' && j.attempts === 1), 'every job runs, on its first attempt');
      const after = await jobs.runningByNode();
      const gained = [...after].reduce((n, [node, running]) => n + running - (before.get(node) ?? 0), 0);
      t.ok(gained >= 3, 'the running count per node includes them');
    });

    t.test('only the node running a job may report on it', async (t) => {
      const clipId = await insertClip(store.db);
      await jobs.enqueue(clipId, at(30));
      let job = await jobs.claim('node-a', at(31));
      while (job && job.clipId !== clipId) job = await jobs.claim('node-a', at(31));
      t.ok(job, 'claimed');
      t.notOk(await jobs.heartbeat(job!.id, 'node-b', 50, 10, at(32)), 'another node’s progress is ignored');
      const beat = await jobs.heartbeat(job!.id, 'node-a', 50, 10, at(32));
      t.equal(beat?.progress, 50);
      t.ok(await jobs.finish(job!.id, 'node-a', 'done', null, at(33)), 'its node finishes it');
      t.notOk(await jobs.finish(job!.id, 'node-a', 'failed', LOST, at(34)), 'a late report after the end changes nothing');
      t.equal((await jobs.byId(job!.id))?.state, 'done');
    });

    t.test('a lost job is queued again, and failed once it has had its attempts', async (t) => {
      const clipId = await insertClip(store.db);
      await jobs.enqueue(clipId, at(0));
      for (let attempt = 1; attempt <= 3; attempt++) {
        let job = await jobs.claim('node-x', at(40));
        while (job && job.clipId !== clipId) job = await jobs.claim('node-y', at(40));
        t.equal(job?.attempts, attempt, `attempt ${attempt} claimed`);
        const { requeued, failed } = await jobs.requeueLost({ nodeId: 'node-x' }, 3, LOST, at(41));
        if (attempt < 3) t.same([requeued.map((j) => j.id), failed], [[job!.id], []], 'queued again');
        else t.same([requeued, failed.map((j) => j.id)], [[], [job!.id]], 'failed after the third');
      }
      t.same((await jobs.byClip(clipId))[0].error, LOST);
    });

    t.test('a running job whose heartbeat is stale is queued again', async (t) => {
      const clipId = await insertClip(store.db);
      await jobs.enqueue(clipId, at(0));
      let job = await jobs.claim('node-s', at(50));
      while (job && job.clipId !== clipId) job = await jobs.claim('node-t', at(50));
      const fresh = await jobs.requeueLost({ staleBefore: at(50) }, 3, LOST, at(55));
      t.notOk(fresh.requeued.some((j) => j.id === job!.id), 'not while it is fresh');
      const { requeued } = await jobs.requeueLost({ staleBefore: at(51) }, 3, LOST, at(80));
      t.ok(requeued.some((j) => j.id === job!.id), 'once it is stale');
    });

    t.test('cancelling returns the job as it was and ends it', async (t) => {
      const clipId = await insertClip(store.db);
      await jobs.enqueue(clipId, at(0));
      const cancelled = await jobs.cancel(clipId, VOD_CANCELLED, at(1));
      t.equal(cancelled?.state, 'queued');
      t.equal((await jobs.byClip(clipId))[0].state, 'cancelled');
      t.notOk(await jobs.cancel(clipId, VOD_CANCELLED, at(2)), 'nothing left to cancel');
      t.ok(await jobs.enqueue(clipId, at(3)), 'a new job may be queued after it');
    });
  });
}
