// Realtime channel clients for tests: real `ws` sockets against the app on a real port, every frame
// kept, and waits that poll with a reason.
import WebSocket from 'ws';
import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfig } from '../../server/config.ts';
import { systemClock } from '../../server/clock.ts';
import { buildServices, linboApp } from '../../server/app.ts';
import { createServer } from '../../server/http/server.ts';
import type { Store } from '../../server/store/db.ts';
import { staff, TEST_PASSWORD, type TestApp } from './app.ts';
import { freePort } from './ports.ts';
import { createBroadcast, createChannel } from './schedule.ts';
import { until } from './until.ts';

/** A frame the server sent, loosely typed: tests read fields the protocol documents. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Frame = Record<string, any> & { type: string; seq: number };

/** Matches frames of one `type`. */
export const ofType = (type: string) => (frame: Frame) => frame.type === type;

export interface ChannelClient {
  ws: WebSocket;
  frames: Frame[];
  /** The linbo_device cookie the upgrade response set, if any. */
  setCookie: string | undefined;
  send(message: object): void;
  /** Waits for a frame matching `match` that arrived after `fromIndex` frames (default: any). */
  next(reason: string, match: (frame: Frame) => boolean, fromIndex?: number): Promise<Frame>;
  closed: Promise<{ code: number; reason: string }>;
  close(): void;
}

export interface OpenOptions {
  headers?: Record<string, string>;
  /** Sent right after the socket opens; none when undefined. */
  hello?: object | null;
}

export async function openChannel(url: string, options: OpenOptions = {}): Promise<ChannelClient> {
  const ws = new WebSocket(url, { headers: options.headers, perMessageDeflate: false });
  const frames: Frame[] = [];
  let setCookie: string | undefined;
  ws.on('upgrade', (res: IncomingMessage) => {
    setCookie = res.headers['set-cookie']?.find((c) => c.startsWith('linbo_device='));
  });
  ws.on('message', (data) => frames.push(JSON.parse(String(data))));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  ws.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('close', (code) => reject(new Error(`channel closed before it opened (${code})`)));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`channel refused: HTTP ${res.statusCode}`)));
  });
  const client: ChannelClient = {
    ws,
    frames,
    get setCookie() {
      return setCookie;
    },
    send: (message) => ws.send(JSON.stringify(message)),
    next: (reason, match, fromIndex = 0) => until(reason, () => frames.slice(fromIndex).find(match)),
    closed,
    close: () => ws.close(),
  };
  if (options.hello !== null) client.send(options.hello ?? { type: 'hello' });
  return client;
}

/** Opens a viewer and waits for its welcome and snapshot. */
export async function joinChannel(url: string, options: OpenOptions = {}): Promise<ChannelClient> {
  const client = await openChannel(url, options);
  await client.next('no welcome', (f) => f.type === 'welcome');
  await client.next('no snapshot', (f) => f.type === 'snapshot');
  return client;
}

/** A scheduled broadcast, made live unless told otherwise, and its channel URL. */
export async function channelBroadcast(ctx: TestApp, options: { live?: boolean; fields?: Record<string, unknown> } = {}) {
  const admin = await staff(ctx);
  const headers = { authorization: admin.authorization };
  const channel = await createChannel(ctx, headers);
  const broadcast = await createBroadcast(ctx, headers, channel.id, options.fields);
  if (options.live ?? true) {
    const res = await ctx.app.inject({ method: 'POST', url: `/api/broadcasts/${broadcast.id}/start`, headers });
    if (res.statusCode !== 200) throw new Error(`start: ${res.statusCode} ${res.body}`);
  }
  return { id: broadcast.id as string, url: broadcast.links.channel as string, admin };
}

export const closeAll = (clients: ChannelClient[]) => {
  for (const client of clients) client.ws.terminate();
};

/**
 * The app listening over a store the caller owns and closes: a restarted process (one app after
 * another on the same database), or a second control-plane process (two at once, with REDIS_URL).
 */
export async function appOnStore(t: { teardown(fn: () => unknown): void }, store: Store, env: Record<string, string> = {}): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'linbo-test-'));
  const port = await freePort();
  const config = loadConfig({ PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, LINBO_DATA_DIR: dataDir, ...env }, dataDir);
  const services = buildServices(config, store, systemClock);
  await services.accounts.ensureAdmin(TEST_PASSWORD);
  const app = createServer({ logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }), trustProxy: false, forceCloseConnections: true });
  await app.register(linboApp, { services });
  await app.listen({ port, host: '127.0.0.1' });
  t.teardown(async () => {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return { app, services, config, url: config.publicUrl };
}
