// Serves the esbuild bundles (scripts/build-web.mjs writes them to dist/web). Revalidated by ETag:
// bundle names are stable, so they cannot be cached forever.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync } from 'fastify';
import fastifyStatic from '@fastify/static';

export const WEB_DIST = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'web');

export const assetRoutes: FastifyPluginAsync = async (app) => {
  if (!existsSync(WEB_DIST)) {
    app.log.warn({ dir: WEB_DIST }, 'browser bundles missing: run `node scripts/build-web.mjs` (npm start does)');
  }
  await app.register(fastifyStatic, {
    root: WEB_DIST,
    prefix: '/assets/',
    cacheControl: true,
    maxAge: 0,
    etag: true,
    schemaHide: true,
    decorateReply: false,
  });
};
