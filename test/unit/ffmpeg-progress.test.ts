import t from 'tap';
import { progressReader, type FfmpegProgress } from '../../media/ffmpeg/progress.ts';

const BLOCK = 'frame=90\nfps=30.00\nbitrate=N/A\nout_time_us=3000000\nout_time_ms=3000000\nout_time=00:00:03.000000\nspeed=1.01x\nprogress=continue\n';

t.test('one report per block, even when the blocks arrive cut anywhere', async (t) => {
  const seen: FfmpegProgress[] = [];
  const feed = progressReader((p) => seen.push(p));
  const text = BLOCK + BLOCK.replace('3000000', '4000000').replace('3000000', '4000000').replace('continue', 'end');
  for (let i = 0; i < text.length; i += 7) feed(text.slice(i, i + 7));
  t.same(seen, [
    { outTimeUs: 3_000_000, speed: 1.01, frame: 90, end: false },
    { outTimeUs: 4_000_000, speed: 1.01, frame: 90, end: true },
  ]);
});

t.test('values ffmpeg does not know yet are null', async (t) => {
  const seen: FfmpegProgress[] = [];
  progressReader((p) => seen.push(p))('frame=0\nout_time_us=N/A\nspeed=N/A\nprogress=continue\n');
  t.same(seen, [{ outTimeUs: null, speed: null, frame: 0, end: false }]);
});

t.test('an older ffmpeg that only writes out_time_ms (microseconds, despite the name) is read the same', async (t) => {
  const seen: FfmpegProgress[] = [];
  progressReader((p) => seen.push(p))('out_time_ms=1500000\nprogress=continue\n');
  t.equal(seen[0].outTimeUs, 1_500_000);
});
