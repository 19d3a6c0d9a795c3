// Serves locally stored media (HLS playlists and segments, thumbnails) from `${dataDir}/media` when no
// S3 storage is configured. Headers follow the same table the S3 uploads carry (media/storage), and
// any site may fetch them: broadcasts are embedded in other sites' pages.
import { mkdirSync } from 'node:fs';
import type { FastifyPluginAsync } from 'fastify';
import fastifyStatic from '@fastify/static';
import { mediaRoot } from '../../media/storage/open.ts';
import { mediaTypeOf } from '../../media/storage/storage.ts';
import { problemOf, sendProblem } from '../http/problem.ts';

export const mediaRoutes: FastifyPluginAsync<{ dataDir: string }> = async (app, { dataDir }) => {
  const root = mediaRoot(dataDir);
  mkdirSync(root, { recursive: true });
  app.addHook('onRequest', async (_request, reply) => {
    reply.header('access-control-allow-origin', '*');
  });
  // @fastify/static refuses a path that climbs out of the root (`..`, encoded or not) with a bare 403;
  // to a player that is simply no such file.
  app.setErrorHandler((error: { statusCode?: number }, request, reply) => {
    if (error.statusCode !== 403) throw error;
    return sendProblem(reply, problemOf('NOT_FOUND', 'No such media file', request.url));
  });
  // A player asking for a byte range from another origin sends a preflight first.
  app.options('/media/*', { schema: { hide: true } }, async (_request, reply) =>
    reply
      .header('access-control-allow-methods', 'GET, HEAD')
      .header('access-control-allow-headers', 'Range')
      .header('access-control-max-age', '86400')
      .status(204)
      .send(),
  );
  await app.register(fastifyStatic, {
    root,
    prefix: '/media/',
    decorateReply: false,
    schemaHide: true,
    // The cache policy is per kind of file (mediaTypeOf), not one max-age for everything.
    cacheControl: false,
    etag: true,
    lastModified: true,
    dotfiles: 'deny',
    index: false,
    setHeaders: (reply, path) => {
      const { contentType, cacheControl } = mediaTypeOf(path);
      reply.header('content-type', contentType).header('cache-control', cacheControl);
      reply.header('access-control-expose-headers', 'Content-Length, Content-Range');
    },
  });
};
