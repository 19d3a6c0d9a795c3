// A live transcoder that keeps crashing (more than five times a minute) has failed for good: after the
// grace period the broadcast ends as transcoder-failed, and what was published is closed as its replay.
// Run alone: MEDIASOUP_WORKER_BIN=$(node scripts/mediasoup.mjs) node node_modules/.bin/tap <this file>
import t from 'tap';
import { liveOverRtp } from '../helpers/live-rtp.ts';
import { until } from '../helpers/until.ts';

t.test('a transcoder that crashes six times in a minute ends the broadcast as transcoder-failed, with its replay closed', async (t) => {
  const { playlist, transcoders, get } = await liveOverRtp(t, { LINBO_INGEST_GRACE_SECONDS: '1' });

  let [current] = await until('the transcoder runs', transcoders);
  for (let crash = 1; crash <= 5; crash++) {
    process.kill(current, 'SIGKILL');
    const killed = current;
    [current] = await until(`a transcoder replaces crash ${crash}`, async () => (await transcoders()).filter((pid) => pid !== killed), 10_000, 100);
  }
  process.kill(current, 'SIGKILL');

  const ended = await until('the broadcast ends after the grace period', async () => {
    const b = await get();
    return b.state === 'ended' && b;
  }, 30_000, 200);
  t.equal(ended.endedReason, 'transcoder-failed', 'it says the transcoder failed');
  t.same(await transcoders(), [], 'no transcoder was started after the sixth crash');
  await until('the broadcast says its replay is ready', async () => (await get()).replay.ready, 15_000, 200);
  t.match(await (await fetch(playlist)).text(), /#EXT-X-ENDLIST\s*$/, 'the published playlist is closed');
});
