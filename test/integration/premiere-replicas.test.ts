// Two control-plane replicas on one PostgreSQL both arm the same premiere's timers: it goes live once,
// at its second, and ends once, finished, with its replay ready.
import t from 'tap';
import { staff } from '../helpers/app.ts';
import { appOnStore } from '../helpers/channel.ts';
import { freshStore } from '../helpers/db.ts';
import { premiereClip, premiereSoon } from '../helpers/premiere-clip.ts';
import { createChannel } from '../helpers/schedule.ts';
import { until } from '../helpers/until.ts';

t.test('two replicas run one premiere once: one start, one end, the replay ready', async (t) => {
  const store = await freshStore('postgres');
  t.teardown(() => store.close());
  const first = await appOnStore(t, store);
  const editor = await staff(first);
  const channel = await createChannel(first, editor);
  const clip = await premiereClip(first, channel.id, { seconds: 2 });
  const { start, premiere } = await premiereSoon(first, editor, channel.id, clip.id, 3);
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
