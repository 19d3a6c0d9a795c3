// The staff console: one shell for every /console path; the bundle routes in the browser (History API),
// so a reload or a shared link to /console/broadcasts/… lands on the same view.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { ConsoleBoot } from '../contracts/console.ts';
import { pickLang, sendPage } from './page.ts';

const TITLE = { 'zh-CN': '邻播 · 工作台', en: 'Linbo console' } as const;

export const consoleRoutes: FastifyPluginAsync<{ timezone: string; publicUrl: string }> = async (app, { timezone, publicUrl }) => {
  const serve = (request: FastifyRequest, reply: FastifyReply) => {
    const lang = pickLang(request);
    const boot: ConsoleBoot = { timezone, publicUrl, lang };
    return sendPage(reply, { lang, title: TITLE[lang], app: 'console', entry: 'console', boot });
  };
  const schema = {
    tags: ['web'],
    summary: 'The staff console (HTML)',
    querystring: Type.Object({ lang: Type.Optional(Type.String()) }),
    hide: true,
  };
  app.get('/console', { schema }, serve);
  app.get('/console/*', { schema }, serve);
};
