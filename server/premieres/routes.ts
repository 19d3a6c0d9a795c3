// A premiere's HLS playlists, public like the live ones in media storage (and readable from any site:
// broadcasts are embedded in other pages). Segments stay where the clip's VOD job put them.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { Id } from '../contracts/common.ts';
import type { PremiereService } from './service.ts';

const tags = ['broadcasts'];
const Playlist = { description: 'An HLS playlist (RFC 8216)', content: { 'application/vnd.apple.mpegurl': { schema: Type.String() } } };

function sendPlaylist(reply: FastifyReply, text: string): FastifyReply {
  return reply
    .type('application/vnd.apple.mpegurl')
    // Changes with every segment the premiere reaches; a CDN may hold it a second at most.
    .header('cache-control', 'public, max-age=1')
    .send(text);
}

export const premiereRoutes: FastifyPluginAsyncTypebox<{ premieres: PremiereService }> = async (app, { premieres }) => {
  // Errors too (not started yet): a player on another site must be able to read why.
  app.addHook('onRequest', async (_request, reply) => {
    reply.header('access-control-allow-origin', '*');
  });
  app.get(
    '/api/broadcasts/:id/premiere/master.m3u8',
    {
      schema: {
        tags,
        summary: "A premiere's master playlist: the clip's renditions, live from the scheduled second, then the replay (404 PREMIERE_NOT_STARTED before)",
        params: Type.Object({ id: Id }),
        response: { 200: Playlist },
      },
    },
    async (request, reply) => sendPlaylist(reply, await premieres.master(request.params.id)),
  );
  app.get(
    '/api/broadcasts/:id/premiere/:rendition/index.m3u8',
    {
      schema: {
        tags,
        summary: "One rendition of a premiere: a sliding window of the clip's segments with their program date-times while live, the whole clip once ended",
        params: Type.Object({ id: Id, rendition: Type.String({ pattern: '^[A-Za-z0-9_-]{1,32}$' }) }),
        response: { 200: Playlist },
      },
    },
    async (request, reply) => sendPlaylist(reply, await premieres.media(request.params.id, request.params.rendition)),
  );
};
