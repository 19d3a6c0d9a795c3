import t from 'tap';
import { seedDemo } from '../../server/demo/seed.ts';
import { FakeClock } from '../helpers/clock.ts';
import { startApp } from '../helpers/app.ts';

t.test('an empty database gets a demo channel, a gala and a weekly lecture series, once', async (t) => {
  const clock = new FakeClock('2026-12-04T02:00:00Z'); // Friday 10:00 in Shanghai
  const ctx = await startApp(t, { clock });
  const first = await seedDemo(ctx.services);
  t.match(first.countdown, new RegExp(`^${ctx.url}/countdown/[0-9a-f-]{36}$`));
  t.equal(first.feed, `${ctx.url}/channels/demo-heping`, 'and the demo community’s clips page');
  t.equal((await ctx.app.inject({ url: '/channels/demo-heping' })).statusCode, 200, 'which opens');
  const channels = await ctx.services.channels.list();
  t.equal(channels.length, 1);
  const upcoming = await ctx.services.broadcasts.list(null, { channelId: channels[0].id, limit: 100 });
  const gala = upcoming.find((b) => b.kind === 'gala');
  t.equal(gala?.scheduledStart, '2026-12-04T11:00:00.000Z', 'the gala is tonight at 19:00 Shanghai time');
  const lectures = upcoming.filter((b) => b.kind === 'lecture');
  t.equal(lectures.length, 8, 'eight weeks of Friday lectures');
  t.equal(lectures[0].scheduledStart, '2026-12-11T01:30:00.000Z', 'the first lecture is next Friday 9:30');

  const second = await seedDemo(ctx.services);
  t.equal((await ctx.services.channels.list()).length, 1, 'a second start seeds nothing more');
  t.equal(second.countdown, first.countdown, 'and points at the same next broadcast');
});

t.test('an installation with its own channels is left alone', async (t) => {
  const ctx = await startApp(t);
  await ctx.services.channels.create({ slug: 'xinhua', name: '新华社区' });
  const result = await seedDemo(ctx.services);
  t.equal(result.countdown, undefined);
  t.equal((await ctx.services.channels.list()).length, 1);
});
