import t from 'tap';
import { liveDemoBroadcast, seedDemo } from '../../server/demo/seed.ts';
import { FakeClock } from '../helpers/clock.ts';
import { startApp } from '../helpers/app.ts';

t.test('the demo channel gets one test-signal event a minute after the first start, the same one at the next start', async (t) => {
  const clock = new FakeClock('2026-12-04T02:00:00Z');
  const ctx = await startApp(t, { clock });
  const seeded = await seedDemo(ctx.services);
  const first = await liveDemoBroadcast(ctx.services);
  t.equal(first?.broadcast.kind, 'event');
  t.equal(first?.broadcast.title, '邻播测试直播 · 测试信号');
  t.equal(first?.broadcast.scheduledStart, '2026-12-04T02:01:00.000Z');
  t.equal(first?.admin.username, 'admin', 'the admin opens its ingest');
  t.not(seeded.countdown, first?.broadcast.links.countdown, 'the countdown printed is for a real programme, not the test signal');
  t.equal((await seedDemo(ctx.services)).countdown, seeded.countdown, 'and stays so once the test signal exists');

  clock.advance(3_600_000);
  const again = await liveDemoBroadcast(ctx.services);
  t.equal(again?.broadcast.id, first?.broadcast.id, 'a later start feeds the same event while it is not over');
});

t.test('a test-signal event that has ended is followed by a fresh one', async (t) => {
  const clock = new FakeClock('2026-12-04T02:00:00Z');
  const ctx = await startApp(t, { clock });
  await seedDemo(ctx.services);
  const first = (await liveDemoBroadcast(ctx.services))!;
  await ctx.services.broadcasts.startFromFeed(first.broadcast.id);
  await ctx.services.broadcasts.endFromMedia(first.broadcast.id, 'no-media');
  clock.advance(86_400_000);
  const fresh = await liveDemoBroadcast(ctx.services);
  t.not(fresh?.broadcast.id, first.broadcast.id);
  t.equal(fresh?.broadcast.state, 'scheduled');
  t.equal(fresh?.broadcast.scheduledStart, '2026-12-05T02:01:00.000Z');
});

t.test('an installation without the demo channel gets no test signal', async (t) => {
  const ctx = await startApp(t);
  await ctx.services.channels.create({ slug: 'xinhua', name: '新华社区' });
  await seedDemo(ctx.services);
  t.equal(await liveDemoBroadcast(ctx.services), undefined);
});
