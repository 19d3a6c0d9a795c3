// The browser's channel client (player/realtime/client.ts, the one the watch, studio and moderation
// pages use) against the real channel, run in Node 24 whose WebSocket is the browser's API: through a
// TCP relay the test can cut, it loses its connection while questions are asked, comes back by itself
// and resumes from its last seq, so it shows every question without a fresh snapshot.
import t from 'tap';
import { createConnection, createServer, type Socket } from 'node:net';
import { once } from 'node:events';
import { startApp } from '../helpers/app.ts';
import { channelBroadcast, joinChannel, ofType } from '../helpers/channel.ts';
import { until } from '../helpers/until.ts';
import { ChannelClient, type Change } from '../../player/realtime/client.ts';

/** A TCP relay to `port`; `cut()` drops every connection and refuses new ones until `mend()`. */
async function relay(port: number) {
  const open = new Set<Socket>();
  let refusing = false;
  let accepted = 0;
  const server = createServer((inbound) => {
    if (refusing) return inbound.destroy();
    accepted += 1;
    const outbound = createConnection(port, '127.0.0.1');
    for (const [a, b] of [[inbound, outbound], [outbound, inbound]] as const) {
      open.add(a);
      a.pipe(b);
      a.on('error', () => b.destroy());
      a.on('close', () => (open.delete(a), b.destroy()));
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as { port: number }).port,
    accepted: () => accepted,
    cut() {
      refusing = true;
      for (const socket of open) socket.destroy();
    },
    mend() {
      refusing = false;
    },
    close: () => new Promise<void>((resolve) => (server.close(() => resolve()), [...open].forEach((s) => s.destroy()))),
  };
}

t.test('after a dropped connection the client comes back by itself and replays what it missed from its last seq', async (t) => {
  const ctx = await startApp(t, { listen: true });
  const { url } = await channelBroadcast(ctx);
  const line = await relay(Number(new URL(url).port));
  t.teardown(line.close);
  const client = new ChannelClient({ url: url.replace(`:${new URL(url).port}/`, `:${line.port}/`), name: '李大爷' });
  t.teardown(() => client.close());
  const changes: Change['type'][] = [];
  client.subscribe((_view, change) => changes.push(change.type));
  await until('the client has its snapshot', () => changes.includes('snapshot'));
  t.equal(client.view.name, '李大爷', 'the name went in hello');
  t.equal(client.view.state, 'live');

  const asker = await joinChannel(url);
  t.teardown(() => asker.close());
  const ask = async (text: string) => {
    const from = asker.frames.length;
    asker.send({ type: 'question.ask', text });
    await asker.next(`the asker did not see "${text}"`, (f) => ofType('question.added')(f) && f.question.text === text, from);
  };
  const texts = () => [...client.view.questions.values()].map((q) => q.text).sort();
  await ask('第一个问题');
  await until('the client sees the first question', () => texts().includes('第一个问题'));

  line.cut();
  await until('the client notices the drop', () => client.view.connection !== 'open');
  await ask('第二个问题');
  await ask('第三个问题');
  const sinceDrop = changes.length;
  const accepted = line.accepted();
  line.mend();

  await until('the client shows every question after it comes back', () => texts().length === 3 && client.view.connection === 'open', 20_000);
  t.same(texts(), ['第一个问题', '第三个问题', '第二个问题'], 'nothing missed');
  t.ok(line.accepted() > accepted, 'it reconnected by itself');
  const after = changes.slice(sinceDrop);
  t.ok(after.includes('welcome'), 'welcomed again');
  t.notOk(after.includes('snapshot'), 'resumed from its last seq: the missed events replayed, no fresh snapshot');
  t.equal(after.filter((type) => type === 'question.added').length, 2, 'each missed question once');
});
