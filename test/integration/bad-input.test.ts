// Requests a careless or hostile client sends: each is refused with problem JSON and a stable code,
// and the database afterwards holds exactly what it held before.
import t from 'tap';
import { DB_KINDS } from '../helpers/db.ts';
import { FakeClock } from '../helpers/clock.ts';
import { staff, startApp } from '../helpers/app.ts';
import { createBroadcast, createChannel } from '../helpers/schedule.ts';

const NOW = '2026-12-07T02:00:00.000Z';
const TOMORROW = '2026-12-08T02:00:00.000Z';
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

interface Case {
  name: string;
  code: string;
  status: number;
  request: (ids: { channel: string; broadcast: string; editor: string; host: string }) => {
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
    url: string;
    as?: 'editor' | 'host' | 'nobody';
    payload?: string | object;
  };
}

const valid = (channel: string) => ({ channelId: channel, title: '讲座', kind: 'lecture', scheduledStart: TOMORROW, durationMinutes: 45 });

const CASES: Case[] = [
  { name: 'a body that is not JSON', code: 'MALFORMED_JSON', status: 400, request: () => ({ method: 'POST', url: '/api/broadcasts', payload: '{"title": "讲座",' }) },
  {
    name: 'an unknown field',
    code: 'VALIDATION_FAILED',
    status: 400,
    request: ({ channel }) => ({ method: 'POST', url: '/api/broadcasts', payload: { ...valid(channel), speaker: '王老师' } }),
  },
  {
    name: 'a number sent as a string',
    code: 'VALIDATION_FAILED',
    status: 400,
    request: ({ channel }) => ({ method: 'POST', url: '/api/broadcasts', payload: { ...valid(channel), durationMinutes: '45' } }),
  },
  {
    name: 'a body over 256 KiB',
    code: 'BODY_TOO_LARGE',
    status: 413,
    request: ({ channel }) => ({ method: 'POST', url: '/api/broadcasts', payload: { ...valid(channel), description: '长'.repeat(100_000) } }),
  },
  {
    name: 'a start in the past',
    code: 'START_IN_PAST',
    status: 400,
    request: ({ channel }) => ({ method: 'POST', url: '/api/broadcasts', payload: { ...valid(channel), scheduledStart: '2026-12-06T02:00:00.000Z' } }),
  },
  { name: 'an unknown broadcast id (read)', code: 'BROADCAST_NOT_FOUND', status: 404, request: () => ({ method: 'GET', url: `/api/broadcasts/${UNKNOWN}` }) },
  { name: 'an unknown broadcast id (edit)', code: 'BROADCAST_NOT_FOUND', status: 404, request: () => ({ method: 'PATCH', url: `/api/broadcasts/${UNKNOWN}`, payload: { title: 'x' } }) },
  { name: 'an unknown broadcast id (go live)', code: 'BROADCAST_NOT_FOUND', status: 404, request: () => ({ method: 'POST', url: `/api/broadcasts/${UNKNOWN}/start` }) },
  { name: 'an id that is not a UUID', code: 'VALIDATION_FAILED', status: 400, request: () => ({ method: 'DELETE', url: '/api/broadcasts/42' }) },
  { name: 'no token', code: 'UNAUTHENTICATED', status: 401, request: ({ channel }) => ({ method: 'POST', url: '/api/broadcasts', as: 'nobody', payload: valid(channel) }) },
  {
    name: 'a host scheduling a broadcast',
    code: 'FORBIDDEN',
    status: 403,
    request: ({ channel }) => ({ method: 'POST', url: '/api/broadcasts', as: 'host', payload: valid(channel) }),
  },
  {
    name: 'a host editing a broadcast assigned to someone else',
    code: 'NOT_ASSIGNED_HOST',
    status: 403,
    request: ({ broadcast }) => ({ method: 'PATCH', url: `/api/broadcasts/${broadcast}`, as: 'host', payload: { title: '改名' } }),
  },
  {
    name: 'a host rotating the key of a broadcast assigned to someone else',
    code: 'NOT_ASSIGNED_HOST',
    status: 403,
    request: ({ broadcast }) => ({ method: 'POST', url: `/api/broadcasts/${broadcast}/stream-key`, as: 'host' }),
  },
  {
    name: 'an edit to a start in the past',
    code: 'START_IN_PAST',
    status: 400,
    request: ({ broadcast }) => ({ method: 'PATCH', url: `/api/broadcasts/${broadcast}`, payload: { scheduledStart: '2026-12-01T02:00:00.000Z', title: '改名' } }),
  },
];

for (const db of DB_KINDS) {
  t.test(`[${db}] bad requests about broadcasts are refused with problem JSON and write nothing`, async (t) => {
    const ctx = await startApp(t, { db, clock: new FakeClock(NOW) });
    const editor = await staff(ctx, 'editor');
    const host = await staff(ctx, 'host');
    const channel = await createChannel(ctx, editor);
    const broadcast = await createBroadcast(ctx, editor, channel.id);
    const ids = { channel: channel.id, broadcast: broadcast.id, editor: editor.id, host: host.id };
    const headers = { editor: { authorization: editor.authorization }, host: { authorization: host.authorization }, nobody: {} };
    const everything = async () => ({
      broadcasts: (await ctx.app.inject({ url: '/api/broadcasts', headers: headers.editor })).json(),
      channels: (await ctx.app.inject({ url: '/api/channels' })).json(),
    });
    const before = await everything();

    for (const c of CASES) {
      t.test(`${c.name} is ${c.code}`, async (t) => {
        const r = c.request(ids);
        const raw = typeof r.payload === 'string';
        const res = await ctx.app.inject({
          method: r.method,
          url: r.url,
          headers: { ...headers[r.as ?? 'editor'], ...(raw ? { 'content-type': 'application/json' } : {}) },
          ...(r.payload === undefined ? {} : { payload: r.payload }),
        });
        t.equal(res.statusCode, c.status);
        t.match(res.headers['content-type'], /^application\/problem\+json/);
        const problem = res.json();
        t.match(problem, { type: /^https:\/\/linbo\.dev\/problems\//, title: String, status: c.status, code: c.code });
        t.same(await everything(), before, 'the database holds exactly what it held before');
      });
    }
  });
}
