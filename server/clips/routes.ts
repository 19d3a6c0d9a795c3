import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ClipSchema, ListClipsQuery, RejectClipBody } from '../contracts/clips.ts';
import { IdParams } from '../contracts/common.ts';
import { guard, identify, staffOf } from '../auth/guard.ts';
import type { AuthService } from '../auth/service.ts';
import { DEVICE_COOKIE, viewerIdOf } from '../realtime/identity.ts';
import type { ClipService } from './service.ts';

const tags = ['clips'];
const DEVICE_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;

/** The calling device's viewer id, or null: reading needs no new cookie (a device without one sent nothing). */
function viewerOf(request: FastifyRequest): string | null {
  const device = request.cookies[DEVICE_COOKIE];
  return device && DEVICE_PATTERN.test(device) ? viewerIdOf(device) : null;
}

export const clipRoutes: FastifyPluginAsyncTypebox<{ clips: ClipService; auth: AuthService }> = async (app, { clips, auth }) => {
  const editors = guard(auth, 'admin', 'editor');
  const anyStaff = guard(auth);

  app.get(
    '/api/clips',
    { schema: { tags, summary: 'Clips, newest first (staff)', querystring: ListClipsQuery, response: { 200: Type.Array(ClipSchema) } }, preHandler: anyStaff },
    (request) => clips.list(request.query),
  );
  app.get(
    '/api/clips/:id',
    {
      schema: {
        tags,
        summary: 'One clip: staff see any; the device that sent it sees it in every state; anyone else once published',
        params: IdParams,
        response: { 200: ClipSchema },
      },
      preHandler: identify(auth),
    },
    (request) => clips.getFor(request.staff, viewerOf(request), request.params.id),
  );
  app.get(
    '/api/channels/:id/submissions/mine',
    {
      schema: {
        tags,
        summary: "This device's submissions to the channel, newest first, with their state and any reason for rejection",
        params: IdParams,
        response: { 200: Type.Array(ClipSchema) },
      },
    },
    async (request) => {
      const viewerId = viewerOf(request);
      return viewerId ? clips.mine(viewerId, request.params.id) : [];
    },
  );
  app.post(
    '/api/clips/:id/reject',
    {
      schema: { tags, summary: 'Reject a clip in review with a reason; its files are removed (editor, admin)', params: IdParams, body: RejectClipBody, response: { 200: ClipSchema } },
      preHandler: editors,
    },
    (request) => clips.reject(staffOf(request), request.params.id, request.body.reason),
  );
  app.delete(
    '/api/clips/:id',
    {
      schema: { tags, summary: 'Delete a clip and its files, unless a premiere plays it (editor, admin)', params: IdParams, response: { 204: Type.Null() } },
      preHandler: editors,
    },
    async (request, reply) => {
      await clips.remove(staffOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  const actions = [
    { path: 'approve', summary: 'Publish a clip in review (editor, admin)', run: clips.approve },
    { path: 'cancel', summary: "Stop a clip's transcode; the clip fails and can be retried (editor, admin)", run: clips.cancel },
    { path: 'retry', summary: 'Transcode a failed clip again (editor, admin)', run: clips.retry },
  ];
  for (const { path, summary, run } of actions) {
    app.post(
      `/api/clips/:id/${path}`,
      { schema: { tags, summary, params: IdParams, response: { 200: ClipSchema } }, preHandler: editors },
      (request) => run.call(clips, staffOf(request), request.params.id),
    );
  }
};
