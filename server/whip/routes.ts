// WHIP (RFC 9725): the endpoint at links.whip takes an SDP offer and answers with the session's URL; the
// session is ended with DELETE. Browser clients call from other origins, so every response carries CORS
// headers and exposes Location, ETag and Link (without them a client cannot find its session).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { Id } from '../contracts/common.ts';
import { WHIP_OFFER_MAX } from '../contracts/media.ts';
import { tokenOf } from '../auth/guard.ts';
import { ApiError } from '../http/errors.ts';
import type { WhipService } from './service.ts';

const tags = ['live'];
const Params = Type.Object({ id: Id });
const SessionParams = Type.Object({ id: Id, sessionId: Type.String({ minLength: 1, maxLength: 100 }) });
const Sdp = (description: string) => ({ description, content: { 'application/sdp': { schema: Type.String() } } });
const NoContent = Type.Null({ description: 'Done' });

function preflight(reply: FastifyReply, methods: string): FastifyReply {
  if (methods.includes('POST')) reply.header('accept-post', 'application/sdp');
  return reply
    .header('access-control-allow-methods', methods)
    .header('access-control-allow-headers', 'authorization, content-type, if-match')
    .header('access-control-max-age', '86400')
    .status(204)
    .send();
}

export const whipRoutes: FastifyPluginAsyncTypebox<{ whip: WhipService }> = async (app, { whip }) => {
  // SDP and trickle fragments arrive as text; the JSON parser stays for the (refused) mute POST.
  app.addContentTypeParser(['application/sdp', 'application/trickle-ice-sdpfrag'], { parseAs: 'string', bodyLimit: WHIP_OFFER_MAX }, (_request, body, done) => done(null, body));
  app.addHook('onRequest', async (_request, reply) => {
    reply.header('access-control-allow-origin', '*').header('access-control-expose-headers', 'Location, ETag, Link');
  });

  app.options('/api/broadcasts/:id/whip', { schema: { hide: true } }, async (_request, reply) =>
    preflight(reply, 'POST, OPTIONS'),
  );
  app.options('/api/broadcasts/:id/whip/:sessionId', { schema: { hide: true } }, async (_request, reply) => preflight(reply, 'PATCH, DELETE, OPTIONS'));

  app.post(
    '/api/broadcasts/:id/whip',
    {
      schema: {
        tags,
        summary: 'Publish over WHIP (RFC 9725): an SDP offer in, the SDP answer and the session URL out',
        description:
          'Content-Type: application/sdp; Authorization: Bearer <streamKey> (or the login token of the assigned host, an editor or an admin). ' +
          'Video: H.264 constrained baseline (packetization-mode 1); audio: Opus. ICE-lite, so trickled candidates are not needed. ' +
          'The broadcast goes live when the video arrives; DELETE the returned Location to stop. ' +
          '409 INGEST_BUSY while another publisher feeds it; a publisher returning within the grace period continues the same broadcast ' +
          '(409 INGEST_CODEC_CHANGED for VP8 where the top rung copies H.264).',
        params: Params,
        consumes: ['application/sdp'],
        body: Type.String({ minLength: 1, maxLength: WHIP_OFFER_MAX }),
        response: { 201: Sdp('The SDP answer; Location is the session, ETag identifies it') },
      },
      // Other parsers (JSON) also yield a body; RFC 9725 §4.2 takes application/sdp only.
      preValidation: async (request) => {
        if (!/^application\/sdp\s*(;|$)/i.test(request.headers['content-type'] ?? '')) throw new ApiError('UNSUPPORTED_MEDIA_TYPE', 'A WHIP offer is sent as Content-Type: application/sdp');
      },
    },
    async (request, reply) => {
      const { answer, sessionUrl, sessionId } = await whip.publish(request.params.id, tokenOf(request), request.body);
      return reply.status(201).type('application/sdp').header('location', sessionUrl).header('etag', `"${sessionId}"`).send(answer);
    },
  );

  app.delete(
    '/api/broadcasts/:id/whip/:sessionId',
    {
      schema: {
        tags,
        summary: 'End a WHIP session: the broadcast ends after its grace period unless a feed returns',
        params: SessionParams,
        response: { 204: NoContent },
      },
    },
    async (request, reply) => {
      await whip.end(request.params.id, request.params.sessionId, tokenOf(request));
      return reply.status(204).send(null);
    },
  );

  app.patch(
    '/api/broadcasts/:id/whip/:sessionId',
    {
      schema: {
        tags,
        summary: 'Trickle ICE for a WHIP session: accepted and not needed (the server is ICE-lite); ICE restart is not offered (405)',
        params: SessionParams,
        consumes: ['application/trickle-ice-sdpfrag'],
        body: Type.String({ maxLength: WHIP_OFFER_MAX }),
        response: { 204: NoContent },
      },
    },
    async (request, reply) => {
      await whip.assertMayPatch(request.params.id, tokenOf(request));
      // RFC 9725 §4.3.2: `If-Match: *` asks for an ICE restart; a publisher that lost its path publishes again instead.
      if (request.headers['if-match'] === '*') throw new ApiError('METHOD_NOT_ALLOWED', 'ICE restart is not offered: DELETE the session and publish again');
      return reply.status(204).send(null);
    },
  );

  // Some WHIP clients POST JSON to the session to mute a track; RFC 9725 defines no such thing.
  app.post(
    '/api/broadcasts/:id/whip/:sessionId',
    { schema: { tags, summary: 'Not part of WHIP (some clients mute this way): always 405', params: SessionParams } },
    async (_request, reply) => {
      reply.header('allow', 'PATCH, DELETE, OPTIONS');
      throw new ApiError('METHOD_NOT_ALLOWED', 'A WHIP session takes PATCH and DELETE only');
    },
  );
};
