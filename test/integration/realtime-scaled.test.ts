// Scaled out (REDIS_URL): two control-plane processes serve one broadcast's channel together over
// the real Redis and one PostgreSQL database. A viewer on one sees what is asked on the other, the
// counts add up over both, and both deliver the same gap-free sequence.
import t from 'tap';
import { freshPostgresDatabase } from '../helpers/db.ts';
import { deleteKeysAtEnd, redisUrl } from '../helpers/redis.ts';
import { appOnStore, channelBroadcast, closeAll, joinChannel, ofType, type ChannelClient } from '../helpers/channel.ts';
import { postgresStore } from '../../server/store/db.ts';

t.test('two processes serve one channel: questions cross over, counts add up, seq has no gaps', async (t) => {
  const database = await freshPostgresDatabase();
  t.teardown(() => database.drop());
  const stores = [postgresStore(database.url), postgresStore(database.url)];
  t.teardown(() => Promise.all(stores.map((store) => store.close())));
  const [one, two] = [await appOnStore(t, stores[0]!, { REDIS_URL: redisUrl() }), await appOnStore(t, stores[1]!, { REDIS_URL: redisUrl() })];
  const { id } = await channelBroadcast(one!);
  deleteKeysAtEnd(t, `linbo:bc:${id}:*`);
  const channelOn = (app: typeof one) => `${app!.url.replace(/^http/, 'ws')}/api/broadcasts/${id}/channel`;
  const a = await joinChannel(channelOn(one));
  const b = await joinChannel(channelOn(two));
  t.teardown(() => closeAll([a, b]));

  a.send({ type: 'question.ask', text: '在一号进程问的' });
  await b.next('the viewer on the second process did not see the question', (f) => f.type === 'question.added' && f.question.text === '在一号进程问的');
  b.send({ type: 'question.ask', text: '在二号进程问的' });
  await a.next('the viewer on the first process did not see the question', (f) => f.type === 'question.added' && f.question.text === '在二号进程问的');
  // Her own question reaches the asker through the bus too, maybe after it reached the other process.
  await b.next('the asker on the second process did not see her own question', (f) => f.type === 'question.added' && f.question.text === '在二号进程问的');
  const seqs = (client: ChannelClient) => client.frames.filter(ofType('question.added')).map((f) => f.seq);
  t.same(seqs(a), seqs(b), 'both processes deliver the same numbers');
  t.equal(seqs(a)[1], seqs(a)[0]! + 1, 'without a gap');

  a.send({ type: 'like', count: 3 });
  b.send({ type: 'like', count: 4 });
  for (const client of [a, b]) {
    await client.next('the likes of both processes did not add up', (f) => f.type === 'likes' && f.total === 7);
    await client.next('the viewers of both processes did not add up', (f) => f.type === 'viewers' && f.now === 2 && f.total === 2);
  }
});
