// The channel feed and what a resident's device does there (follow, like, view), through the HTTP API
// against the real app, on PGlite and on PostgreSQL.
import t from 'tap';
import { staff, startApp, type TestApp } from '../helpers/app.ts';
import { DB_KINDS } from '../helpers/db.ts';
import { endedWithReplay, insertClip } from '../helpers/feed.ts';
import { createBroadcast, createChannel } from '../helpers/schedule.ts';
import { viewerIdOf } from '../../server/realtime/identity.ts';

const device = (name: string) => ({ cookie: `linbo_device=${`device-${name}`.padEnd(24, 'x')}` });
const minutesAgo = (ctx: TestApp, m: number) => new Date(ctx.services.clock.now().getTime() - m * 60_000);

async function setUp(t: Parameters<typeof startApp>[0], db: (typeof DB_KINDS)[number]) {
  const ctx = await startApp(t, { db });
  const editor = await staff(ctx, 'editor');
  const channel = await createChannel(ctx, editor, { name: '幸福街道' });
  return { ctx, editor, channel };
}

for (const db of DB_KINDS) {
  t.test(`on ${db}`, async (t) => {
    t.test('the feed lists upcoming broadcasts, then clips and replays newest first, a page at a time', async (t) => {
      const { ctx, editor, channel } = await setUp(t, db);
      const upcoming = await createBroadcast(ctx, editor, channel.id, { title: '重阳节晚会' });
      const replay = await endedWithReplay(ctx, editor, channel.id);
      // The replay ended just now; these were published before and after it.
      const older = await insertClip(ctx, channel.id, { title: '太极拳', publishedAt: minutesAgo(ctx, 30) });
      const oldest = await insertClip(ctx, channel.id, { title: '书法', publishedAt: minutesAgo(ctx, 60) });
      const newest = await insertClip(ctx, channel.id, { title: '广场舞', publishedAt: new Date(ctx.services.clock.now().getTime() + 60_000) });
      await insertClip(ctx, channel.id, { title: '还在审核', state: 'in_review' });

      const first = await ctx.app.inject({ url: `/api/channels/${channel.id}/feed?limit=2`, headers: device('a') });
      t.equal(first.statusCode, 200);
      const page1 = first.json();
      t.same(page1.upcoming.map((b: { id: string }) => b.id), [upcoming.id], 'the scheduled broadcast is above the feed');
      t.same(page1.items.map((i: { kind: string; clip?: { id: string }; broadcast?: { id: string } }) => i.clip?.id ?? i.broadcast?.id), [newest, replay]);
      t.equal(page1.items[1].kind, 'replay');
      t.equal(page1.items[0].clip.links.watch, `${ctx.url}/clips/${newest}`);
      t.ok(page1.nextCursor, 'there is more');

      const page2 = (await ctx.app.inject({ url: `/api/channels/${channel.id}/feed?limit=2&before=${page1.nextCursor}`, headers: device('a') })).json();
      t.same(page2.items.map((i: { clip: { id: string } }) => i.clip.id), [older, oldest]);
      t.same(page2.upcoming, [], 'upcoming broadcasts come with the first page only');
      t.equal(page2.nextCursor, null, 'and that was the end');
      const bad = await ctx.app.inject({ url: `/api/channels/${channel.id}/feed?before=not-a-cursor` });
      t.equal(bad.json().code, 'FEED_BAD_CURSOR');
    });

    t.test('a clip not yet published is neither in the feed nor likeable nor viewable', async (t) => {
      const { ctx, channel } = await setUp(t, db);
      const pending = await insertClip(ctx, channel.id, { state: 'in_review' });
      const feed = (await ctx.app.inject({ url: `/api/channels/${channel.id}/feed` })).json();
      t.same(feed.items, []);
      for (const action of ['like', 'view']) {
        const res = await ctx.app.inject({ method: 'POST', url: `/api/clips/${pending}/${action}`, headers: device('a') });
        t.equal(res.statusCode, 404, action);
        t.equal(res.json().code, 'FEED_CLIP_NOT_PUBLISHED');
      }
    });

    t.test('each device follows once; the follower count follows the devices', async (t) => {
      const { ctx, channel } = await setUp(t, db);
      const follow = (name: string, method: 'PUT' | 'DELETE') => ctx.app.inject({ method, url: `/api/channels/${channel.id}/follow`, headers: device(name) });
      t.same((await follow('a', 'PUT')).json(), { followers: 1, following: true });
      t.same((await follow('a', 'PUT')).json(), { followers: 1, following: true }, 'following twice counts once');
      t.same((await follow('b', 'PUT')).json(), { followers: 2, following: true });
      t.same((await follow('a', 'DELETE')).json(), { followers: 1, following: false });
      const feedOf = async (name: string) => (await ctx.app.inject({ url: `/api/channels/${channel.id}/feed`, headers: device(name) })).json();
      t.match(await feedOf('a'), { followers: 1, following: false });
      t.match(await feedOf('b'), { followers: 1, following: true });
    });

    t.test('a device likes a clip once and can take the like back', async (t) => {
      const { ctx, channel } = await setUp(t, db);
      const clip = await insertClip(ctx, channel.id);
      const like = (name: string, method: 'POST' | 'DELETE' = 'POST') => ctx.app.inject({ method, url: `/api/clips/${clip}/like`, headers: device(name) });
      t.same((await like('a')).json(), { likes: 1, views: 0, liked: true });
      t.same((await like('a')).json(), { likes: 1, views: 0, liked: true }, 'a second like from the same device is the same like');
      t.same((await like('b')).json(), { likes: 2, views: 0, liked: true });
      t.same((await like('a', 'DELETE')).json(), { likes: 1, views: 0, liked: false });
      t.same((await like('a', 'DELETE')).json(), { likes: 1, views: 0, liked: false }, 'taking it back twice takes one');
      const feed = (await ctx.app.inject({ url: `/api/channels/${channel.id}/feed`, headers: device('b') })).json();
      t.match(feed.items[0], { liked: true, clip: { likes: 1 } }, 'the feed shows the heart this device gave');
    });

    t.test('each device counts as one view of a clip', async (t) => {
      const { ctx, channel } = await setUp(t, db);
      const clip = await insertClip(ctx, channel.id);
      const view = (name: string) => ctx.app.inject({ method: 'POST', url: `/api/clips/${clip}/view`, headers: device(name) });
      t.match((await view('a')).json(), { views: 1 });
      t.match((await view('a')).json(), { views: 1 });
      t.match((await view('b')).json(), { views: 2 });
    });

    t.test('a device without the cookie gets one, and only its hash is stored', async (t) => {
      const { ctx, channel } = await setUp(t, db);
      const clip = await insertClip(ctx, channel.id);
      const res = await ctx.app.inject({ method: 'POST', url: `/api/clips/${clip}/like` });
      const cookie = res.cookies.find((c) => c.name === 'linbo_device');
      t.ok(cookie, 'the response sets the device cookie');
      t.equal(cookie!.httpOnly, true);
      const rows = await ctx.services.store.db.query.clipLikes.findMany();
      t.same(rows.map((r) => r.viewerId), [viewerIdOf(cookie!.value)]);
    });
  });
}

t.test('the feed, follow, like and view routes are documented in OpenAPI', async (t) => {
  const ctx = await startApp(t);
  const doc = (await ctx.app.inject({ url: '/docs/json' })).json();
  t.ok(doc.paths['/api/channels/{id}/feed']?.get, 'the feed');
  t.ok(doc.paths['/api/channels/{id}/follow']?.put && doc.paths['/api/channels/{id}/follow']?.delete, 'follow and unfollow');
  t.ok(doc.paths['/api/clips/{id}/like']?.post && doc.paths['/api/clips/{id}/like']?.delete, 'like and take it back');
  t.ok(doc.paths['/api/clips/{id}/view']?.post, 'a view');
  const feed = doc.paths['/api/channels/{id}/feed'].get.responses['200'].content['application/json'].schema;
  t.ok(feed.properties?.items && feed.properties?.upcoming, 'with the feed’s shape');
});
