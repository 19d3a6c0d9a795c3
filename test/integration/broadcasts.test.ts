import { eq } from 'drizzle-orm';
import t from 'tap';
import { DB_KINDS } from '../helpers/db.ts';
import { FakeClock } from '../helpers/clock.ts';
import { staff, startApp, type TestApp } from '../helpers/app.ts';
import { createBroadcast, createChannel, uploadImage } from '../helpers/schedule.ts';
import { broadcasts, series } from '../../server/store/schema.ts';

const NOW = '2026-12-07T02:00:00.000Z';
const inHours = (h: number) => new Date(Date.parse(NOW) + h * 3600_000).toISOString();

async function setUp(t: Parameters<typeof startApp>[0], db: (typeof DB_KINDS)[number] = 'pglite') {
  const clock = new FakeClock(NOW);
  const ctx = await startApp(t, { db, clock });
  const editor = await staff(ctx, 'editor');
  const channel = await createChannel(ctx, editor);
  return { ctx, clock, editor, channel };
}

const get = (ctx: TestApp, url: string, headers: Record<string, string> = {}) => ctx.app.inject({ url, headers });
const post = (ctx: TestApp, url: string, headers: Record<string, string>, payload?: object) =>
  ctx.app.inject({ method: 'POST', url, headers, ...(payload ? { payload } : {}) });

/** A series with one materialised occurrence, written as the series module writes them. */
async function seriesOccurrence(ctx: TestApp, channelId: string, start: string) {
  const { db } = ctx.services.store;
  const common = { channelId, title: '周五讲堂', kind: 'lecture' as const, durationMinutes: 45 };
  const [s] = await db.insert(series).values({ ...common, rrule: 'FREQ=WEEKLY', firstStart: new Date(start), timezone: 'Asia/Shanghai' }).returning();
  const [occurrence] = await db
    .insert(broadcasts)
    .values({ ...common, seriesId: s.id, occurrenceStart: new Date(start), state: 'scheduled', scheduledStart: new Date(start), streamKey: `lb_${s.id}` })
    .returning();
  return occurrence;
}

for (const db of DB_KINDS) {
  t.test(`[${db}] the database keeps no ended broadcast without a reason, and no reason on one that has not ended`, async (t) => {
    const { ctx, editor, channel } = await setUp(t, db);
    const b = await createBroadcast(ctx, editor, channel.id);
    const { db: store } = ctx.services.store;
    await t.rejects(store.update(broadcasts).set({ state: 'ended' }).where(eq(broadcasts.id, b.id)), 'ended without a reason is refused');
    await t.rejects(store.update(broadcasts).set({ endedReason: 'staff' }).where(eq(broadcasts.id, b.id)), 'a reason on a scheduled broadcast is refused');
    await store.update(broadcasts).set({ state: 'ended', endedReason: 'media-node-lost' }).where(eq(broadcasts.id, b.id));
    t.equal((await get(ctx, `/api/broadcasts/${b.id}`, editor)).json().endedReason, 'media-node-lost');
  });

  t.test(`[${db}] an editor schedules a broadcast; staff see its stream key and residents do not`, async (t) => {
    const { ctx, editor, channel } = await setUp(t, db);
    const host = await staff(ctx, 'host');
    const created = await createBroadcast(ctx, editor, channel.id, { hostId: host.id, theme: '普法', scheduledStart: inHours(24) });
    t.equal(created.state, 'scheduled', 'scheduled unless asked for a draft');
    t.match(created.streamKey, /^lb_[A-Za-z0-9_-]{32}$/);
    t.same(created.channel, { id: channel.id, name: '幸福街道', slug: channel.slug });
    t.same(created.host, { id: host.id, displayName: 'host host1' });
    t.equal(created.scheduledStart, inHours(24));
    t.equal(created.version, 1);
    t.equal(created.createdAt, NOW, 'timestamps come from the app clock');
    for (const [name, link] of Object.entries(created.links)) {
      // The channel is a WebSocket: the same host under ws: (wss: behind https:).
      const base = name === 'channel' ? ctx.config.publicUrl.replace(/^http/, 'ws') : ctx.config.publicUrl;
      t.ok(String(link).startsWith(`${base}/`), `${name} link is absolute under PUBLIC_URL`);
    }
    t.equal(created.links.channel, `${ctx.config.publicUrl.replace(/^http/, 'ws')}/api/broadcasts/${created.id}/channel`);
    t.equal(created.links.watch, `${ctx.config.publicUrl}/watch/${created.id}`);

    const resident = await get(ctx, `/api/broadcasts/${created.id}`);
    t.equal(resident.statusCode, 200);
    t.notOk('streamKey' in resident.json(), 'residents never see the stream key');
    t.equal(resident.json().title, '家庭教育讲座');
    const asEditor = await get(ctx, `/api/broadcasts/${created.id}`, editor);
    t.equal(asEditor.json().streamKey, created.streamKey);
  });

  t.test(`[${db}] residents list public published broadcasts by start; staff list everything`, async (t) => {
    const { ctx, editor, channel } = await setUp(t, db);
    await createBroadcast(ctx, editor, channel.id, { title: 'later', scheduledStart: inHours(48) });
    const sooner = await createBroadcast(ctx, editor, channel.id, { title: 'sooner', scheduledStart: inHours(2) });
    await createBroadcast(ctx, editor, channel.id, { title: 'draft', state: 'draft', scheduledStart: inHours(3) });
    await createBroadcast(ctx, editor, channel.id, { title: 'unlisted', visibility: 'unlisted', scheduledStart: inHours(4) });

    const resident = (await get(ctx, '/api/broadcasts')).json();
    t.same(resident.map((b: { title: string }) => b.title), ['sooner', 'later']);
    t.ok(resident.every((b: object) => !('streamKey' in b)), 'no stream keys in the public list');

    const all = (await get(ctx, '/api/broadcasts', editor)).json();
    t.same(all.map((b: { title: string }) => b.title), ['sooner', 'draft', 'unlisted', 'later']);
    t.ok(all.every((b: { streamKey?: string }) => b.streamKey), 'editors see every stream key');

    const window = (await get(ctx, `/api/broadcasts?from=${encodeURIComponent(inHours(3))}&to=${encodeURIComponent(inHours(48))}`, editor)).json();
    t.same(window.map((b: { title: string }) => b.title), ['draft', 'unlisted'], 'from is inclusive, to exclusive');
    const byState = (await get(ctx, '/api/broadcasts?state=draft', editor)).json();
    t.same(byState.map((b: { title: string }) => b.title), ['draft']);
    t.equal((await get(ctx, '/api/broadcasts?limit=1')).json()[0].id, sooner.id);
  });

  t.test(`[${db}] an unlisted broadcast is reachable by its link; a draft is not found by residents`, async (t) => {
    const { ctx, editor, channel } = await setUp(t, db);
    const unlisted = await createBroadcast(ctx, editor, channel.id, { visibility: 'unlisted' });
    const draft = await createBroadcast(ctx, editor, channel.id, { state: 'draft' });
    t.equal((await get(ctx, `/api/broadcasts/${unlisted.id}`)).statusCode, 200);
    const hidden = await get(ctx, `/api/broadcasts/${draft.id}`);
    t.equal(hidden.statusCode, 404);
    t.equal(hidden.json().code, 'BROADCAST_NOT_FOUND');
    t.equal((await get(ctx, `/api/broadcasts/${draft.id}`, editor)).json().state, 'draft', 'staff see drafts');
  });

  t.test(`[${db}] editing bumps the version, and an edited series occurrence is detached from its series`, async (t) => {
    const { ctx, clock, editor, channel } = await setUp(t, db);
    const one = await createBroadcast(ctx, editor, channel.id);
    clock.advance(60_000);
    const res = await ctx.app.inject({ method: 'PATCH', url: `/api/broadcasts/${one.id}`, headers: editor, payload: { title: '健康讲座', durationMinutes: 60, scheduledStart: inHours(30) } });
    t.equal(res.statusCode, 200);
    const edited = res.json();
    t.match(edited, { title: '健康讲座', durationMinutes: 60, scheduledStart: inHours(30), version: 2, detached: false });
    t.equal(edited.updatedAt, clock.now().toISOString());

    const occurrence = await seriesOccurrence(ctx, channel.id, inHours(96));
    const moved = await ctx.app.inject({ method: 'PATCH', url: `/api/broadcasts/${occurrence.id}`, headers: editor, payload: { scheduledStart: inHours(97) } });
    t.match(moved.json(), { seriesId: occurrence.seriesId, occurrenceStart: inHours(96), scheduledStart: inHours(97), detached: true });
  });

  t.test(`[${db}] deleting removes a one-off broadcast but cancels a series occurrence`, async (t) => {
    const { ctx, editor, channel } = await setUp(t, db);
    const one = await createBroadcast(ctx, editor, channel.id);
    const del = await ctx.app.inject({ method: 'DELETE', url: `/api/broadcasts/${one.id}`, headers: editor });
    t.equal(del.statusCode, 204);
    t.equal((await get(ctx, `/api/broadcasts/${one.id}`, editor)).json().code, 'BROADCAST_NOT_FOUND');

    const occurrence = await seriesOccurrence(ctx, channel.id, inHours(96));
    const cancel = await ctx.app.inject({ method: 'DELETE', url: `/api/broadcasts/${occurrence.id}`, headers: editor });
    t.equal(cancel.statusCode, 204);
    t.equal((await get(ctx, `/api/broadcasts/${occurrence.id}`, editor)).json().state, 'cancelled', 'the row stays so the series does not re-create it');
  });
}

t.test('a broadcast goes draft → scheduled → live → ended, stamping when it started and ended', async (t) => {
  const { ctx, clock, editor, channel } = await setUp(t);
  const draft = await createBroadcast(ctx, editor, channel.id, { state: 'draft' });
  const published = await post(ctx, `/api/broadcasts/${draft.id}/publish`, editor);
  t.equal(published.json().state, 'scheduled');
  clock.advance(5 * 60_000);
  const live = (await post(ctx, `/api/broadcasts/${draft.id}/start`, editor)).json();
  t.equal(live.state, 'live');
  t.equal(live.startedAt, clock.now().toISOString());
  clock.advance(45 * 60_000);
  const ended = (await post(ctx, `/api/broadcasts/${draft.id}/end`, editor)).json();
  t.match(ended, { state: 'ended', startedAt: live.startedAt, endedAt: clock.now().toISOString(), endedReason: 'staff', version: 4 });
  t.same(live.replay, { ready: false, readyAt: null }, 'no replay while live');
  t.equal(live.endedReason, null, 'no reason until it ends');
});

t.test('the replay is recorded as ready once, and only for an ended broadcast', async (t) => {
  const { ctx, clock, editor, channel } = await setUp(t);
  const b = await createBroadcast(ctx, editor, channel.id);
  await ctx.services.broadcasts.startFromFeed(b.id);
  t.same((await ctx.services.broadcasts.markReplayReady(b.id)).replay, { ready: false, readyAt: null }, 'a live broadcast has no replay yet');
  clock.advance(60_000);
  const ended = await ctx.services.broadcasts.endFromMedia(b.id, 'no-media');
  t.equal(ended.endedReason, 'no-media');
  clock.advance(2_000);
  const readyAt = clock.now().toISOString();
  t.same((await ctx.services.broadcasts.markReplayReady(b.id)).replay, { ready: true, readyAt });
  clock.advance(2_000);
  t.same((await get(ctx, `/api/broadcasts/${b.id}`)).json().replay, { ready: true, readyAt }, 'residents see it; a second report keeps the first time');
  await ctx.services.broadcasts.markReplayReady(b.id);
  t.equal((await get(ctx, `/api/broadcasts/${b.id}`)).json().replay.readyAt, readyAt);
});

t.test('a move the lifecycle does not allow is a 409 naming both states, and changes nothing', async (t) => {
  const { ctx, editor, channel } = await setUp(t);
  const b = await createBroadcast(ctx, editor, channel.id);
  const res = await post(ctx, `/api/broadcasts/${b.id}/end`, editor);
  t.equal(res.statusCode, 409);
  t.match(res.json(), { code: 'INVALID_STATE_TRANSITION', from: 'scheduled', to: 'ended' });
  t.match(res.headers['content-type'], /^application\/problem\+json/);
  t.equal((await get(ctx, `/api/broadcasts/${b.id}`, editor)).json().version, 1);
  await post(ctx, `/api/broadcasts/${b.id}/cancel`, editor);
  t.equal((await post(ctx, `/api/broadcasts/${b.id}/publish`, editor)).json().code, 'INVALID_STATE_TRANSITION', 'a cancelled broadcast stays cancelled');
});

t.test('live, ended and cancelled broadcasts can no longer be edited; live and ended ones are not deleted', async (t) => {
  const { ctx, editor, channel } = await setUp(t);
  const b = await createBroadcast(ctx, editor, channel.id);
  await post(ctx, `/api/broadcasts/${b.id}/start`, editor);
  const patch = await ctx.app.inject({ method: 'PATCH', url: `/api/broadcasts/${b.id}`, headers: editor, payload: { title: 'x' } });
  t.equal(patch.statusCode, 409);
  t.equal(patch.json().code, 'BROADCAST_NOT_EDITABLE');
  const del = await ctx.app.inject({ method: 'DELETE', url: `/api/broadcasts/${b.id}`, headers: editor });
  t.equal(del.json().code, 'BROADCAST_NOT_EDITABLE');
  const c = await createBroadcast(ctx, editor, channel.id);
  await post(ctx, `/api/broadcasts/${c.id}/cancel`, editor);
  const late = await ctx.app.inject({ method: 'PATCH', url: `/api/broadcasts/${c.id}`, headers: editor, payload: { title: 'x' } });
  t.equal(late.json().code, 'BROADCAST_NOT_EDITABLE');
});

t.test('moving a start into the past is START_IN_PAST; a minute of grace is allowed', async (t) => {
  const { ctx, editor, channel } = await setUp(t);
  const b = await createBroadcast(ctx, editor, channel.id);
  const past = await ctx.app.inject({ method: 'PATCH', url: `/api/broadcasts/${b.id}`, headers: editor, payload: { scheduledStart: inHours(-1) } });
  t.equal(past.json().code, 'START_IN_PAST');
  const justNow = new Date(Date.parse(NOW) - 30_000).toISOString();
  const grace = await ctx.app.inject({ method: 'PATCH', url: `/api/broadcasts/${b.id}`, headers: editor, payload: { scheduledStart: justNow } });
  t.equal(grace.statusCode, 200);
});

t.test('rotating the stream key replaces it', async (t) => {
  const { ctx, editor, channel } = await setUp(t);
  const b = await createBroadcast(ctx, editor, channel.id);
  const rotated = (await post(ctx, `/api/broadcasts/${b.id}/stream-key`, editor)).json();
  t.not(rotated.streamKey, b.streamKey);
  t.equal((await get(ctx, `/api/broadcasts/${b.id}`, editor)).json().streamKey, rotated.streamKey);
});

t.test('a host runs the broadcasts assigned to them and nothing else', async (t) => {
  const { ctx, editor, channel } = await setUp(t);
  const host = await staff(ctx, 'host');
  const mine = await createBroadcast(ctx, editor, channel.id, { hostId: host.id });
  const theirs = await createBroadcast(ctx, editor, channel.id);
  const hostHeaders = { authorization: host.authorization };

  const list = (await get(ctx, '/api/broadcasts', hostHeaders)).json();
  t.equal(list.find((b: { id: string }) => b.id === mine.id).streamKey, mine.streamKey, 'their own key is shown');
  t.notOk('streamKey' in list.find((b: { id: string }) => b.id === theirs.id), "another host's key is not");
  t.notOk('streamKey' in (await get(ctx, `/api/broadcasts/${theirs.id}`, hostHeaders)).json());

  const retitled = await ctx.app.inject({ method: 'PATCH', url: `/api/broadcasts/${mine.id}`, headers: hostHeaders, payload: { title: '我的讲座', theme: '健康' } });
  t.match(retitled.json(), { title: '我的讲座', theme: '健康' });
  const moved = await ctx.app.inject({ method: 'PATCH', url: `/api/broadcasts/${mine.id}`, headers: hostHeaders, payload: { scheduledStart: inHours(50) } });
  t.equal(moved.statusCode, 403);
  t.equal(moved.json().code, 'FORBIDDEN', 'the schedule is the editors’');

  for (const path of ['start', 'stream-key']) {
    const res = await post(ctx, `/api/broadcasts/${theirs.id}/${path}`, hostHeaders);
    t.equal(res.statusCode, 403);
    t.equal(res.json().code, 'NOT_ASSIGNED_HOST', `${path} on someone else's broadcast`);
  }
  const edit = await ctx.app.inject({ method: 'PATCH', url: `/api/broadcasts/${theirs.id}`, headers: hostHeaders, payload: { title: 'x' } });
  t.equal(edit.json().code, 'NOT_ASSIGNED_HOST');
  t.equal((await get(ctx, `/api/broadcasts/${theirs.id}`, editor)).json().version, 1, 'nothing changed');

  t.equal((await post(ctx, `/api/broadcasts/${mine.id}/start`, hostHeaders)).json().state, 'live');
  t.equal((await post(ctx, `/api/broadcasts/${mine.id}/end`, hostHeaders)).json().state, 'ended');
  t.equal((await post(ctx, `/api/broadcasts/${theirs.id}/cancel`, hostHeaders)).json().code, 'FORBIDDEN', 'cancelling is for editors');
});

t.test('a broadcast must name an existing channel, an active staff host and an uploaded cover', async (t) => {
  const { ctx, editor, channel } = await setUp(t);
  const admin = await staff(ctx, 'admin');
  const host = await staff(ctx, 'host');
  await ctx.app.inject({ method: 'PATCH', url: `/api/accounts/${host.id}`, headers: { authorization: admin.authorization }, payload: { disabled: true } });
  const missing = '00000000-0000-4000-8000-000000000000';
  const cases: [Record<string, unknown>, string][] = [
    [{ channelId: missing }, 'CHANNEL_NOT_FOUND'],
    [{ hostId: missing }, 'HOST_NOT_FOUND'],
    [{ hostId: host.id }, 'HOST_NOT_FOUND'],
    [{ coverImageId: missing }, 'IMAGE_NOT_FOUND'],
  ];
  for (const [fields, code] of cases) {
    const res = await post(ctx, '/api/broadcasts', editor, { channelId: channel.id, title: 't', kind: 'gala', scheduledStart: inHours(5), durationMinutes: 90, ...fields });
    t.equal(res.json().code, code, JSON.stringify(fields));
  }
  t.same((await get(ctx, '/api/broadcasts', editor)).json(), [], 'nothing was created');
});

t.test('an uploaded cover is shown with an absolute URL that serves the picture', async (t) => {
  const { ctx, editor, channel } = await setUp(t);
  const image = await uploadImage(ctx, editor);
  const b = await createBroadcast(ctx, editor, channel.id, { coverImageId: image.id });
  t.equal(b.coverImageId, image.id);
  t.equal(b.coverUrl, `${ctx.config.publicUrl}/api/images/${image.id}.jpg`);
  const res = await get(ctx, new URL(b.coverUrl).pathname);
  t.equal(res.statusCode, 200);
  t.equal(res.headers['content-type'], 'image/jpeg');
  t.equal(res.rawPayload.subarray(0, 3).toString('hex'), 'ffd8ff', 'a JPEG');
  const cleared = await ctx.app.inject({ method: 'PATCH', url: `/api/broadcasts/${b.id}`, headers: editor, payload: { coverImageId: null } });
  t.match(cleared.json(), { coverImageId: null, coverUrl: null });
});
