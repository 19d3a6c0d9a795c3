// The pages residents open from a poster, a WeChat message or another site: /countdown/:id,
// /watch/:id and /embed/:id. Server-rendered shell, title and language; the player bundle draws the
// rest from the boot data. A link that leads nowhere gets a readable page with status 404, not JSON.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Clock } from '../clock.ts';
import type { Broadcast } from '../contracts/broadcasts.ts';
import { formatStart } from '../contracts/display.ts';
import type { ResidentBoot } from '../contracts/resident-pages.ts';
import { ApiError } from '../http/errors.ts';
import type { BroadcastService } from '../broadcasts/service.ts';
import { WEB_DIST } from './assets.ts';
import { pickLang, sendPage, type Lang } from './page.ts';

export interface ResidentPageOptions {
  broadcasts: Pick<BroadcastService, 'getPublic'>;
  clock: Clock;
  timezone: string;
  pollMs: number;
  /** CSP frame-ancestors sources for the embed page (config LINBO_EMBED_FRAME_ANCESTORS). */
  embedFrameAncestors: string;
}

const PAGES = [
  { path: '/countdown/:id', entry: 'countdown', embed: false, summary: 'Countdown page (the poster’s QR code opens it); moves to the watch page when live' },
  { path: '/watch/:id', entry: 'watch', embed: false, summary: 'Watch page' },
  { path: '/embed/:id', entry: 'watch', embed: true, summary: 'Embeddable watch page: no site chrome; the sites that may frame it are configured (LINBO_EMBED_FRAME_ANCESTORS, default any)' },
] as const;

// Any text, not a uuid schema: a mistyped link must reach the friendly page, not a 400 problem.
const Params = Type.Object({ id: Type.String({ maxLength: 200 }) });
// Not closed: WeChat and campaign links append their own parameters.
const Query = Type.Object({ lang: Type.Optional(Type.String({ description: 'zh or en; default: the browser’s language, else Chinese' })) });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BRAND: Record<Lang, string> = { 'zh-CN': '邻播', en: 'Linbo' };
const NOT_FOUND: Record<Lang, string> = { 'zh-CN': '找不到这场直播', en: 'Broadcast not found' };

export const residentPageRoutes: FastifyPluginAsyncTypebox<ResidentPageOptions> = async (app, options) => {
  const { broadcasts, clock, timezone, pollMs, embedFrameAncestors } = options;

  async function find(id: string): Promise<Broadcast | null> {
    if (!UUID.test(id)) return null;
    try {
      return await broadcasts.getPublic(id);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'BROADCAST_NOT_FOUND') return null;
      throw err;
    }
  }

  // A stable address for the <linbo-player> script other sites include (docs/embed.md); any origin may load it.
  app.get('/linbo-player.js', { schema: { tags: ['pages'], summary: 'The <linbo-player> custom element script', produces: ['text/javascript'] } }, async (_request, reply) => {
    const script = await readFile(join(WEB_DIST, 'player', 'linbo-player.js')).catch(() => null);
    if (!script) throw new ApiError('NOT_FOUND', 'the player script is not built (node scripts/build-web.mjs)');
    return reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=300').header('access-control-allow-origin', '*').send(script);
  });

  for (const page of PAGES) {
    app.get(
      page.path,
      { schema: { tags: ['pages'], summary: page.summary, params: Params, querystring: Query, produces: ['text/html'] } },
      async (request, reply) => {
        const lang = pickLang(request);
        const now = clock.now();
        const broadcast = await find(request.params.id);
        const boot: ResidentBoot = { broadcast, now: now.toISOString(), timezone, lang, pollMs, embed: page.embed };
        // The embed exists to be framed by other sites (which ones is the operator's choice); the other pages only by this site.
        reply.header('content-security-policy', `frame-ancestors ${page.embed ? embedFrameAncestors : "'self'"}`);
        reply.header('vary', 'accept-language');
        if (!broadcast) {
          return sendPage(reply, { lang, title: `${NOT_FOUND[lang]} · ${BRAND[lang]}`, app: 'player', entry: page.entry, boot }, 404);
        }
        return sendPage(reply, {
          lang,
          title: `${broadcast.title} · ${BRAND[lang]}`,
          app: 'player',
          entry: page.entry,
          boot,
          description: `${formatStart(broadcast.scheduledStart, { timeZone: timezone, lang, now })} · ${broadcast.channel.name}`,
          image: broadcast.coverUrl,
        });
      },
    );
  }
};
