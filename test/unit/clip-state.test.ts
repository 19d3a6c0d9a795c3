import t from 'tap';
import type { ClipState } from '../../server/contracts/clips.ts';
import { afterTranscode, assertMove, assertReviewable, canMove, rejectReason } from '../../server/clips/state.ts';

const STATES: ClipState[] = ['uploaded', 'processing', 'in_review', 'published', 'rejected', 'failed'];
const ALLOWED: [ClipState, ClipState][] = [
  ['uploaded', 'processing'],
  ['uploaded', 'failed'],
  ['processing', 'in_review'],
  ['processing', 'published'],
  ['processing', 'failed'],
  ['in_review', 'published'],
  ['in_review', 'rejected'],
  ['failed', 'uploaded'],
];

t.test('each move of the clip lifecycle is allowed', async (t) => {
  for (const [from, to] of ALLOWED) {
    t.ok(canMove(from, to), `${from} → ${to}`);
    t.doesNotThrow(() => assertMove(from, to));
  }
});

t.test('every other move is INVALID_CLIP_TRANSITION (409) naming both states', async (t) => {
  const refused = STATES.flatMap((from) => STATES.map((to) => [from, to] as const)).filter(([from, to]) => !ALLOWED.some(([f, tt]) => f === from && tt === to));
  t.equal(refused.length, 36 - ALLOWED.length, 'the table covers every pair, staying put included');
  for (const [from, to] of refused) {
    t.notOk(canMove(from, to), `${from} → ${to}`);
    t.throws(() => assertMove(from, to), { code: 'INVALID_CLIP_TRANSITION', status: 409, extra: { from, to } });
  }
});

t.test('published and rejected clips are final', async (t) => {
  for (const to of STATES) {
    t.notOk(canMove('published', to), `published → ${to}`);
    t.notOk(canMove('rejected', to), `rejected → ${to}`);
  }
});

t.test('only a clip in review can be approved or rejected; a processing one is CLIP_NOT_IN_REVIEW (409)', async (t) => {
  t.doesNotThrow(() => assertReviewable('in_review'));
  for (const state of STATES.filter((s) => s !== 'in_review')) {
    t.throws(() => assertReviewable(state), { code: 'CLIP_NOT_IN_REVIEW', status: 409, extra: { state } });
  }
});

t.test('a rejection needs a reason that is more than whitespace, kept without its padding', async (t) => {
  t.equal(rejectReason('  画面太暗，请重新录制  '), '画面太暗，请重新录制');
  t.throws(() => rejectReason('   \n'), { code: 'CLIP_REASON_REQUIRED', status: 400 });
});

t.test("a resident's clip always goes to review; a staff clip skips it only where the channel does not review staff uploads", async (t) => {
  t.equal(afterTranscode('resident', true), 'in_review');
  t.equal(afterTranscode('resident', false), 'in_review');
  t.equal(afterTranscode('staff', true), 'in_review');
  t.equal(afterTranscode('staff', false), 'published');
});
