import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ChannelSchema, CreateChannelBody, UpdateChannelBody } from '../contracts/channels.ts';
import { IdParams } from '../contracts/common.ts';
import { guard } from '../auth/guard.ts';
import type { AuthService } from '../auth/service.ts';
import type { ChannelService } from './service.ts';

const tags = ['channels'];

export const channelRoutes: FastifyPluginAsyncTypebox<{ channels: ChannelService; auth: AuthService }> = async (app, { channels, auth }) => {
  const editors = guard(auth, 'admin', 'editor');
  app.get('/api/channels', { schema: { tags, summary: 'All channels', response: { 200: Type.Array(ChannelSchema) } } }, () => channels.list());
  app.get('/api/channels/:id', { schema: { tags, summary: 'One channel', params: IdParams, response: { 200: ChannelSchema } } }, (request) =>
    channels.get(request.params.id),
  );
  app.post(
    '/api/channels',
    { schema: { tags, summary: 'Create a channel (editor, admin)', body: CreateChannelBody, response: { 201: ChannelSchema } }, preHandler: editors },
    async (request, reply) => reply.status(201).send(await channels.create(request.body)),
  );
  app.patch(
    '/api/channels/:id',
    { schema: { tags, summary: 'Rename or describe a channel (editor, admin)', params: IdParams, body: UpdateChannelBody, response: { 200: ChannelSchema } }, preHandler: editors },
    (request) => channels.update(request.params.id, request.body),
  );
  app.delete(
    '/api/channels/:id',
    { schema: { tags, summary: 'Delete a channel with no broadcasts or series (editor, admin)', params: IdParams, response: { 204: Type.Null() } }, preHandler: editors },
    async (request, reply) => {
      await channels.remove(request.params.id);
      return reply.status(204).send(null);
    },
  );
};
