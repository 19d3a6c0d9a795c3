import t from 'tap';
import { count } from 'drizzle-orm';
import { DB_KINDS, type DbKind } from '../helpers/db.ts';
import { FakeClock } from '../helpers/clock.ts';
import { staff, startApp, type TestApp } from '../helpers/app.ts';
import { createChannel } from '../helpers/schedule.ts';
import { FIRST_FRIDAY, SERIES_NOW, THEMES, createSeries, occurrencesOf, runScheduler } from '../helpers/series.ts';
import { broadcasts, series } from '../../server/store/schema.ts';

const WEEK_MS = 7 * 24 * 3600_000;
/** The Friday `n` weeks after the first, 09:30 Shanghai. */
const friday = (n: number) => new Date(Date.parse(FIRST_FRIDAY) + n * WEEK_MS).toISOString();

async function setUp(t: Parameters<typeof startApp>[0], db: DbKind = 'pglite') {
  const clock = new FakeClock(SERIES_NOW);
  const ctx = await startApp(t, { db, clock });
  const editor = await staff(ctx, 'editor');
  const channel = await createChannel(ctx, editor);
  return { ctx, clock, editor, channel };
}

const patch = (ctx: TestApp, url: string, headers: object, payload: object) => ctx.app.inject({ method: 'PATCH', url, headers: { ...headers }, payload });
const rowCounts = async (ctx: TestApp) => {
  const { db } = ctx.services.store;
  const [[s], [b]] = await Promise.all([db.select({ n: count() }).from(series), db.select({ n: count() }).from(broadcasts)]);
  return { series: s.n, broadcasts: b.n };
};

for (const db of DB_KINDS) {
  t.test(`[${db}] "every Friday 9:30 for 45 minutes" becomes eight weeks of broadcasts, themed by month`, async (t) => {
    const { ctx, editor, channel } = await setUp(t, db);
    const created = await createSeries(ctx, editor, channel.id, { rrule: 'freq=weekly;byday=fr' });
    t.match(created, { channelId: channel.id, rrule: 'FREQ=WEEKLY;BYDAY=FR', firstStart: FIRST_FRIDAY, timezone: 'Asia/Shanghai', durationMinutes: 45, endedAt: null });
    t.same(created.themes, THEMES);
    t.equal(created.links.ics, `${ctx.config.publicUrl}/api/series/${created.id}/calendar.ics`);

    const occurrences = await occurrencesOf(ctx, editor, created.id);
    t.same(
      occurrences.map((o) => [o.scheduledStart, o.theme]),
      [
        [friday(0), '冬季安全'],
        [friday(1), '冬季安全'],
        [friday(2), '家庭教育'], // 2 January: the month turns
        [friday(3), '家庭教育'],
        [friday(4), '家庭教育'],
        [friday(5), '家庭教育'],
        [friday(6), '家庭教育'],
        [friday(7), '春节习俗'],
      ],
    );
    t.ok(occurrences.every((o) => o.scheduledStart.endsWith('T01:30:00.000Z')), 'each at 09:30 Shanghai');
    t.ok(occurrences.every((o) => o.state === 'scheduled' && !o.detached && o.occurrenceStart === o.scheduledStart && o.title === '法律讲座'));
    t.equal(new Set(occurrences.map((o) => o.streamKey)).size, 8, 'each occurrence has its own stream key');
    const one = (await ctx.app.inject({ url: `/api/broadcasts/${occurrences[0].id}` })).json();
    t.equal(one.durationMinutes, 45);
  });

  t.test(`[${db}] a moved occurrence keeps its move through a later series-wide retitle from a date on`, async (t) => {
    const { ctx, editor, channel } = await setUp(t, db);
    const created = await createSeries(ctx, editor, channel.id);
    const before = await occurrencesOf(ctx, editor, created.id);
    const moved = before[4]; // 16 January, moved to the Saturday
    const saturday = new Date(Date.parse(moved.scheduledStart) + 24 * 3600_000).toISOString();
    const res = await patch(ctx, `/api/broadcasts/${moved.id}`, editor, { scheduledStart: saturday });
    t.equal(res.statusCode, 200);
    t.equal(res.json().detached, true);
    const afterMove = await occurrencesOf(ctx, editor, created.id);
    t.same(
      afterMove.filter((o) => o.id !== moved.id),
      before.filter((o) => o.id !== moved.id),
      'the other occurrences are untouched',
    );

    const retitle = await patch(ctx, `/api/series/${created.id}`, editor, { title: '普法讲座', from: '2026-01-05T00:00:00.000Z' });
    t.equal(retitle.statusCode, 200);
    t.equal(retitle.json().title, '普法讲座');
    const after = await occurrencesOf(ctx, editor, created.id);
    t.same(after.map((o) => o.id).sort(), before.map((o) => o.id).sort(), 'the same broadcasts, none added or replaced');
    const byId = new Map(after.map((o) => [o.id, o]));
    for (const [i, o] of before.entries()) {
      const now = byId.get(o.id)!;
      if (o.id === moved.id) t.match(now, { title: '法律讲座', scheduledStart: saturday, occurrenceStart: o.occurrenceStart }, 'the moved one keeps its title and time');
      else if (i < 3) t.match(now, { title: '法律讲座', version: 1 }, `${o.scheduledStart}, before \`from\`, keeps its title`);
      else t.match(now, { title: '普法讲座', version: 2, scheduledStart: o.scheduledStart }, `${o.scheduledStart} is retitled`);
    }
  });

  t.test(`[${db}] a cancelled occurrence stays cancelled, and the scheduler extends the horizon without duplicates`, async (t) => {
    const { ctx, clock, editor, channel } = await setUp(t, db);
    const created = await createSeries(ctx, editor, channel.id);
    const holiday = (await occurrencesOf(ctx, editor, created.id))[2]; // 2 January
    const cancelled = await ctx.app.inject({ method: 'POST', url: `/api/broadcasts/${holiday.id}/cancel`, headers: editor });
    t.equal(cancelled.json().state, 'cancelled');

    t.equal(await runScheduler(ctx), 0, 'nothing to add while the horizon is full');
    clock.advance(2 * WEEK_MS);
    t.equal(await runScheduler(ctx), 2, 'two weeks later, two more Fridays');
    t.equal(await runScheduler(ctx), 0, 'running again adds nothing');
    const after = await occurrencesOf(ctx, editor, created.id);
    t.same(after.map((o) => o.scheduledStart), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(friday), 'one broadcast per Friday, none twice');
    t.match(after[2], { id: holiday.id, state: 'cancelled' }, 'the holiday week stays cancelled');
    t.same(after.slice(8).map((o) => o.theme), ['春节习俗', '春节习俗']);
  });

  t.test(`[${db}] an invalid RRULE or a first start in the past is refused and writes nothing`, async (t) => {
    const { ctx, editor, channel } = await setUp(t, db);
    const payload = { channelId: channel.id, title: '法律讲座', kind: 'lecture', rrule: 'FREQ=WEEKLY;BYDAY=FR', firstStart: FIRST_FRIDAY, durationMinutes: 45 };
    const badRule = await ctx.app.inject({ method: 'POST', url: '/api/series', headers: editor, payload: { ...payload, rrule: 'FREQ=WEEKLY;BYHOUR=9' } });
    t.equal(badRule.statusCode, 400);
    t.match(badRule.json(), { code: 'INVALID_RRULE', detail: /BYHOUR/ });
    const past = await ctx.app.inject({ method: 'POST', url: '/api/series', headers: editor, payload: { ...payload, firstStart: '2025-12-12T01:30:00.000Z' } });
    t.equal(past.statusCode, 400);
    t.equal(past.json().code, 'START_IN_PAST');
    t.same(await rowCounts(ctx), { series: 0, broadcasts: 0 });
  });
}

t.test('a new time of day re-times the same broadcasts, so their links and calendar entries stay', async (t) => {
  const { ctx, editor, channel } = await setUp(t);
  const created = await createSeries(ctx, editor, channel.id);
  const before = await occurrencesOf(ctx, editor, created.id);
  const res = await patch(ctx, `/api/series/${created.id}`, editor, { firstStart: '2025-12-19T02:00:00.000Z' });
  t.equal(res.statusCode, 200);
  const after = await occurrencesOf(ctx, editor, created.id);
  t.same(after.map((o) => o.id), before.map((o) => o.id));
  t.ok(after.every((o) => o.scheduledStart.endsWith('T02:00:00.000Z') && o.occurrenceStart === o.scheduledStart && o.version === 2), 'all at 10:00 Shanghai now');
});

t.test('a new rule cancels the dates it drops and schedules the dates it adds', async (t) => {
  const { ctx, editor, channel } = await setUp(t);
  const created = await createSeries(ctx, editor, channel.id);
  const res = await patch(ctx, `/api/series/${created.id}`, editor, { rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=FR' });
  t.equal(res.statusCode, 200);
  const after = await occurrencesOf(ctx, editor, created.id);
  t.same(
    after.map((o) => [o.scheduledStart, o.state]),
    [0, 1, 2, 3, 4, 5, 6, 7].map((n) => [friday(n), n % 2 === 0 ? 'scheduled' : 'cancelled']),
  );
  const refused = await patch(ctx, `/api/series/${created.id}`, editor, { rrule: 'FREQ=HOURLY' });
  t.equal(refused.json().code, 'INVALID_RRULE');
});

t.test('ending a series cancels its upcoming occurrences except one edited alone, and nothing new comes', async (t) => {
  const { ctx, clock, editor, channel } = await setUp(t);
  const created = await createSeries(ctx, editor, channel.id);
  const before = await occurrencesOf(ctx, editor, created.id);
  await patch(ctx, `/api/broadcasts/${before[5].id}`, editor, { title: '特别节目' });
  clock.advance(WEEK_MS); // the first Friday has passed
  const ended = await ctx.app.inject({ method: 'DELETE', url: `/api/series/${created.id}`, headers: editor });
  t.equal(ended.statusCode, 204);
  t.equal((await ctx.app.inject({ url: `/api/series/${created.id}`, headers: editor })).json().endedAt, clock.now().toISOString());
  const after = await occurrencesOf(ctx, editor, created.id);
  t.same(
    after.map((o) => o.state),
    ['scheduled', 'cancelled', 'cancelled', 'cancelled', 'cancelled', 'scheduled', 'cancelled', 'cancelled'],
    'the past one and the one edited alone are kept',
  );
  clock.advance(4 * WEEK_MS);
  t.equal(await runScheduler(ctx), 0, 'an ended series grows no more');
});

t.test('only editors and admins run series; unknown ids are SERIES_NOT_FOUND, unknown channels CHANNEL_NOT_FOUND', async (t) => {
  const { ctx, editor, channel } = await setUp(t);
  const host = await staff(ctx, 'host');
  const denied = await ctx.app.inject({
    method: 'POST',
    url: '/api/series',
    headers: { authorization: host.authorization },
    payload: { channelId: channel.id, title: 'x', kind: 'lecture', rrule: 'FREQ=WEEKLY', firstStart: FIRST_FRIDAY, durationMinutes: 45 },
  });
  t.equal(denied.json().code, 'FORBIDDEN');
  const created = await createSeries(ctx, editor, channel.id, { hostId: host.id });
  const listed = (await ctx.app.inject({ url: '/api/series', headers: { authorization: host.authorization } })).json();
  t.same(listed.map((s: { id: string }) => s.id), [created.id], 'hosts may read series');
  t.equal((await ctx.app.inject({ url: '/api/series' })).json().code, 'UNAUTHENTICATED');

  const missing = '00000000-0000-4000-8000-000000000000';
  for (const [method, payload] of [['GET'], ['PATCH', { title: 'x' }], ['DELETE']] as const) {
    const res = await ctx.app.inject({ method, url: `/api/series/${missing}`, headers: editor, ...(payload ? { payload } : {}) });
    t.equal(res.json().code, 'SERIES_NOT_FOUND', method);
  }
  const noChannel = await ctx.app.inject({
    method: 'POST',
    url: '/api/series',
    headers: editor,
    payload: { channelId: missing, title: 'x', kind: 'lecture', rrule: 'FREQ=WEEKLY', firstStart: FIRST_FRIDAY, durationMinutes: 45 },
  });
  t.equal(noChannel.json().code, 'CHANNEL_NOT_FOUND');
  const noHost = await patch(ctx, `/api/series/${created.id}`, editor, { hostId: missing });
  t.equal(noHost.json().code, 'HOST_NOT_FOUND');
});

t.test('a series cannot be of kind premiere: a premiere plays one clip once', async (t) => {
  const { ctx, editor, channel } = await setUp(t);
  const payload = { channelId: channel.id, title: '首映', kind: 'premiere', rrule: 'FREQ=WEEKLY', firstStart: FIRST_FRIDAY, durationMinutes: 45 };
  const created = await ctx.app.inject({ method: 'POST', url: '/api/series', headers: editor, payload });
  t.equal(created.statusCode, 400);
  t.equal(created.json().code, 'VALIDATION_FAILED');
  const existing = await createSeries(ctx, editor, channel.id);
  const changed = await patch(ctx, `/api/series/${existing.id}`, editor, { kind: 'premiere' });
  t.equal(changed.json().code, 'VALIDATION_FAILED');
  t.same(await rowCounts(ctx), { series: 1, broadcasts: (await occurrencesOf(ctx, editor, existing.id)).length }, 'nothing was made of the refused requests');
});
