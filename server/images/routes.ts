import { createReadStream } from 'node:fs';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ImageSchema } from '../contracts/channels.ts';
import { IdParams } from '../contracts/common.ts';
import { guard } from '../auth/guard.ts';
import type { AuthService } from '../auth/service.ts';
import { ApiError } from '../http/errors.ts';
import type { ImageService } from './service.ts';

const tags = ['images'];

export const imageRoutes: FastifyPluginAsyncTypebox<{ images: ImageService; auth: AuthService }> = async (app, { images, auth }) => {
  app.post(
    '/api/images',
    {
      schema: {
        tags,
        summary: 'Upload a picture (multipart, one file field, up to 10 MiB); stored as a 1280×720 JPEG (editor, admin)',
        consumes: ['multipart/form-data'],
        response: { 201: ImageSchema },
      },
      preHandler: guard(auth, 'admin', 'editor'),
    },
    async (request, reply) => {
      const file = await request.file();
      if (!file) throw new ApiError('VALIDATION_FAILED', 'Send the picture as one multipart file field');
      return reply.status(201).send(await images.upload(await file.toBuffer()));
    },
  );
  app.get(
    '/api/images/:id.jpg',
    { schema: { tags, summary: 'A stored picture (JPEG); never changes, so it is cached for a year', params: IdParams } },
    async (request, reply) => {
      await images.get(request.params.id);
      return reply
        .header('cache-control', 'public, max-age=31536000, immutable')
        .type('image/jpeg')
        .send(createReadStream(images.path(request.params.id)));
    },
  );
};
