// The WHIP endpoint's HTTP contract (RFC 9725) and its refusals, each as problem JSON with its code.
// Who may publish and in which states is decided before a media node is asked; what an offer holds
// (a codec Linbo takes, one publisher at a time) is decided by a real media node with a real offer.
// Run alone: MEDIASOUP_WORKER_BIN=$(node scripts/mediasoup.mjs) node node_modules/.bin/tap <this file>
import { readFileSync } from 'node:fs';
import t, { type Test } from 'tap';
import { startApp, staff, type TestApp } from '../helpers/app.ts';
import { startMediaNode } from '../helpers/media-node.ts';
import { createBroadcast, createChannel } from '../helpers/schedule.ts';
import { until } from '../helpers/until.ts';

/** What Debian Chromium offers for a camera and a microphone. */
const OFFER = readFileSync(new URL('../fixtures/whip/chromium-offer.sdp', import.meta.url), 'utf8');

async function setup(t: Test, ctx?: TestApp) {
  ctx ??= await startApp(t);
  const admin = await staff(ctx, 'admin');
  const broadcast = await createBroadcast(ctx, admin, (await createChannel(ctx, admin)).id);
  const url = `/api/broadcasts/${broadcast.id}/whip`;
  const post = (authorization: string | undefined, payload = OFFER, contentType = 'application/sdp') =>
    ctx.app.inject({ method: 'POST', url, headers: { 'content-type': contentType, ...(authorization ? { authorization } : {}) }, payload });
  return { ctx, admin, broadcast, url, post, key: `Bearer ${broadcast.streamKey}` };
}

/** One app for the refusals decided before any node is asked; each test makes its own broadcast. */
const plain = await startApp(t);

t.test('every broadcast links its WHIP endpoint', async (t) => {
  const { ctx, broadcast, url } = await setup(t, plain);
  t.equal(broadcast.links.whip, `${ctx.config.publicUrl}${url}`);
});

t.test('an offer without a bearer token is told to authenticate: 401', async (t) => {
  const { post } = await setup(t, plain);
  const res = await post(undefined);
  t.equal(res.statusCode, 401);
  t.equal(res.json().code, 'UNAUTHENTICATED');
  t.match(res.headers['content-type'], /application\/problem\+json/);
});

t.test('a wrong stream key is refused with 401 INVALID_STREAM_KEY', async (t) => {
  const { post } = await setup(t, plain);
  const res = await post('Bearer lb_not-the-key');
  t.equal(res.statusCode, 401);
  t.equal(res.json().code, 'INVALID_STREAM_KEY');
});

t.test('a rotated stream key stops working at once: 401', async (t) => {
  const { ctx, admin, broadcast, post, key } = await setup(t, plain);
  const rotated = await ctx.app.inject({ method: 'POST', url: `/api/broadcasts/${broadcast.id}/stream-key`, headers: admin });
  t.equal(rotated.statusCode, 200);
  t.not(rotated.json().streamKey, broadcast.streamKey);
  const res = await post(key);
  t.equal(res.statusCode, 401);
  t.equal(res.json().code, 'INVALID_STREAM_KEY');
});

t.test('a host not assigned to the broadcast cannot publish with their login: 403', async (t) => {
  const { ctx, post } = await setup(t, plain);
  const host = await staff(ctx, 'host');
  const res = await post(host.authorization);
  t.equal(res.statusCode, 403);
  t.equal(res.json().code, 'NOT_ASSIGNED_HOST');
});

for (const [how, moves] of [
  ['ended', ['start', 'end']],
  ['cancelled', ['cancel']],
] as const) {
  t.test(`an offer for an ${how} broadcast is refused with 409, even with the right key`, async (t) => {
    const { ctx, admin, broadcast, post, key } = await setup(t, plain);
    for (const move of moves) {
      const res = await ctx.app.inject({ method: 'POST', url: `/api/broadcasts/${broadcast.id}/${move}`, headers: admin });
      t.equal(res.statusCode, 200, `${move}: ${res.statusCode}`);
    }
    const res = await post(key);
    t.equal(res.statusCode, 409);
    t.equal(res.json().code, 'INGEST_NOT_ALLOWED');
  });
}

t.test('a body that is not application/sdp is refused with 415', async (t) => {
  const { post, key } = await setup(t, plain);
  const res = await post(key, JSON.stringify({ sdp: OFFER }), 'application/json');
  t.equal(res.statusCode, 415);
  t.equal(res.json().code, 'UNSUPPORTED_MEDIA_TYPE');
});

t.test('CORS preflights for the endpoint and the session allow any origin, the WHIP methods and headers', async (t) => {
  const { ctx, url } = await setup(t, plain);
  const endpoint = await ctx.app.inject({ method: 'OPTIONS', url, headers: { origin: 'https://studio.example.org', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' } });
  t.equal(endpoint.statusCode, 204);
  t.equal(endpoint.headers['access-control-allow-origin'], '*');
  t.match(endpoint.headers['access-control-allow-methods'], /POST/);
  t.match(endpoint.headers['access-control-allow-headers'], /authorization, content-type, if-match/);
  t.equal(endpoint.headers['accept-post'], 'application/sdp');
  const session = await ctx.app.inject({ method: 'OPTIONS', url: `${url}/some-session`, headers: { origin: 'https://studio.example.org', 'access-control-request-method': 'PATCH' } });
  t.equal(session.statusCode, 204);
  t.match(session.headers['access-control-allow-methods'], /PATCH, DELETE/);
});

t.test('refusals carry the CORS headers too, so a browser client can read them', async (t) => {
  const { post } = await setup(t, plain);
  const res = await post('Bearer wrong');
  t.equal(res.headers['access-control-allow-origin'], '*');
  t.match(res.headers['access-control-expose-headers'], /Location, ETag, Link/);
});

t.test('on a session: trickle PATCH is accepted with 204, ICE restart and a JSON POST (mute) are 405, DELETE is 204', async (t) => {
  const { url, ctx, key } = await setup(t, plain);
  const session = `${url}/some-session`;
  const trickle = await ctx.app.inject({ method: 'PATCH', url: session, headers: { authorization: key, 'content-type': 'application/trickle-ice-sdpfrag', 'if-match': '"some-session"' }, payload: 'a=candidate:1 1 udp 1 192.0.2.1 9 typ host\r\n' });
  t.equal(trickle.statusCode, 204);
  const restart = await ctx.app.inject({ method: 'PATCH', url: session, headers: { authorization: key, 'content-type': 'application/trickle-ice-sdpfrag', 'if-match': '*' }, payload: 'a=ice-ufrag:x\r\na=ice-pwd:y\r\n' });
  t.equal(restart.statusCode, 405);
  const mute = await ctx.app.inject({ method: 'POST', url: session, headers: { authorization: key }, payload: { kind: 'audio', muted: true } });
  t.equal(mute.statusCode, 405);
  t.equal(mute.json().code, 'METHOD_NOT_ALLOWED');
  const unauthorised = await ctx.app.inject({ method: 'DELETE', url: session, headers: { authorization: 'Bearer wrong' } });
  t.equal(unauthorised.statusCode, 401);
  const deleted = await ctx.app.inject({ method: 'DELETE', url: session, headers: { authorization: key } });
  t.equal(deleted.statusCode, 204);
});

t.test('with a media node', async (t) => {
  const ctx = await startApp(t);
  await startMediaNode(t, ctx);

  t.test("a Chromium offer is answered 201 with an ICE-lite SDP answer, the session's Location and an ETag, exposed to browsers", async (t) => {
    const { post, key, url } = await setup(t, ctx);
    const res = await post(key);
    t.equal(res.statusCode, 201, `answered: ${res.statusCode} ${res.statusCode === 201 ? "" : res.body}`);
    t.match(res.headers['content-type'], /^application\/sdp/);
    t.match(res.headers.location, new RegExp(`^${ctx.config.publicUrl}${url}/[0-9a-f-]{36}$`), 'an absolute URL under PUBLIC_URL');
    t.equal(res.headers.etag, `"${String(res.headers.location).split('/').pop()}"`);
    t.match(res.headers['access-control-expose-headers'], /Location, ETag, Link/);
    t.match(res.body, /^v=0\r\n/);
    t.match(res.body, /a=ice-lite\r\n/);
    t.match(res.body, /a=group:BUNDLE 0 1\r\n/);
    t.match(res.body, /a=setup:passive\r\n/);
    t.match(res.body, /a=rtpmap:108 H264\/90000\r\n/);
    t.match(res.body, /a=candidate:\S+ 1 udp \d+ 127\.0\.0\.1 \d+ typ host\r\n/);
    t.match(res.body, /a=candidate:\S+ 1 tcp \d+ 127\.0\.0\.1 \d+ typ host tcptype passive\r\n/);
  });

  t.test('a second publisher for the same broadcast is refused with 409 INGEST_BUSY', async (t) => {
    const { post, key } = await setup(t, ctx);
    t.equal((await post(key)).statusCode, 201);
    const second = await post(key);
    t.equal(second.statusCode, 409);
    t.equal(second.json().code, 'INGEST_BUSY');
  });

  t.test('a publisher that DELETEs its session before any media frees the broadcast for the next offer', async (t) => {
    const { post, key } = await setup(t, ctx);
    const first = await post(key);
    t.equal(first.statusCode, 201);
    const deleted = await ctx.app.inject({ method: 'DELETE', url: String(first.headers.location), headers: { authorization: key } });
    t.equal(deleted.statusCode, 204);
    await until('the broadcast takes a new offer once the session is gone', async () => (await post(key)).statusCode === 201, 5_000, 100);
  });

  t.test('a publisher that never connects is dropped after the connect timeout (15 s), freeing the broadcast', async (t) => {
    const { post, key } = await setup(t, ctx);
    t.equal((await post(key)).statusCode, 201, 'answered; nothing connects to the transport');
    t.equal((await post(key)).statusCode, 409, 'busy while the session waits');
    await until('the abandoned session is closed and the broadcast takes a new offer', async () => (await post(key)).statusCode === 201, 25_000, 500);
  });

  t.test('the assigned host may publish with their login token instead of the stream key', async (t) => {
    const host = await staff(ctx, 'host', 'host-whip');
    const { post } = await setup(t, ctx);
    const admin = await staff(ctx, 'admin');
    const own = await createBroadcast(ctx, admin, (await createChannel(ctx, admin)).id, { hostId: host.id });
    const res = await ctx.app.inject({ method: 'POST', url: `/api/broadcasts/${own.id}/whip`, headers: { 'content-type': 'application/sdp', authorization: host.authorization }, payload: OFFER });
    t.equal(res.statusCode, 201, `answered: ${res.statusCode} ${res.statusCode === 201 ? "" : res.body}`);
    t.equal((await post(host.authorization)).statusCode, 403, 'but not to a broadcast assigned to someone else');
  });

  t.test('an offer with no codec Linbo takes is refused with 406 WHIP_NO_USABLE_CODEC naming what was offered', async (t) => {
    const { post, key } = await setup(t, ctx);
    // Only VP9 and AV1 left: the video section's rtpmap lines for H.264 and VP8 renamed to VP9.
    const offer = OFFER.replace(/ H264\/90000/g, ' VP9/90000').replace(/ VP8\/90000/g, ' VP9/90000');
    const res = await post(key, offer);
    t.equal(res.statusCode, 406);
    t.equal(res.json().code, 'WHIP_NO_USABLE_CODEC');
    t.match(res.json().detail, /video: offered .*VP9/);
    t.equal((await post(key)).statusCode, 201, 'the broadcast still takes a usable offer afterwards');
  });

  t.test('a VP8-only offer (a browser without H.264) is answered 201 with VP8', async (t) => {
    const { post, key } = await setup(t, ctx);
    const res = await post(key, OFFER.replace(/ H264\/90000/g, ' VP9/90000'));
    t.equal(res.statusCode, 201, `answered: ${res.statusCode} ${res.statusCode === 201 ? '' : res.body}`);
    t.match(res.body, /a=rtpmap:96 VP8\/90000\r\n/);
  });

  t.test('a body that is not an SDP offer is refused with 400 WHIP_MALFORMED_SDP', async (t) => {
    const { post, key } = await setup(t, ctx);
    const res = await post(key, 'hello, I am not SDP');
    t.equal(res.statusCode, 400);
    t.equal(res.json().code, 'WHIP_MALFORMED_SDP');
  });
});
