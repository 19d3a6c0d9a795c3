import t from 'tap';
import { assertMove, canMove, type BroadcastState } from '../../server/broadcasts/state.ts';

const STATES: BroadcastState[] = ['draft', 'scheduled', 'live', 'ended', 'cancelled'];
const ALLOWED: [BroadcastState, BroadcastState][] = [
  ['draft', 'scheduled'],
  ['draft', 'cancelled'],
  ['scheduled', 'draft'],
  ['scheduled', 'live'],
  ['scheduled', 'cancelled'],
  ['live', 'ended'],
];

t.test('each move of the lifecycle is allowed', async (t) => {
  for (const [from, to] of ALLOWED) {
    t.ok(canMove(from, to), `${from} → ${to}`);
    t.doesNotThrow(() => assertMove(from, to));
  }
});

t.test('every other move is INVALID_STATE_TRANSITION (409) naming both states', async (t) => {
  const refused = STATES.flatMap((from) => STATES.map((to) => [from, to] as const)).filter(
    ([from, to]) => !ALLOWED.some(([f, tt]) => f === from && tt === to),
  );
  t.equal(refused.length, 25 - ALLOWED.length, 'the table covers every pair, staying put included');
  for (const [from, to] of refused) {
    t.notOk(canMove(from, to), `${from} → ${to}`);
    t.throws(() => assertMove(from, to), { code: 'INVALID_STATE_TRANSITION', status: 409, extra: { from, to } });
  }
});

t.test('live and ended broadcasts are never reopened, and nothing comes back from cancelled', async (t) => {
  for (const from of ['live', 'ended', 'cancelled'] as const) {
    for (const to of ['draft', 'scheduled'] as const) t.notOk(canMove(from, to), `${from} → ${to}`);
  }
});
