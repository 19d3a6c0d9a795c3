// Realtime channel clients for tests: real `ws` sockets against the app on a real port, every frame
// kept, and waits that poll with a reason.
import WebSocket from 'ws';
import type { IncomingMessage } from 'node:http';
import type { TestApp } from './app.ts';
import { staff } from './app.ts';
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
