import t from 'tap';
import { DB_KINDS } from '../helpers/db.ts';
import { TEST_PASSWORD, staff, startApp } from '../helpers/app.ts';

for (const db of DB_KINDS) {
  t.test(`[${db}] login returns a token and sets an httpOnly SameSite cookie; logout revokes it`, async (t) => {
    const ctx = await startApp(t, { db });
    const res = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: TEST_PASSWORD } });
    t.equal(res.statusCode, 200);
    const { token, account } = res.json();
    t.equal(account.role, 'admin');
    const cookie = String(res.headers['set-cookie']);
    t.match(cookie, /linbo_session=/);
    t.match(cookie, /HttpOnly/);
    t.match(cookie, /SameSite=Lax/);
    const me = await ctx.app.inject({ url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } });
    t.equal(me.json().username, 'admin');
    const out = await ctx.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { authorization: `Bearer ${token}` } });
    t.equal(out.statusCode, 204);
    const after = await ctx.app.inject({ url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } });
    t.equal(after.statusCode, 401);
    t.equal(after.json().code, 'UNAUTHENTICATED');
  });
}

t.test('a wrong password is INVALID_CREDENTIALS, and the account locks after five failures', async (t) => {
  const ctx = await startApp(t);
  for (let i = 0; i < 5; i++) {
    const res = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: 'wrong' } });
    t.equal(res.json().code, 'INVALID_CREDENTIALS');
  }
  const locked = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: TEST_PASSWORD } });
  t.equal(locked.statusCode, 429);
  t.equal(locked.json().code, 'TOO_MANY_LOGIN_ATTEMPTS');
  t.ok(locked.json().retryAfter > 0, 'says how long to wait');
});

t.test('the session cookie alone authenticates the console', async (t) => {
  const ctx = await startApp(t);
  const res = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: TEST_PASSWORD } });
  const me = await ctx.app.inject({ url: '/api/auth/me', cookies: { linbo_session: res.json().token } });
  t.equal(me.statusCode, 200);
});

t.test('only an admin creates accounts; an editor gets FORBIDDEN', async (t) => {
  const ctx = await startApp(t);
  const admin = await staff(ctx, 'admin');
  const created = await ctx.app.inject({
    method: 'POST',
    url: '/api/accounts',
    headers: admin,
    payload: { username: 'wang', role: 'host', password: 'a long password', displayName: '王老师' },
  });
  t.equal(created.statusCode, 201);
  t.notOk('passwordHash' in created.json(), 'the hash never leaves the server');
  const editor = await staff(ctx, 'editor');
  const denied = await ctx.app.inject({
    method: 'POST',
    url: '/api/accounts',
    headers: { authorization: editor.authorization },
    payload: { username: 'li', role: 'host', password: 'a long password' },
  });
  t.equal(denied.statusCode, 403);
  t.equal(denied.json().code, 'FORBIDDEN');
  const dup = await ctx.app.inject({
    method: 'POST',
    url: '/api/accounts',
    headers: admin,
    payload: { username: 'wang', role: 'host', password: 'a long password' },
  });
  t.equal(dup.json().code, 'USERNAME_TAKEN');
});

t.test('a disabled account can no longer log in and its sessions stop working', async (t) => {
  const ctx = await startApp(t);
  const admin = await staff(ctx, 'admin');
  const host = await staff(ctx, 'host');
  const off = await ctx.app.inject({ method: 'PATCH', url: `/api/accounts/${host.id}`, headers: { authorization: admin.authorization }, payload: { disabled: true } });
  t.equal(off.statusCode, 200);
  const me = await ctx.app.inject({ url: '/api/auth/me', headers: { authorization: host.authorization } });
  t.equal(me.statusCode, 401);
  const login = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'host1', password: TEST_PASSWORD } });
  t.equal(login.json().code, 'INVALID_CREDENTIALS');
});
