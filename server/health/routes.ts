import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ApiError } from '../http/errors.ts';
import type { Store } from '../store/db.ts';

const Status = Type.Object({ status: Type.String() });

export const healthRoutes: FastifyPluginAsyncTypebox<{ store: Store }> = async (app, { store }) => {
  app.get('/healthz', { schema: { tags: ['health'], summary: 'The process is alive', response: { 200: Status } } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { tags: ['health'], summary: 'The database answers', response: { 200: Status } } }, async (request) => {
    try {
      await store.ping();
    } catch (err) {
      request.log.warn({ err }, 'database not reachable');
      throw new ApiError('NOT_READY', 'The database does not answer');
    }
    return { status: 'ready' };
  });
};
