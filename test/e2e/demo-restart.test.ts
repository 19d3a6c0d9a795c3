// A control plane killed without shutting down (SIGKILL, a crash) cannot stop the demo feed it started;
// the next start finds it by its pid file and ends it, and the demo broadcast carries on.
// Run alone: MEDIASOUP_WORKER_BIN=$(node scripts/mediasoup.mjs) node node_modules/.bin/tap <this file>
import t from 'tap';
import { alive, randomPort, startLinbo, tempDataDir } from '../helpers/linbo-process.ts';
import { until } from '../helpers/until.ts';

t.test('a process killed without shutting down leaves its feed, which the next start ends; the demo broadcast carries on', async (t) => {
  const dataDir = tempDataDir(t);
  const port = randomPort();
  const first = startLinbo(t, { dataDir, port });
  const sending = (run: { feeds(): Promise<{ pid: number }[]> }) => async () => {
    const feeds = await run.feeds();
    return feeds.length > 0 ? feeds : undefined;
  };
  const [orphan] = await until('the first run sends its demo feed', sending(first), 60_000, 200);
  const id = /watch\/([0-9a-f-]{36})/.exec(first.output())![1];
  const state = async () => (await (await fetch(`http://127.0.0.1:${port}/api/broadcasts/${id}`)).json()).state;
  await until('the demo broadcast is live', async () => (await state()) === 'live', 30_000, 200);
  first.child.kill('SIGKILL');
  await first.exited;
  t.ok(alive(orphan.pid), 'the killed process leaves its feed running');

  const second = startLinbo(t, { dataDir, port });
  await until('the next start ends the feed left behind', () => !alive(orphan.pid), 60_000, 100);
  const [feed] = await until('the next start sends its own feed', sending(second), 30_000, 200);
  t.ok(feed.pid !== orphan.pid, 'a new feed, a child of the new process');
  t.match(second.output(), `/watch/${id}`, 'for the same demo broadcast');
  t.equal(await state(), 'live', 'which is still live');
  second.child.kill('SIGTERM');
  t.equal(await second.exited, 0);
  await until('no ffmpeg of either run is left', () => !alive(feed.pid), 10_000, 100);
});
