// The studio page at links.studio: the host's camera into the live path. Its own small bundle (the
// console's helpers plus mediasoup-client), not the console's router: a host opens it from a link.
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { ConsoleBoot } from '../contracts/console.ts';
import { pickLang, sendPage } from './page.ts';

const TITLE = { 'zh-CN': '邻播 · 直播间', en: 'Linbo studio' } as const;

export const studioPageRoutes: FastifyPluginAsync<{ timezone: string; publicUrl: string }> = async (app, { timezone, publicUrl }) => {
  app.get(
    '/studio/:id',
    { schema: { tags: ['web'], summary: 'The studio page (HTML): publish from the browser\'s camera', params: Type.Object({ id: Type.String({ maxLength: 100 }) }), querystring: Type.Object({ lang: Type.Optional(Type.String()) }), hide: true } },
    (request, reply) => {
      const lang = pickLang(request);
      const boot: ConsoleBoot = { timezone, publicUrl, lang };
      return sendPage(reply, { lang, title: TITLE[lang], app: 'console', entry: 'studio', boot });
    },
  );
};
