import t from 'tap';
import ICAL from 'ical.js';
import { DB_KINDS, type DbKind } from '../helpers/db.ts';
import { FakeClock } from '../helpers/clock.ts';
import { staff, startApp, type TestApp } from '../helpers/app.ts';
import { createBroadcast, createChannel } from '../helpers/schedule.ts';
import { SERIES_NOW, createSeries, occurrencesOf } from '../helpers/series.ts';

interface ParsedEvent {
  uid: string;
  start: string;
  end: string;
  summary: string;
  description: string;
  url: string;
  status: string;
  sequence: number;
  alarms: string[];
}

/** The feed through a real iCalendar parser, as a calendar app reads it. */
async function feed(ctx: TestApp, url: string): Promise<{ name: string; events: ParsedEvent[]; contentType: string; disposition: string }> {
  const res = await ctx.app.inject({ url });
  if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
  const calendar = new ICAL.Component(ICAL.parse(res.body));
  const events = calendar.getAllSubcomponents('vevent').map((vevent) => {
    const event = new ICAL.Event(vevent);
    return {
      uid: event.uid,
      start: event.startDate.toJSDate().toISOString(),
      end: event.endDate.toJSDate().toISOString(),
      summary: event.summary,
      description: event.description,
      url: String(vevent.getFirstPropertyValue('url')),
      status: String(vevent.getFirstPropertyValue('status')),
      sequence: event.sequence,
      alarms: vevent.getAllSubcomponents('valarm').map((alarm) => String(alarm.getFirstPropertyValue('trigger'))),
    };
  });
  return {
    name: String(calendar.getFirstPropertyValue('x-wr-calname')),
    events,
    contentType: String(res.headers['content-type']),
    disposition: String(res.headers['content-disposition']),
  };
}

async function setUp(t: Parameters<typeof startApp>[0], db: DbKind) {
  const ctx = await startApp(t, { db, clock: new FakeClock(SERIES_NOW) });
  const editor = await staff(ctx, 'editor');
  const channel = await createChannel(ctx, editor);
  return { ctx, editor, channel, host: new URL(ctx.config.publicUrl).host };
}

for (const db of DB_KINDS) {
  t.test(`[${db}] one broadcast's calendar file holds its event with a reminder 15 minutes before`, async (t) => {
    const { ctx, editor, channel, host } = await setUp(t, db);
    const broadcast = await createBroadcast(ctx, editor, channel.id, { theme: '普法', description: '王律师讲解' });
    const { events, contentType, disposition, name } = await feed(ctx, `/api/broadcasts/${broadcast.id}/calendar.ics`);
    t.equal(contentType, 'text/calendar; charset=utf-8');
    t.match(disposition, new RegExp(`filename="linbo-broadcast-${broadcast.id}\\.ics"`));
    t.equal(name, '家庭教育讲座');
    t.equal(events.length, 1);
    const [event] = events;
    t.equal(event.uid, `${broadcast.id}@${host}`);
    t.equal(event.start, broadcast.scheduledStart);
    t.equal(event.end, new Date(Date.parse(broadcast.scheduledStart) + 45 * 60_000).toISOString());
    t.equal(event.summary, '家庭教育讲座 · 普法');
    t.match(event.description, '王律师讲解');
    t.match(event.description, broadcast.links.countdown, 'the description carries the countdown link');
    t.equal(event.url, broadcast.links.countdown);
    t.equal(event.status, 'CONFIRMED');
    t.equal(event.sequence, 1);
    t.same(event.alarms, ['-PT15M']);
    t.equal(broadcast.links.ics, `${ctx.config.publicUrl}/api/broadcasts/${broadcast.id}/calendar.ics`, 'the link the API gives is this route');
  });

  t.test(`[${db}] a series feed keeps each occurrence's UID when it is moved, and marks a cancelled one`, async (t) => {
    const { ctx, editor, channel } = await setUp(t, db);
    const series = await createSeries(ctx, editor, channel.id);
    const url = new URL(series.links.ics).pathname;
    const before = await feed(ctx, url);
    t.equal(before.name, '法律讲座');
    const occurrences = await occurrencesOf(ctx, editor, series.id);
    t.equal(before.events.length, 8);
    t.same(before.events.map((e) => e.start), occurrences.map((o) => o.scheduledStart));

    const [, moved, cancelled] = occurrences;
    const saturday = new Date(Date.parse(moved.scheduledStart) + 24 * 3600_000).toISOString();
    await ctx.app.inject({ method: 'PATCH', url: `/api/broadcasts/${moved.id}`, headers: editor, payload: { scheduledStart: saturday } });
    await ctx.app.inject({ method: 'POST', url: `/api/broadcasts/${cancelled.id}/cancel`, headers: editor });

    const after = await feed(ctx, url);
    t.same(after.events.map((e) => e.uid).sort(), before.events.map((e) => e.uid).sort(), 'the same UIDs: calendars update entries, not add them');
    const byUid = new Map(after.events.map((e) => [e.uid.split('@')[0], e]));
    t.match(byUid.get(moved.id), { start: saturday, sequence: 2, status: 'CONFIRMED' }, 'the moved one has its new start and a higher SEQUENCE');
    t.match(byUid.get(cancelled.id), { start: cancelled.scheduledStart, status: 'CANCELLED', sequence: 2, alarms: [] }, 'the cancelled one is marked, without a reminder');
  });

  t.test(`[${db}] a channel feed lists its public broadcasts and series occurrences, not drafts or unlisted ones`, async (t) => {
    const { ctx, editor, channel } = await setUp(t, db);
    const series = await createSeries(ctx, editor, channel.id);
    const oneOff = await createBroadcast(ctx, editor, channel.id, { title: '社区晚会' });
    await createBroadcast(ctx, editor, channel.id, { title: '草稿', state: 'draft' });
    await createBroadcast(ctx, editor, channel.id, { title: '内部', visibility: 'unlisted' });
    const other = await createChannel(ctx, editor);
    await createBroadcast(ctx, editor, other.id, { title: '别的频道' });

    const channelLink = (await ctx.app.inject({ url: `/api/channels/${channel.id}` })).json().links.ics;
    const { events, name } = await feed(ctx, new URL(channelLink).pathname);
    t.equal(name, '幸福街道');
    const occurrences = await occurrencesOf(ctx, editor, series.id);
    t.equal(events.length, 9);
    t.same(
      events.map((e) => e.uid.split('@')[0]).sort(),
      [oneOff.id, ...occurrences.map((o) => o.id)].sort(),
    );
  });
}

t.test('drafts and unknown ids have no calendar: each is 404 with its code', async (t) => {
  const { ctx, editor, channel } = await setUp(t, 'pglite');
  const draft = await createBroadcast(ctx, editor, channel.id, { state: 'draft' });
  const missing = '00000000-0000-4000-8000-000000000000';
  for (const [url, code] of [
    [`/api/broadcasts/${draft.id}/calendar.ics`, 'BROADCAST_NOT_FOUND'],
    [`/api/broadcasts/${missing}/calendar.ics`, 'BROADCAST_NOT_FOUND'],
    [`/api/series/${missing}/calendar.ics`, 'SERIES_NOT_FOUND'],
    [`/api/channels/${missing}/calendar.ics`, 'CHANNEL_NOT_FOUND'],
  ]) {
    const res = await ctx.app.inject({ url });
    t.equal(res.statusCode, 404, url);
    t.equal(res.json().code, code, url);
  }
});
