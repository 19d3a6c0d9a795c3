// The plain-RTP ingest API without a media node: who may open one and for which broadcasts (each
// refusal is problem JSON with its code, decided before any node is asked), and where links.hls points.
import t, { type Test } from 'tap';
import { startApp, staff } from '../helpers/app.ts';
import { createBroadcast, createChannel } from '../helpers/schedule.ts';

async function setup(t: Test) {
  const ctx = await startApp(t);
  const admin = await staff(ctx, 'admin');
  const broadcast = await createBroadcast(ctx, admin, (await createChannel(ctx, admin)).id);
  const open = (headers: Record<string, string> = {}) =>
    ctx.app.inject({ method: 'POST', url: `/api/broadcasts/${broadcast.id}/ingest/rtp`, headers, payload: {} });
  return { ctx, admin, broadcast, open };
}

t.test('an anonymous client is told to log in', async (t) => {
  const { open } = await setup(t);
  const res = await open();
  t.equal(res.statusCode, 401);
  t.equal(res.json().code, 'UNAUTHENTICATED');
});

t.test('a host not assigned to the broadcast is refused with 403', async (t) => {
  const { ctx, open } = await setup(t);
  const host = await staff(ctx, 'host');
  const res = await open({ authorization: host.authorization });
  t.equal(res.statusCode, 403);
  t.equal(res.json().code, 'NOT_ASSIGNED_HOST');
});

for (const [how, moves] of [
  ['ended', ['start', 'end']],
  ['cancelled', ['cancel']],
] as const) {
  t.test(`an ${how} broadcast takes no feed: 409`, async (t) => {
    const { ctx, admin, broadcast, open } = await setup(t);
    for (const move of moves) {
      const res = await ctx.app.inject({ method: 'POST', url: `/api/broadcasts/${broadcast.id}/${move}`, headers: admin });
      t.equal(res.statusCode, 200, res.body);
    }
    const res = await open({ authorization: admin.authorization });
    t.equal(res.statusCode, 409);
    t.equal(res.json().code, 'INGEST_NOT_ALLOWED');
  });
}

t.test('with no media node running the ingest is refused with 503', async (t) => {
  const { admin, open } = await setup(t);
  const res = await open({ authorization: admin.authorization });
  t.equal(res.statusCode, 503);
  t.equal(res.json().code, 'NO_MEDIA_NODE');
});

t.test('a body naming an unknown field is refused', async (t) => {
  const { ctx, admin, broadcast } = await setup(t);
  const res = await ctx.app.inject({ method: 'POST', url: `/api/broadcasts/${broadcast.id}/ingest/rtp`, headers: admin, payload: { width: 1280, codec: 'vp9' } });
  t.equal(res.statusCode, 400);
  t.equal(res.json().code, 'VALIDATION_FAILED');
});

t.test('every broadcast links its master playlist under /media', async (t) => {
  const { ctx, broadcast } = await setup(t);
  t.equal(broadcast.links.hls, `${ctx.config.publicUrl}/media/live/${broadcast.id}/master.m3u8`);
});

t.test('with S3 configured the master playlist is linked under the S3 public URL', async (t) => {
  const ctx = await startApp(t, {
    env: { S3_ENDPOINT: 'http://127.0.0.1:9', S3_BUCKET: 'linbo-media', S3_ACCESS_KEY_ID: 'key', S3_SECRET_ACCESS_KEY: 'secret', S3_PUBLIC_URL: 'https://cdn.example.org/linbo' },
  });
  const admin = await staff(ctx, 'admin');
  const broadcast = await createBroadcast(ctx, admin, (await createChannel(ctx, admin)).id);
  t.equal(broadcast.links.hls, `https://cdn.example.org/linbo/live/${broadcast.id}/master.m3u8`);
});
