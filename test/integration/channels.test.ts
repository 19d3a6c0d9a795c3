import t from 'tap';
import { DB_KINDS } from '../helpers/db.ts';
import { staff, startApp } from '../helpers/app.ts';
import { createBroadcast, createChannel, uploadImage } from '../helpers/schedule.ts';
import { series } from '../../server/store/schema.ts';

for (const db of DB_KINDS) {
  t.test(`[${db}] an editor creates, renames and deletes a channel; residents read channels without logging in`, async (t) => {
    const ctx = await startApp(t, { db });
    const editor = await staff(ctx, 'editor');
    const created = await ctx.app.inject({ method: 'POST', url: '/api/channels', headers: editor, payload: { slug: 'xingfu', name: '幸福街道', description: '每周五讲座' } });
    t.equal(created.statusCode, 201);
    const channel = created.json();
    t.match(channel, { slug: 'xingfu', name: '幸福街道', description: '每周五讲座', avatarImageId: null, avatarUrl: null });
    t.equal(channel.links.ics, `${ctx.config.publicUrl}/api/channels/${channel.id}/calendar.ics`, 'the calendar link is absolute under PUBLIC_URL');

    t.same((await ctx.app.inject({ url: '/api/channels' })).json(), [channel]);
    t.same((await ctx.app.inject({ url: `/api/channels/${channel.id}` })).json(), channel);

    const renamed = await ctx.app.inject({ method: 'PATCH', url: `/api/channels/${channel.id}`, headers: editor, payload: { name: '幸福社区' } });
    t.match(renamed.json(), { slug: 'xingfu', name: '幸福社区', description: '每周五讲座' });

    const deleted = await ctx.app.inject({ method: 'DELETE', url: `/api/channels/${channel.id}`, headers: editor });
    t.equal(deleted.statusCode, 204);
    const gone = await ctx.app.inject({ url: `/api/channels/${channel.id}` });
    t.equal(gone.statusCode, 404);
    t.equal(gone.json().code, 'CHANNEL_NOT_FOUND');
  });

  t.test(`[${db}] a channel address is taken once`, async (t) => {
    const ctx = await startApp(t, { db });
    const editor = await staff(ctx, 'editor');
    await createChannel(ctx, editor, { slug: 'xingfu' });
    const dup = await ctx.app.inject({ method: 'POST', url: '/api/channels', headers: editor, payload: { slug: 'xingfu', name: '另一个' } });
    t.equal(dup.statusCode, 409);
    t.equal(dup.json().code, 'CHANNEL_SLUG_TAKEN');
    t.equal((await ctx.app.inject({ url: '/api/channels' })).json().length, 1);
  });

  t.test(`[${db}] a channel with a broadcast or a series is not deleted`, async (t) => {
    const ctx = await startApp(t, { db });
    const editor = await staff(ctx, 'editor');
    const withBroadcast = await createChannel(ctx, editor);
    await createBroadcast(ctx, editor, withBroadcast.id);
    const withSeries = await createChannel(ctx, editor);
    await ctx.services.store.db
      .insert(series)
      .values({ channelId: withSeries.id, title: '周五讲堂', kind: 'lecture', rrule: 'FREQ=WEEKLY', firstStart: new Date(Date.now() + 86_400_000), timezone: 'Asia/Shanghai', durationMinutes: 45 });
    for (const channel of [withBroadcast, withSeries]) {
      const res = await ctx.app.inject({ method: 'DELETE', url: `/api/channels/${channel.id}`, headers: editor });
      t.equal(res.statusCode, 409);
      t.equal(res.json().code, 'CHANNEL_NOT_EMPTY');
    }
    t.equal((await ctx.app.inject({ url: '/api/channels' })).json().length, 2, 'both are still there');
  });
}

t.test('a channel avatar must be an uploaded image and is shown by its absolute URL', async (t) => {
  const ctx = await startApp(t);
  const editor = await staff(ctx, 'editor');
  const missing = await ctx.app.inject({ method: 'POST', url: '/api/channels', headers: editor, payload: { slug: 'a1', name: 'A', avatarImageId: '00000000-0000-4000-8000-000000000000' } });
  t.equal(missing.json().code, 'IMAGE_NOT_FOUND');
  const image = await uploadImage(ctx, editor);
  const channel = await createChannel(ctx, editor, { avatarImageId: image.id });
  t.equal((await ctx.app.inject({ url: `/api/channels/${channel.id}` })).json().avatarUrl, image.url);
});

t.test('only editors and admins change channels', async (t) => {
  const ctx = await startApp(t);
  const host = await staff(ctx, 'host');
  const denied = await ctx.app.inject({ method: 'POST', url: '/api/channels', headers: { authorization: host.authorization }, payload: { slug: 'x1', name: 'X' } });
  t.equal(denied.statusCode, 403);
  t.equal(denied.json().code, 'FORBIDDEN');
  const anonymous = await ctx.app.inject({ method: 'POST', url: '/api/channels', payload: { slug: 'x1', name: 'X' } });
  t.equal(anonymous.json().code, 'UNAUTHENTICATED');
  t.same((await ctx.app.inject({ url: '/api/channels' })).json(), []);
});
