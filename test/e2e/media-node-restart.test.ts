// The embedded media node killed mid-live (kill -9, the OOM killer): the control plane starts another,
// which registers under a new id and takes new broadcasts; the broadcast the dead node ran gets the grace
// period, then ends as media-node-lost, and the new node closes its replay from storage.
// Run alone: MEDIASOUP_WORKER_BIN=$(node scripts/mediasoup.mjs) node node_modules/.bin/tap <this file>
import t from 'tap';
import { alive, descendants, randomPort, startLinbo, tempDataDir } from '../helpers/linbo-process.ts';
import { sendTestPattern } from '../helpers/media-node.ts';
import { until } from '../helpers/until.ts';

const PASSWORD = 'correct horse battery';

const renditionUris = (master: string): string[] => [
  ...master.split('\n').filter((line) => line.endsWith('.m3u8') && !line.startsWith('#')),
  ...[...master.matchAll(/URI="([^"]+\.m3u8)"/g)].map((m) => m[1]),
];

t.test('a media node killed mid-live is replaced; its broadcast ends after the grace as media-node-lost with a closed replay', async (t) => {
  const port = randomPort();
  const base = `http://127.0.0.1:${port}`;
  const linbo = startLinbo(t, {
    dataDir: tempDataDir(t),
    port,
    // A grace no longer than the first relaunch delay: the broadcast ends while no node runs, and the
    // replay is closed by the node that registers next.
    env: { LINBO_DEMO: '0', LINBO_ADMIN_PASSWORD: PASSWORD, LINBO_INGEST_GRACE_SECONDS: '1' },
  });
  // A loaded machine takes long to start the process and its node.
  await until('the control plane answers', async () => (await fetch(`${base}/healthz`)).ok, 120_000, 200);
  const { token } = await (await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: PASSWORD }),
  })).json();
  const api = async (method: string, path: string, body?: object) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: await res.json() };
  };
  const channel = (await api('POST', '/api/channels', { slug: 'restart-street', name: '幸福街道' })).body;
  const newBroadcast = async () =>
    (await api('POST', '/api/broadcasts', { channelId: channel.id, title: '家庭教育讲座', kind: 'lecture', scheduledStart: new Date(Date.now() + 3600_000).toISOString(), durationMinutes: 45 })).body;
  const openIngest = (id: string) => until(`a media node opens an ingest for ${id}`, async () => {
    const res = await api('POST', `/api/broadcasts/${id}/ingest/rtp`, { width: 640, height: 360 });
    return res.status === 200 && res.body;
  }, 120_000, 500);

  const broadcast = await newBroadcast();
  const ingest = await openIngest(broadcast.id);
  // A small feed: one copied rendition and the sound.
  sendTestPattern(t, ingest.ffmpegArgs, '640x360');
  const hls = broadcast.links.hls.replace(/^http:\/\/localhost:/, 'http://127.0.0.1:');
  const master = await until('the master playlist is served', async () => {
    const res = await fetch(hls);
    return res.ok ? res.text() : undefined;
  }, 30_000, 200);
  const playlists = renditionUris(master).map((uri) => new URL(uri, hls).href);
  const segments = async (url: string) => ((await (await fetch(url)).text()).match(/\.m4s$/gm) ?? []).length;
  await until('every rendition has 2 segments', async () => (await Promise.all(playlists.map(segments))).every((n) => n >= 2), 30_000, 200);
  t.equal((await api('GET', `/api/broadcasts/${broadcast.id}`)).body.state, 'live', 'the broadcast is live');

  const mediaNodes = async () => (await descendants(linbo.child.pid!)).filter((p) => p.args.includes('media/main.ts'));
  const [dead] = await mediaNodes();
  const children = await descendants(dead.pid);
  t.ok(children.some((p) => p.args.startsWith('ffmpeg')), 'the node runs the broadcast\'s transcoder');
  process.kill(dead.pid, 'SIGKILL');

  await until('another media node is started', async () => (await mediaNodes()).some((p) => p.pid !== dead.pid), 60_000, 200);
  const other = await openIngest((await newBroadcast()).id);
  t.not(other.nodeId, ingest.nodeId, 'it registers under a new id and takes new broadcasts');
  await until('the dead node\'s mediasoup workers and transcoder go with it', () => children.every((p) => !alive(p.pid)), 15_000, 200);

  const ended = await until('the broadcast ends once the grace period has passed', async () => {
    const b = (await api('GET', `/api/broadcasts/${broadcast.id}`)).body;
    return b.state === 'ended' && b.replay.ready && b;
  }, 60_000, 200);
  t.equal(ended.endedReason, 'media-node-lost', 'it says why it ended');
  for (const url of playlists) {
    const text = await (await fetch(url)).text();
    t.match(text, /#EXT-X-ENDLIST\s*$/, `${new URL(url).pathname} is closed`);
    const last = text.split('\n').filter((line) => line.endsWith('.m4s')).at(-1)!;
    t.equal((await fetch(new URL(last, url))).status, 200, `its last segment ${last} is stored`);
  }

  const endedOnes = (await api('GET', '/api/broadcasts?state=ended')).body as { id: string; endedReason: string | null }[];
  t.ok(endedOnes.length > 0, 'the list has the ended broadcast');
  t.same(endedOnes.filter((b) => b.endedReason === null), [], 'no ended broadcast lacks a reason');
});
