// Builds the real app for a test: a fresh database, a temporary data dir, the same plugin main.ts runs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfig, type Config } from '../../server/config.ts';
import { systemClock, type Clock } from '../../server/clock.ts';
import { buildServices, linboApp, type Services } from '../../server/app.ts';
import { createServer, type App } from '../../server/http/server.ts';
import type { Role } from '../../server/accounts/store.ts';
import { freshStore, type DbKind } from './db.ts';
import { freePort } from './ports.ts';

export const TEST_PASSWORD = 'correct horse battery';

export interface TestApp {
  app: App;
  services: Services;
  config: Config;
  /** Base URL when `listen` was asked for. */
  url: string;
}

interface Teardown {
  teardown(fn: () => unknown): void;
}

export async function startApp(
  t: Teardown,
  options: { db?: DbKind; clock?: Clock; listen?: boolean; env?: Record<string, string> } = {},
): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'linbo-test-'));
  const port = options.listen ? await freePort() : 8080;
  const config = loadConfig(
    { PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, LINBO_DATA_DIR: dataDir, LINBO_ADMIN_PASSWORD: TEST_PASSWORD, ...options.env },
    dataDir,
  );
  const store = await freshStore(options.db ?? 'pglite');
  const services = buildServices(config, store, options.clock ?? systemClock);
  await services.accounts.ensureAdmin(TEST_PASSWORD);
  const app = createServer({ logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }), trustProxy: false, forceCloseConnections: true });
  await app.register(linboApp, { services });
  if (options.listen) await app.listen({ port, host: '127.0.0.1' });
  else await app.ready();
  t.teardown(async () => {
    await app.close();
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return { app, services, config, url: config.publicUrl };
}

/** Logs in through the API and returns the bearer header for `role` (creating the account when needed). */
export async function staff(ctx: TestApp, role: Role = 'admin', username: string = role === 'admin' ? 'admin' : `${role}1`): Promise<{ authorization: string; id: string }> {
  if (username !== 'admin') {
    await ctx.services.accounts.create({ username, role, password: TEST_PASSWORD, displayName: `${role} ${username}` }).catch(() => {});
  }
  const res = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: TEST_PASSWORD } });
  if (res.statusCode !== 200) throw new Error(`login as ${username} failed: ${res.statusCode} ${res.body}`);
  const body = res.json();
  return { authorization: `Bearer ${body.token}`, id: body.account.id };
}
