// When the live transcoder counts as stalled: only time with media flowing in and no segment coming
// out, and only after its first segment. The feed is a packet count the test moves, with the clock.
import t from 'tap';
import { StallWatch } from '../../media/live/stall-watch.ts';

function watched(options: { stallMs?: number; startMs?: number } = {}) {
  let now = 0;
  let packets = 0;
  const stalls: number[] = [];
  const watch = new StallWatch({
    stallMs: options.stallMs ?? 6_000,
    startMs: options.startMs ?? 10_000,
    everyMs: 0,
    fed: async () => packets,
    onStall: (ms) => stalls.push(ms),
    now: () => now,
  });
  /** `seconds` one-second checks, with media arriving in each when `flowing`. */
  const run = async (seconds: number, flowing = true) => {
    for (let i = 0; i < seconds; i++) {
      now += 1_000;
      if (flowing) packets += 30;
      await watch.check();
    }
  };
  return { watch, stalls, run };
}

t.test('media flowing in with no segment out for the stall time is a stall', async (t) => {
  const { watch, stalls, run } = watched();
  await run(1);
  watch.segmentWritten();
  await run(5);
  t.same(stalls, [], 'not yet at 5 s');
  await run(1);
  t.same(stalls, [6_000], 'reported at 6 s');
});

t.test('every segment starts the count again', async (t) => {
  const { watch, stalls, run } = watched();
  for (let i = 0; i < 10; i++) {
    watch.segmentWritten();
    await run(2);
  }
  t.same(stalls, []);
});

t.test('a transcoder still writing frames is slow, not hung', async (t) => {
  const { watch, stalls, run } = watched();
  await run(1);
  watch.segmentWritten();
  for (let i = 0; i < 5; i++) {
    await run(4);
    watch.progressed();
  }
  t.same(stalls, [], 'frames came out every 4 s, no segment for 20 s');
  await run(6);
  t.same(stalls, [6_000], 'neither for 6 s: hung');
});

t.test('nothing counts before the first segment, however long media flows', async (t) => {
  const { stalls, run } = watched();
  await run(60);
  t.same(stalls, []);
});

t.test('a silent publisher is no stall: only the time media flowed counts', async (t) => {
  const { watch, stalls, run } = watched();
  await run(1);
  watch.segmentWritten();
  await run(4);
  await run(30, false);
  t.same(stalls, [], 'ffmpeg writes nothing while nothing comes in');
  await run(1);
  t.same(stalls, [], 'the publisher back: 5 s of flow so far');
  await run(1);
  t.same(stalls, [6_000], 'the sixth second of flow without a segment');
});

t.test('a transcoder just started gets its start time on top, and one stall is reported once', async (t) => {
  const { watch, stalls, run } = watched();
  await run(1);
  watch.segmentWritten();
  await run(6);
  t.same(stalls, [6_000]);
  await run(15);
  t.same(stalls, [6_000], 'the replacement has 6 + 10 s for its first segment');
  await run(1);
  t.same(stalls, [6_000, 16_000], 'and is reported when it writes none');
  watch.restarted();
  watch.segmentWritten();
  await run(5);
  t.same(stalls.length, 2, 'a segment from the replacement brings back the normal limit');
});

t.test('no report once closed', async (t) => {
  const { watch, stalls, run } = watched();
  await run(1);
  watch.segmentWritten();
  watch.close();
  await run(20);
  t.same(stalls, []);
});
