// Premieres across control-plane processes: two replicas on one PostgreSQL both arm the same timers
// and the premiere still moves once each step; a process that opens after the scheduled second (none
// ran at it) starts the premiere at once, dated at its second, so viewers find the same live point.
import t from 'tap';
import { staff } from '../helpers/app.ts';
import { appOnStore, joinChannel } from '../helpers/channel.ts';
import { freshStore } from '../helpers/db.ts';
import { premiereClip, premiereSoon } from '../helpers/premiere-clip.ts';
import { createChannel } from '../helpers/schedule.ts';
import { until } from '../helpers/until.ts';
import type { DbKind } from '../helpers/db.ts';

/** A control plane over a store of its own, with a premiere of a `clipSeconds` clip starting `ahead` seconds from now. */
async function premiereOnStore(t: Parameters<typeof appOnStore>[0], db: DbKind, clipSeconds: number, ahead: number) {
  const store = await freshStore(db);
  t.teardown(() => store.close());
  const first = await appOnStore(t, store);
  const editor = await staff(first);
  const channel = await createChannel(first, editor);
  const clip = await premiereClip(first, channel.id, { seconds: clipSeconds });
  return { store, first, ...(await premiereSoon(first, editor, channel.id, clip.id, ahead)) };
}

t.test('two replicas run one premiere once: one start, one end, the replay ready', async (t) => {
  const { store, start, premiere } = await premiereOnStore(t, 'postgres', 2, 3);
  const id = premiere.id;
  // The second replica finds the premiere in the database when it opens, and arms the same timers.
  const second = await appOnStore(t, store);

  const ended = await until(
    'the premiere did not end with its replay ready',
    async () => {
      const b = (await second.app.inject({ url: `/api/broadcasts/${id}` })).json();
      return b.state === 'ended' && b.replay.ready && b;
    },
    30_000,
  );
  t.equal(ended.startedAt, start);
  t.equal(ended.endedReason, 'finished');
  t.equal(ended.version, 4, 'created, started, ended, replay ready: each written once');
});

t.test('a control plane that opens after the scheduled second starts the premiere at once, dated at its second', async (t) => {
  const { store, first, start, premiere } = await premiereOnStore(t, 'pglite', 30, 2);
  await first.app.close();
  await until('the scheduled second did not pass', () => Date.now() > Date.parse(start) + 1000, 10_000);

  const second = await appOnStore(t, store);
  const live = await until('the premiere did not turn live', async () => {
    const b = (await second.app.inject({ url: `/api/broadcasts/${premiere.id}` })).json();
    return b.state === 'live' && b;
  });
  t.equal(live.startedAt, start, 'as if it had started on time: the live point is where it would have been');

  // Live like any broadcast: the realtime channel takes viewers and their likes.
  const viewer = await joinChannel(live.links.channel);
  t.teardown(() => viewer.ws.terminate());
  viewer.send({ type: 'like', count: 3 });
  const likes = await viewer.next('the viewer did not see the likes total', (f) => f.type === 'likes' && f.total >= 3);
  t.equal(likes.total, 3, 'a viewer joined the premiere\'s channel and her likes were counted');
});
