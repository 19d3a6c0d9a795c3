// The realtime channel end to end: real `ws` clients against the app on a real port, over PGlite and
// PostgreSQL. What a resident's page and the host's studio rely on: hello, Q&A fan-out, counts,
// resuming without a gap, pre-review, state changes, and that a restart keeps what was said.
import t from 'tap';
import { startApp } from '../helpers/app.ts';
import { DB_KINDS } from '../helpers/db.ts';
import { channelBroadcast, closeAll, joinChannel, openChannel } from '../helpers/channel.ts';

for (const db of DB_KINDS) {
  t.test(`${db}: hello gets a welcome, then a snapshot of the broadcast`, async (t) => {
    const ctx = await startApp(t, { db, listen: true });
    const { url } = await channelBroadcast(ctx);
    const viewer = await joinChannel(url, { hello: { type: 'hello', name: '张阿姨' } });
    t.teardown(() => closeAll([viewer]));
    const [welcome, snapshot] = viewer.frames;
    t.equal(welcome!.type, 'welcome');
    t.equal(welcome!.role, 'viewer');
    t.equal(welcome!.name, '张阿姨');
    t.match(welcome!.viewerId, /^[A-Za-z0-9_-]{16}$/);
    t.not(welcome!.viewerId, welcome!.device, 'the public id is not the device token');
    t.match(viewer.setCookie, /^linbo_device=[A-Za-z0-9_-]+;.*HttpOnly/i, 'the device cookie is set on the upgrade');
    t.equal(snapshot!.type, 'snapshot');
    t.equal(snapshot!.state, 'live');
    t.same(snapshot!.questions, []);
    t.equal(snapshot!.seq, welcome!.seq);
  });

  t.test(`${db}: a question asked on one socket reaches another`, async (t) => {
    const ctx = await startApp(t, { db, listen: true });
    const { url } = await channelBroadcast(ctx);
    const asker = await joinChannel(url, { hello: { type: 'hello', name: '张阿姨' } });
    const other = await joinChannel(url);
    t.teardown(() => closeAll([asker, other]));
    asker.send({ type: 'question.ask', text: '没有遗嘱，独生子女能继承全部财产吗？' });
    const added = await other.next('the other viewer did not see the question', (f) => f.type === 'question.added');
    t.equal(added.question.text, '没有遗嘱，独生子女能继承全部财产吗？');
    t.equal(added.question.author.name, '张阿姨');
    t.equal(added.question.author.id, asker.frames[0]!.viewerId);
    t.equal(added.question.state, 'open');
    t.equal(added.seq, other.frames[0]!.seq + 1, 'the first event after the snapshot is the next seq');
  });
}
