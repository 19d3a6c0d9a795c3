// The studio page's signalling (mediasoup-client over REST) and its refusals, each as problem JSON with
// its code: who may publish and in which states is decided before a media node is asked; the session
// itself (router capabilities, a send transport, one publisher at a time) comes from a real media node.
// Run alone: MEDIASOUP_WORKER_BIN=$(node scripts/mediasoup.mjs) node node_modules/.bin/tap <this file>
import t from 'tap';
import { startApp, staff } from '../helpers/app.ts';
import { startMediaNode } from '../helpers/media-node.ts';
import { createBroadcast, createChannel } from '../helpers/schedule.ts';

const CAPTURE = { width: 1280, height: 720, fps: 30 };

// One app for the file (each test makes its own broadcast): starting one is the slow part.
const ctx = await startApp(t);

async function setup() {
  const admin = await staff(ctx, 'admin');
  const host = await staff(ctx, 'host', 'host-assigned');
  const broadcast = await createBroadcast(ctx, admin, (await createChannel(ctx, admin)).id, { hostId: host.id });
  const url = `/api/broadcasts/${broadcast.id}/studio/session`;
  const open = (headers: { authorization?: string }, payload: unknown = CAPTURE) => ctx.app.inject({ method: 'POST', url, headers, payload: payload as object });
  return { admin, host, broadcast, url, open };
}

t.test('every broadcast links its studio page, which the server serves', async (t) => {
  const { broadcast } = await setup();
  t.equal(broadcast.links.studio, `${ctx.config.publicUrl}/studio/${broadcast.id}`);
  const page = await ctx.app.inject({ method: 'GET', url: `/studio/${broadcast.id}` });
  t.equal(page.statusCode, 200);
  t.match(page.body, /\/assets\/console\/studio\.js/);
  t.match(page.body, /<html lang="zh-CN">/);
});

t.test('opening a session without logging in is refused: 401', async (t) => {
  const { open } = await setup();
  const res = await open({});
  t.equal(res.statusCode, 401);
  t.equal(res.json().code, 'UNAUTHENTICATED');
  t.match(res.headers['content-type'], /application\/problem\+json/);
});

t.test('a host not assigned to the broadcast is refused: 403 NOT_ASSIGNED_HOST', async (t) => {
  const { open } = await setup();
  const other = await staff(ctx, 'host', 'host-other');
  const res = await open(other);
  t.equal(res.statusCode, 403);
  t.equal(res.json().code, 'NOT_ASSIGNED_HOST');
});

t.test('a cancelled broadcast takes no studio session: 409', async (t) => {
  const { admin, broadcast, open } = await setup();
  t.equal((await ctx.app.inject({ method: 'POST', url: `/api/broadcasts/${broadcast.id}/cancel`, headers: admin })).statusCode, 200);
  const res = await open(admin);
  t.equal(res.statusCode, 409);
  t.equal(res.json().code, 'INGEST_NOT_ALLOWED');
});

t.test('an ended broadcast takes no studio session: 409', async (t) => {
  const { host, broadcast, open } = await setup();
  await ctx.services.broadcasts.startFromFeed(broadcast.id);
  t.equal((await ctx.app.inject({ method: 'POST', url: `/api/broadcasts/${broadcast.id}/end`, headers: host })).statusCode, 200);
  const res = await open(host);
  t.equal(res.statusCode, 409);
  t.equal(res.json().code, 'INGEST_NOT_ALLOWED');
});

t.test('bodies with unknown fields or out-of-range sizes are refused: 400', async (t) => {
  const { host, url, open } = await setup();
  const extra = await open(host, { ...CAPTURE, bitrate: 1 });
  t.equal(extra.statusCode, 400);
  t.equal(extra.json().code, 'VALIDATION_FAILED');
  t.equal((await open(host, { ...CAPTURE, width: 100_000 })).statusCode, 400);
  const produce = await ctx.app.inject({
    method: 'POST',
    url: `${url}/some-session/produce`,
    headers: host,
    payload: { kind: 'video', rtpParameters: { codecs: [{ mimeType: 'video/H264', payloadType: 102, clockRate: 90000 }], extra: true } },
  });
  t.equal(produce.statusCode, 400, 'rtpParameters takes no unknown top-level field');
  const huge = await ctx.app.inject({
    method: 'POST',
    url: `${url}/some-session/produce`,
    headers: host,
    payload: { kind: 'video', rtpParameters: { codecs: Array.from({ length: 50 }, () => ({ mimeType: 'video/VP8', payloadType: 96, clockRate: 90000 })) } },
  });
  t.equal(huge.statusCode, 400, 'rtpParameters is bounded');
});

t.test('with a media node', async (t) => {
  await startMediaNode(t, ctx);

  t.test('the assigned host opens a session: the router capabilities and a send transport', async (t) => {
    const { host, open, url } = await setup();
    const res = await open(host);
    t.equal(res.statusCode, 201, res.body);
    const session = res.json();
    t.match(session, {
      sessionId: String,
      routerRtpCapabilities: { codecs: Array, headerExtensions: Array },
      transport: { id: String, iceParameters: { usernameFragment: String, password: String, iceLite: true }, dtlsParameters: { fingerprints: Array } },
    });
    t.ok(session.transport.iceCandidates.length > 0, 'with ICE candidates');
    const codecs = session.routerRtpCapabilities.codecs.map((c: { mimeType: string }) => c.mimeType);
    t.same(codecs.filter((m: string) => m !== 'video/rtx'), ['audio/opus', 'video/H264', 'video/VP8'], 'what the live transcoder takes: H.264, VP8 and Opus');

    const busy = await open(host);
    t.equal(busy.statusCode, 409, 'a second publisher is refused while the first holds the broadcast');
    t.equal(busy.json().code, 'INGEST_BUSY');

    const stray = await ctx.app.inject({
      method: 'POST',
      url: `${url}/not-this-one/connect`,
      headers: host,
      payload: { dtlsParameters: { role: 'client', fingerprints: [{ algorithm: 'sha-256', value: 'AA:BB' }] } },
    });
    t.equal(stray.statusCode, 404, 'a step on another session is refused');
    t.equal(stray.json().code, 'STUDIO_SESSION_NOT_FOUND');

    const closed = await ctx.app.inject({ method: 'DELETE', url: `${url}/${session.sessionId}`, headers: host });
    t.equal(closed.statusCode, 204);
  });

  t.test('a browser without H.264 produces VP8 video; a codec the transcoder cannot take is refused: 400 STUDIO_BAD_PARAMETERS', async (t) => {
    const { host, open, url } = await setup();
    const session = (await open(host)).json();
    const produce = (mimeType: string, payloadType: number, ssrc: number) =>
      ctx.app.inject({
        method: 'POST',
        url: `${url}/${session.sessionId}/produce`,
        headers: host,
        payload: { kind: 'video', rtpParameters: { mid: '0', codecs: [{ mimeType, payloadType, clockRate: 90000 }], encodings: [{ ssrc }] } },
      });
    const vp9 = await produce('video/VP9', 98, 2222);
    t.equal(vp9.statusCode, 400);
    t.equal(vp9.json().code, 'STUDIO_BAD_PARAMETERS');
    t.match(vp9.json().detail, /takes H\.264 or VP8 video; this sends video\/VP9/);
    const vp8 = await produce('video/VP8', 96, 1111);
    t.equal(vp8.statusCode, 200, vp8.body);
    t.match(vp8.json(), { producerId: String });
    await ctx.app.inject({ method: 'DELETE', url: `${url}/${session.sessionId}`, headers: host });
  });
});
