import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { IdParams } from '../contracts/common.ts';
import type { PosterService } from './service.ts';

// Not closed: a shared picture link picks up WeChat's and cache-busting parameters on the way.
const PosterQuery = Type.Object({
  format: Type.Optional(Type.Union([Type.Literal('phone'), Type.Literal('a4')], { default: 'phone', description: 'phone: 1080×1920; a4: 1240×1754 (A4 at 150 dpi)' })),
  lang: Type.Optional(Type.Union([Type.Literal('zh'), Type.Literal('zh-CN'), Type.Literal('en')], { description: 'Chinese unless `en`' })),
});

/** RFC 6266: an ASCII fallback name plus the real (Chinese) one, percent-encoded. */
const disposition = (id: string, filename: string) =>
  `inline; filename="linbo-poster-${id}.png"; filename*=UTF-8''${encodeURIComponent(filename.replace(/[\\/:*?"<>|\r\n]+/g, ' '))}`;

const matches = (ifNoneMatch: string | undefined, etag: string) =>
  !!ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);

export const posterRoutes: FastifyPluginAsyncTypebox<{ posters: PosterService }> = async (app, { posters }) => {
  app.get(
    '/api/broadcasts/:id/poster.png',
    {
      schema: {
        tags: ['broadcasts'],
        summary: 'The e-poster (PNG) with a QR code of the countdown page; public for published broadcasts',
        description:
          'Printed posters are for residents, so the language is Chinese unless `lang=en` is asked for (the browser’s language is not consulted). Revalidate with If-None-Match.',
        params: IdParams,
        querystring: PosterQuery,
        produces: ['image/png'],
        response: {
          200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'PNG' }),
          304: Type.Null({ description: 'Not modified' }),
        },
      },
    },
    async (request, reply) => {
      const { format = 'phone', lang } = request.query;
      const poster = await posters.poster(request.params.id, format, lang === 'en' ? 'en' : 'zh-CN');
      // no-cache: a poster changes whenever its broadcast does; the ETag makes the check cheap.
      reply.header('etag', poster.etag).header('cache-control', 'public, no-cache');
      if (matches(request.headers['if-none-match'], poster.etag)) return reply.status(304).send(null);
      return reply
        .type('image/png')
        .header('content-disposition', disposition(request.params.id, poster.filename))
        .send(await poster.png());
    },
  );
};
