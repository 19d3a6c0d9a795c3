import t from 'tap';
import { ProbeSlots } from '../../server/uploads/probe-slots.ts';

/** A probe the test finishes by hand. */
function held() {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return { finish, done };
}

t.test('no more probes run at once than there are slots; the next in line starts when one ends, failed or not', async (t) => {
  const slots = new ProbeSlots(2);
  const started: number[] = [];
  const probes = [held(), held(), held(), held()];
  const runs = probes.map((probe, i) =>
    slots.run(async () => {
      started.push(i);
      await probe.done;
      if (i === 0) throw new Error('ffprobe failed');
      return i;
    }),
  );
  await Promise.resolve();
  t.same(started, [0, 1], 'two start');
  probes[0].finish();
  await t.rejects(runs[0], /ffprobe failed/);
  t.same(started, [0, 1, 2], 'a failed probe gives its slot to the next');
  probes[1].finish();
  probes[2].finish();
  probes[3].finish();
  t.same(await Promise.all(runs.slice(1)), [1, 2, 3]);
  t.same(started, [0, 1, 2, 3]);
  t.equal(await slots.run(async () => 'free'), 'free', 'and the slots are free again');
});
