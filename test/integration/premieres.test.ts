import t from 'tap';
import { staff, startApp, type TestApp } from '../helpers/app.ts';
import { createBroadcast, createChannel } from '../helpers/schedule.ts';
import { postPremiere, premiereClip } from '../helpers/premiere-clip.ts';
import { until } from '../helpers/until.ts';

type Headers = { authorization: string };

async function setUp(t: Parameters<typeof startApp>[0]) {
  const ctx = await startApp(t);
  const editor = await staff(ctx, 'editor');
  const channel = await createChannel(ctx, editor);
  return { ctx, editor, channel };
}

const get = (ctx: TestApp, url: string, headers: Record<string, string> = {}) => ctx.app.inject({ url: url.replace(ctx.config.publicUrl, ''), headers });
const post = (ctx: TestApp, url: string, headers: Headers, payload?: object) => ctx.app.inject({ method: 'POST', url, headers, ...(payload ? { payload } : {}) });
const secondsAhead = (ctx: TestApp, s: number) => new Date(Math.ceil(ctx.services.clock.now().getTime() / 1000) * 1000 + s * 1000).toISOString();

const premiere = (ctx: TestApp, headers: Headers, channelId: string, fields: Record<string, unknown>) => postPremiere(ctx, headers, { channelId, ...fields });

t.test('a premiere is scheduled with a published clip of its channel and lasts as long as the clip', async (t) => {
  const { ctx, editor, channel } = await setUp(t);
  const clip = await premiereClip(ctx, channel.id, { seconds: 4 });
  const res = await premiere(ctx, editor, channel.id, { clipId: clip.id, durationMinutes: 45 });
  t.equal(res.statusCode, 201, 'created');
  const b = res.json();
  t.equal(b.kind, 'premiere');
  t.equal(b.clipId, clip.id);
  t.equal(b.durationMinutes, 1, 'four seconds round up to a minute, whatever the form said (a premiere needs no duration at all)');
  t.equal(b.links.hls, `${ctx.config.publicUrl}/api/broadcasts/${b.id}/premiere/master.m3u8`);
  const lecture = await createBroadcast(ctx, editor, channel.id);
  t.equal(lecture.links.hls, `${ctx.config.publicUrl}/media/live/${lecture.id}/master.m3u8`, 'other kinds keep the live ladder in media storage');
});

t.test('a premiere without a clip, with an unpublished clip or another channel\'s is refused, and other kinds take no clip', async (t) => {
  const { ctx, editor, channel } = await setUp(t);
  const other = await createChannel(ctx, editor);
  const inReview = await premiereClip(ctx, channel.id, { seconds: 2, state: 'in_review' });
  const elsewhere = await premiereClip(ctx, other.id, { seconds: 2 });
  const cases: [Record<string, unknown>, number, string][] = [
    [{}, 400, 'PREMIERE_NEEDS_CLIP'],
    [{ clipId: inReview.id }, 409, 'PREMIERE_CLIP_NOT_PUBLISHED'],
    [{ clipId: elsewhere.id }, 404, 'PREMIERE_CLIP_NOT_FOUND'],
    [{ clipId: elsewhere.id, kind: 'lecture', durationMinutes: 45 }, 400, 'PREMIERE_CLIP_NOT_ALLOWED'],
    [{ kind: 'lecture' }, 400, 'VALIDATION_FAILED'],
  ];
  for (const [fields, status, code] of cases) {
    const res = await premiere(ctx, editor, channel.id, fields);
    t.equal(res.statusCode, status, code);
    t.equal(res.json().code, code);
  }
});

t.test('changing a premiere to another kind drops its clip; changing it back needs one again', async (t) => {
  const { ctx, editor, channel } = await setUp(t);
  const clip = await premiereClip(ctx, channel.id, { seconds: 2 });
  const b = (await premiere(ctx, editor, channel.id, { clipId: clip.id })).json();
  const patch = (payload: object) => ctx.app.inject({ method: 'PATCH', url: `/api/broadcasts/${b.id}`, headers: editor, payload });
  const lecture = await patch({ kind: 'lecture', durationMinutes: 45 });
  t.equal(lecture.statusCode, 200, lecture.body);
  t.same([lecture.json().clipId, lecture.json().durationMinutes], [null, 45]);
  t.equal((await patch({ kind: 'premiere' })).json().code, 'PREMIERE_NEEDS_CLIP');
  const again = await patch({ kind: 'premiere', clipId: clip.id });
  t.same([again.json().clipId, again.json().durationMinutes], [clip.id, 1]);
});

t.test('a premiere turns live at its scheduled second, plays its clip as a live window, then ends finished with its replay ready', async (t) => {
  const { ctx, editor, channel } = await setUp(t);
  const clip = await premiereClip(ctx, channel.id, { seconds: 6 });
  const start = secondsAhead(ctx, 3);
  const b = (await premiere(ctx, editor, channel.id, { clipId: clip.id, scheduledStart: start })).json();
  const read = async () => (await get(ctx, `/api/broadcasts/${b.id}`)).json();

  const early = await get(ctx, b.links.hls);
  t.equal(early.statusCode, 404);
  t.equal(early.json().code, 'PREMIERE_NOT_STARTED', 'nothing to play before the start');

  // Polled every 50 ms: the state read just before the scheduled second must still be scheduled.
  let lastBefore = 'scheduled';
  const live = await until('the premiere did not turn live', async () => {
    const readAt = Date.now();
    const now = await read();
    if (readAt < Date.parse(start) && Date.now() < Date.parse(start)) lastBefore = now.state;
    return now.state === 'live' && now;
  });
  t.equal(lastBefore, 'scheduled', 'not live before its second');
  t.equal(live.startedAt, start, 'started at the scheduled second, the clock every viewer shares');

  const master = await get(ctx, live.links.hls);
  t.equal(master.statusCode, 200);
  t.equal(master.headers['content-type'], 'application/vnd.apple.mpegurl');
  t.equal(master.headers['access-control-allow-origin'], '*');
  t.match(master.headers['cache-control'], /max-age=1|no-cache/);
  const variants = master.body.split('\n').filter((line) => line.startsWith('http'));
  t.same(variants, ['360p', '180p'].map((name) => `${ctx.config.publicUrl}/api/broadcasts/${b.id}/premiere/${name}/index.m3u8`));
  t.match(master.body, /RESOLUTION=640x360/);

  const media = (await get(ctx, variants[0])).body;
  t.notMatch(media, /ENDLIST/, 'open while live');
  t.equal(/#EXT-X-PROGRAM-DATE-TIME:(.*)/.exec(media)?.[1], start, 'the first segment is dated at the start');
  const segment = media.split('\n').find((line) => line.endsWith('.m4s'));
  t.equal(segment, `${ctx.config.publicUrl}/media/clips/${clip.id}/360p/seg_00000.m4s`, 'segments are the clip\'s own files');
  t.equal((await get(ctx, segment!)).statusCode, 200);
  t.equal((await get(ctx, `/api/broadcasts/${b.id}/premiere/1080p/index.m3u8`)).statusCode, 404, 'a rendition the clip lacks');

  const ended = await until('the premiere did not end', async () => {
    const now = await read();
    return now.state === 'ended' && now.replay.ready && now;
  });
  t.equal(ended.endedReason, 'finished');
  t.ok(Date.parse(ended.endedAt) >= Date.parse(start) + 6000, 'not before the clip played out');
  const replay = (await get(ctx, variants[0])).body;
  t.match(replay, /#EXT-X-MEDIA-SEQUENCE:0\n/);
  t.equal(replay.match(/\.m4s$/gm)?.length, 3, 'the whole clip');
  t.match(replay, /#EXT-X-ENDLIST\n$/, 'the replay at the same URL');
});

t.test('staff may end a premiere early; its replay is ready at once', async (t) => {
  const { ctx, editor, channel } = await setUp(t);
  const clip = await premiereClip(ctx, channel.id, { seconds: 2 });
  const b = (await premiere(ctx, editor, channel.id, { clipId: clip.id })).json();
  t.equal((await post(ctx, `/api/broadcasts/${b.id}/start`, editor)).statusCode, 200);
  const ended = (await post(ctx, `/api/broadcasts/${b.id}/end`, editor)).json();
  t.equal(ended.endedReason, 'staff');
  const ready = await until('the replay was not marked ready', async () => (await get(ctx, `/api/broadcasts/${b.id}`)).json().replay.ready);
  t.ok(ready);
  t.match((await get(ctx, `/api/broadcasts/${b.id}/premiere/180p/index.m3u8`)).body, /ENDLIST/);
});

t.test('a premiere takes no camera or OBS feed: it plays its clip', async (t) => {
  const { ctx, editor, channel } = await setUp(t);
  const clip = await premiereClip(ctx, channel.id, { seconds: 2 });
  const b = (await premiere(ctx, editor, channel.id, { clipId: clip.id })).json();
  const res = await post(ctx, `/api/broadcasts/${b.id}/studio/session`, editor, { width: 1280, height: 720, fps: 30 });
  t.equal(res.statusCode, 409);
  t.equal(res.json().code, 'INGEST_NOT_ALLOWED');
  const whip = await ctx.app.inject({
    method: 'POST',
    url: `/api/broadcasts/${b.id}/whip`,
    headers: { authorization: `Bearer ${b.streamKey}`, 'content-type': 'application/sdp' },
    payload: 'v=0\r\n',
  });
  t.equal(whip.json().code, 'INGEST_NOT_ALLOWED', 'nor does OBS with the stream key over WHIP');
});
