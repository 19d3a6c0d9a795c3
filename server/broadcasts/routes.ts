import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { BroadcastSchema, CreateBroadcastBody, ListBroadcastsQuery, UpdateBroadcastBody } from '../contracts/broadcasts.ts';
import { IdParams } from '../contracts/common.ts';
import { guard, identify, staffOf } from '../auth/guard.ts';
import type { AuthService } from '../auth/service.ts';
import type { BroadcastService } from './service.ts';

const tags = ['broadcasts'];

export const broadcastRoutes: FastifyPluginAsyncTypebox<{ broadcasts: BroadcastService; auth: AuthService }> = async (app, { broadcasts, auth }) => {
  const editors = guard(auth, 'admin', 'editor');
  const anyStaff = guard(auth);

  app.get(
    '/api/broadcasts',
    {
      schema: {
        tags,
        summary: 'List broadcasts by start time (residents: public ones that are published; staff: all)',
        querystring: ListBroadcastsQuery,
        response: { 200: Type.Array(BroadcastSchema) },
      },
      preHandler: identify(auth),
    },
    (request) => broadcasts.list(request.staff, request.query),
  );
  app.get(
    '/api/broadcasts/:id',
    {
      schema: { tags, summary: 'One broadcast (public and unlisted ones are reachable by link; drafts only by staff)', params: IdParams, response: { 200: BroadcastSchema } },
      preHandler: identify(auth),
    },
    (request) => broadcasts.getFor(request.staff, request.params.id),
  );
  app.post(
    '/api/broadcasts',
    { schema: { tags, summary: 'Schedule a broadcast (editor, admin)', body: CreateBroadcastBody, response: { 201: BroadcastSchema } }, preHandler: editors },
    async (request, reply) => reply.status(201).send(await broadcasts.create(staffOf(request), request.body)),
  );
  app.patch(
    '/api/broadcasts/:id',
    {
      schema: {
        tags,
        summary: 'Edit a draft or scheduled broadcast (editor, admin; its host may change title, description, theme and cover)',
        params: IdParams,
        body: UpdateBroadcastBody,
        response: { 200: BroadcastSchema },
      },
      preHandler: anyStaff,
    },
    (request) => broadcasts.update(staffOf(request), request.params.id, request.body),
  );
  app.delete(
    '/api/broadcasts/:id',
    {
      schema: { tags, summary: 'Delete a broadcast; a series occurrence is cancelled instead (editor, admin)', params: IdParams, response: { 204: Type.Null() } },
      preHandler: editors,
    },
    async (request, reply) => {
      await broadcasts.remove(staffOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  const transitions = [
    { path: 'publish', summary: 'Publish a draft: it becomes scheduled and visible (editor, admin)', preHandler: editors, run: broadcasts.publish },
    { path: 'cancel', summary: 'Cancel a draft or scheduled broadcast (editor, admin)', preHandler: editors, run: broadcasts.cancel },
    { path: 'start', summary: 'Go live (the assigned host, editor, admin)', preHandler: anyStaff, run: broadcasts.start },
    { path: 'end', summary: 'End a live broadcast (the assigned host, editor, admin)', preHandler: anyStaff, run: broadcasts.end },
    { path: 'stream-key', summary: 'Replace the stream key; the old one stops working (the assigned host, editor, admin)', preHandler: anyStaff, run: broadcasts.rotateStreamKey },
  ];
  for (const { path, summary, preHandler, run } of transitions) {
    app.post(
      `/api/broadcasts/:id/${path}`,
      { schema: { tags, summary, params: IdParams, response: { 200: BroadcastSchema } }, preHandler },
      (request) => run.call(broadcasts, staffOf(request), request.params.id),
    );
  }
};
