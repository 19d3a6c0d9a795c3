import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CreateSeriesBody, SeriesSchema, UpdateSeriesBody } from '../contracts/series.ts';
import { IdParams } from '../contracts/common.ts';
import { guard } from '../auth/guard.ts';
import type { AuthService } from '../auth/service.ts';
import type { SeriesService } from './service.ts';

const tags = ['series'];

// Occurrences are broadcasts: clients list them with GET /api/broadcasts?seriesId=.
export const seriesRoutes: FastifyPluginAsyncTypebox<{ series: SeriesService; auth: AuthService }> = async (app, { series, auth }) => {
  const editors = guard(auth, 'admin', 'editor');
  const anyStaff = guard(auth);

  app.get('/api/series', { schema: { tags, summary: 'All series, ended ones included (staff)', response: { 200: Type.Array(SeriesSchema) } }, preHandler: anyStaff }, () =>
    series.list(),
  );
  app.get(
    '/api/series/:id',
    { schema: { tags, summary: 'One series (staff)', params: IdParams, response: { 200: SeriesSchema } }, preHandler: anyStaff },
    (request) => series.get(request.params.id),
  );
  app.post(
    '/api/series',
    {
      schema: {
        tags,
        summary: 'Create a series; its occurrences up to the horizon become scheduled broadcasts (editor, admin)',
        body: CreateSeriesBody,
        response: { 201: SeriesSchema },
      },
      preHandler: editors,
    },
    async (request, reply) => reply.status(201).send(await series.create(request.body)),
  );
  app.patch(
    '/api/series/:id',
    {
      schema: {
        tags,
        summary: 'Change a series and its occurrences from `from` on; occurrences edited alone, cancelled or started keep theirs (editor, admin)',
        params: IdParams,
        body: UpdateSeriesBody,
        response: { 200: SeriesSchema },
      },
      preHandler: editors,
    },
    (request) => series.update(request.params.id, request.body),
  );
  app.delete(
    '/api/series/:id',
    {
      schema: {
        tags,
        summary: 'End a series: no new occurrences, and its upcoming ones not edited alone are cancelled (editor, admin)',
        params: IdParams,
        response: { 204: Type.Null() },
      },
      preHandler: editors,
    },
    async (request, reply) => {
      await series.end(request.params.id);
      return reply.status(204).send(null);
    },
  );
};
