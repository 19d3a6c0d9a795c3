import t from 'tap';
import { nextRequest, PHASE } from '../../media/live/keyframe-clock.ts';

t.test('keyframes are asked for PHASE of a segment past every segment boundary, never on it', async (t) => {
  t.same(nextRequest(0, 1000, 1), { tick: 1, atMs: 1400 }, 'the first segment runs 1.4 s: its EXTINF rounds to 1');
  t.same(nextRequest(1403, 1000, 2), { tick: 2, atMs: 2400 }, 'a request fired a little late does not push the next one later');
  t.same(nextRequest(500_000.5, 1000, 500), { tick: 500, atMs: 500_400 }, 'no drift after hundreds of segments');
  t.ok(PHASE > 0 && PHASE < 0.5);
});

t.test('a request missed while the event loop was busy is skipped, not sent late onto the boundary', async (t) => {
  t.same(nextRequest(3900, 1000, 2), { tick: 4, atMs: 4400 }, 'ticks 2 and 3 are past');
  t.same(nextRequest(3400, 1000, 3), { tick: 3, atMs: 3400 }, 'one due now is still sent');
});

t.test('other segment lengths keep the same phase', async (t) => {
  t.same(nextRequest(0, 2000, 1), { tick: 1, atMs: 2800 });
});
