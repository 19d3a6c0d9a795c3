import t from 'tap';
import { relaunchDelayMs } from '../../server/media-nodes/supervisor.ts';

t.test('a media node that keeps dying soon after its start is relaunched after 1 s, doubling up to 30 s', async (t) => {
  t.same([0, 1, 2, 3, 4, 5, 6, 50].map(relaunchDelayMs), [1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
});
