// The channel's endpoint, `links.channel`: a WebSocket upgrade on the HTTP server Fastify runs. The
// GET route is there for the OpenAPI docs and for a plain GET, which is told to upgrade.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { WebSocketServer } from 'ws';
import { IdParams } from '../contracts/common.ts';
import { ApiError } from '../http/errors.ts';
import type { AuthService } from '../auth/service.ts';
import { deviceCookie, identifyUpgrade } from './identity.ts';
import type { RealtimeHub } from './hub.ts';

const CHANNEL_PATH = /^\/api\/broadcasts\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/channel\/?$/i;

export interface RealtimeRouteOptions {
  hub: RealtimeHub;
  auth: AuthService;
  publicUrl: string;
  trustProxy: boolean;
  maxFrameBytes: number;
}

export const realtimeRoutes: FastifyPluginAsyncTypebox<RealtimeRouteOptions> = async (app, { hub, auth, publicUrl, trustProxy, maxFrameBytes }) => {
  // Deflate off: every socket would need its own compression context, and one prebuilt frame could
  // no longer serve all sockets (frames.ts). Messages are small JSON anyway.
  const wss = new WebSocketServer({ noServer: true, maxPayload: maxFrameBytes, perMessageDeflate: false, clientTracking: false });
  const secure = publicUrl.startsWith('https:');
  const origin = new URL(publicUrl).origin;
  const newCookies = new WeakMap<IncomingMessage, string>();
  wss.on('headers', (headers, request) => {
    const cookie = newCookies.get(request);
    if (cookie) headers.push(`Set-Cookie: ${cookie}`);
  });

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const id = CHANNEL_PATH.exec(new URL(request.url ?? '/', 'http://host').pathname)?.[1]?.toLowerCase();
    if (!id) {
      // Another upgrade handler may own this path; with none, say so rather than leave it hanging.
      if (app.server.listenerCount('upgrade') === 1) refuse(socket, 404, 'Not Found');
      return;
    }
    const dropOnError = () => socket.destroy();
    socket.on('error', dropOnError);
    (async () => {
      const identity = await identifyUpgrade(request, auth, origin);
      const admission = await hub.admit(id, identity);
      if (socket.destroyed) return;
      if (identity.fresh) newCookies.set(request, deviceCookie(identity.device, secure));
      wss.handleUpgrade(request, socket, head, (ws) => {
        socket.off('error', dropOnError);
        hub.accept(ws, socket, addressOf(request, trustProxy), id, identity.device, admission);
      });
    })().catch((err: unknown) => {
      app.log.error({ err, broadcastId: id }, 'channel: upgrade failed');
      refuse(socket, 503, 'Service Unavailable');
    });
  };
  app.server.on('upgrade', onUpgrade);
  app.addHook('onClose', async () => {
    app.server.off('upgrade', onUpgrade);
    await hub.close();
  });

  app.get(
    '/api/broadcasts/:id/channel',
    {
      schema: {
        tags: ['realtime'],
        summary: 'The realtime channel (WebSocket): questions, likes, viewer counts, chat and state of one broadcast',
        description:
          'Connect with a WebSocket (`links.channel`, ws: or wss:), then send `hello`. JSON text frames with a `type`; every message, ' +
          'sequence numbers and resuming, limits, close and error codes are in docs/realtime.md. A plain GET is answered 426.',
        params: IdParams,
      },
    },
    async () => {
      throw new ApiError('UPGRADE_REQUIRED');
    },
  );
};

/** Behind a trusted proxy the client is the first X-Forwarded-For entry, as Fastify's own request.ip. */
function addressOf(request: IncomingMessage, trustProxy: boolean): string {
  const forwarded = trustProxy ? request.headers['x-forwarded-for'] : undefined;
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
  return first || request.socket.remoteAddress || 'unknown';
}

function refuse(socket: Duplex, status: number, text: string): void {
  if (!socket.writable) return void socket.destroy();
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
