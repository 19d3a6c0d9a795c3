import t from 'tap';
import { DB_KINDS } from '../helpers/db.ts';
import { startApp } from '../helpers/app.ts';

for (const db of DB_KINDS) {
  t.test(`[${db}] /healthz says alive and /readyz says the database answers`, async (t) => {
    const ctx = await startApp(t, { db });
    const health = await ctx.app.inject({ url: '/healthz' });
    t.same(health.json(), { status: 'ok' });
    const ready = await ctx.app.inject({ url: '/readyz' });
    t.same(ready.json(), { status: 'ready' });
  });
}

t.test('/readyz is 503 NOT_READY when the database is gone', async (t) => {
  const ctx = await startApp(t);
  await ctx.services.store.close();
  const ready = await ctx.app.inject({ url: '/readyz' });
  t.equal(ready.statusCode, 503);
  t.equal(ready.json().code, 'NOT_READY');
});

t.test('OpenAPI is served at /docs/json and documents the login route', async (t) => {
  const ctx = await startApp(t);
  const res = await ctx.app.inject({ url: '/docs/json' });
  t.equal(res.statusCode, 200);
  const doc = res.json();
  t.match(doc.openapi, /^3\./);
  t.ok(doc.paths['/api/auth/login']?.post, 'login is documented');
  const ui = await ctx.app.inject({ url: '/docs' });
  t.ok([200, 302].includes(ui.statusCode), 'the docs UI answers');
});

t.test('an unknown route is problem JSON with code NOT_FOUND', async (t) => {
  const ctx = await startApp(t);
  const res = await ctx.app.inject({ url: '/api/nothing-here' });
  t.equal(res.statusCode, 404);
  t.match(res.headers['content-type'], /application\/problem\+json/);
  t.match(res.json(), { type: /^https:/, title: String, status: 404, code: 'NOT_FOUND' });
});

t.test('malformed JSON, unknown fields and wrong types on login each get their own code', async (t) => {
  const ctx = await startApp(t);
  const malformed = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"username": "admin",' });
  t.equal(malformed.json().code, 'MALFORMED_JSON');
  const unknown = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: 'x', remember: true } });
  t.equal(unknown.json().code, 'VALIDATION_FAILED');
  t.match(JSON.stringify(unknown.json().errors), /remember/, 'names the unknown field');
  const wrongType = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: 12345678 } });
  t.equal(wrongType.json().code, 'VALIDATION_FAILED', 'a number is not coerced into a password');
});

t.test('a server error hides its internals', async (t) => {
  const ctx = await startApp(t);
  await ctx.services.store.close();
  const res = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: 'whatever1' } });
  t.equal(res.statusCode, 500);
  t.equal(res.json().code, 'INTERNAL');
  t.notOk(res.json().detail, 'no detail leaks');
  t.notMatch(res.body, /pglite|closed|stack/i);
});
