// The studio page's signalling (mediasoup-client over REST): open a session (the router's capabilities
// and a send transport), connect its DTLS, produce video and audio, close it. Same-origin only: the page
// is served by this server and authorised by the console's session cookie.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Id } from '../contracts/common.ts';
import { StudioConnectBody, StudioProduceBody, StudioSession, StudioSessionBody } from '../contracts/studio.ts';
import { guard, staffOf } from '../auth/guard.ts';
import type { AuthService } from '../auth/service.ts';
import type { StudioService } from './service.ts';

const tags = ['live'];
const Params = Type.Object({ id: Id });
const SessionParams = Type.Object({ id: Id, sessionId: Type.String({ minLength: 1, maxLength: 100 }) });
const NoContent = Type.Null({ description: 'Done' });
const who = ' (the assigned host, an editor or an admin)';

export const studioRoutes: FastifyPluginAsyncTypebox<{ studio: StudioService; auth: AuthService }> = async (app, { studio, auth }) => {
  const preHandler = guard(auth, 'admin', 'editor', 'host');

  app.post(
    '/api/broadcasts/:id/studio/session',
    {
      preHandler,
      schema: {
        tags,
        summary: `Open a studio session: the router's RTP capabilities and a WebRTC send transport for mediasoup-client${who}`,
        description:
          'The body is the camera\'s capture size, the ladder\'s nominal resolution (keep it with degradationPreference = maintain-resolution). ' +
          'One publisher at a time: 409 INGEST_BUSY while another feeds it; once that one has gone quiet (a reloaded page), a new session takes over the same broadcast. ' +
          '409 INGEST_NOT_ALLOWED once it has ended or was cancelled.',
        params: Params,
        body: StudioSessionBody,
        response: { 201: StudioSession },
      },
    },
    async (request, reply) => reply.status(201).send(await studio.open(staffOf(request), request.params.id, request.body)),
  );

  app.post(
    '/api/broadcasts/:id/studio/session/:sessionId/connect',
    {
      preHandler,
      schema: { tags, summary: `Connect a studio session's transport (mediasoup-client's connect event)${who}`, params: SessionParams, body: StudioConnectBody, response: { 204: NoContent } },
    },
    async (request, reply) => {
      await studio.connect(staffOf(request), request.params.id, request.params.sessionId, request.body);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/broadcasts/:id/studio/session/:sessionId/produce',
    {
      preHandler,
      schema: {
        tags,
        summary: `Start sending one kind over a studio session (mediasoup-client's produce event)${who}`,
        description: 'Video: H.264 (constrained baseline, packetization-mode 1) preferred so the top rung passes through, VP8 taken; audio: Opus. The broadcast goes live once both flow.',
        params: SessionParams,
        body: StudioProduceBody,
        response: { 200: Type.Object({ producerId: Type.String() }) },
      },
    },
    async (request) => ({ producerId: await studio.produce(staffOf(request), request.params.id, request.params.sessionId, request.body) }),
  );

  app.delete(
    '/api/broadcasts/:id/studio/session/:sessionId',
    {
      preHandler,
      schema: { tags, summary: `Close a studio session: the broadcast ends after its grace period unless a feed returns${who}`, params: SessionParams, response: { 204: NoContent } },
    },
    async (request, reply) => {
      await studio.close(staffOf(request), request.params.id, request.params.sessionId);
      return reply.status(204).send(null);
    },
  );
};
