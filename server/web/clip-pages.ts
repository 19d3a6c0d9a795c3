// The pages residents open for recorded clips: a channel's feed (/channels/:slug), its submission page
// (/channels/:slug/submit) and one clip (/clips/:id). Server-rendered shell with the first data inline;
// the device cookie is set here when missing, so the first like, follow or upload already has it.
// A link that leads nowhere gets a readable page with status 404, not JSON.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Clock } from '../clock.ts';
import type { ClipBoot, FeedBoot, SubmitBoot } from '../contracts/clip-pages.ts';
import { deviceViewer } from '../feed/device.ts';
import type { FeedService } from '../feed/service.ts';
import { pickLang, sendPage, type Lang } from './page.ts';

export interface ClipPageOptions {
  feed: FeedService;
  clock: Clock;
  timezone: string;
  publicUrl: string;
  /** The longest clip a resident may send, in seconds. */
  maxSubmissionSeconds: number;
}

// Any text: a mistyped link must reach the friendly page, not a 400 problem.
const SlugParams = Type.Object({ slug: Type.String({ maxLength: 200 }) });
const IdParams = Type.Object({ id: Type.String({ maxLength: 200 }) });
// Not closed: WeChat and campaign links append their own parameters.
const Query = Type.Object({ lang: Type.Optional(Type.String({ description: 'zh or en; default: the browser’s language, else Chinese' })) });

const BRAND: Record<Lang, string> = { 'zh-CN': '邻播', en: 'Linbo' };
const NO_CHANNEL: Record<Lang, string> = { 'zh-CN': '找不到这个频道', en: 'Channel not found' };
const NO_CLIP: Record<Lang, string> = { 'zh-CN': '找不到这个视频', en: 'Video not found' };
const SUBMIT: Record<Lang, string> = { 'zh-CN': '投稿', en: 'Send a video' };

export const clipPageRoutes: FastifyPluginAsyncTypebox<ClipPageOptions> = async (app, options) => {
  const { feed, clock, timezone, publicUrl } = options;
  const secure = publicUrl.startsWith('https:');
  const tags = ['pages'];

  app.get(
    '/channels/:slug',
    { schema: { tags, summary: 'A channel’s page: upcoming broadcasts, then its clips and replays (vertical feed on phones, grid on wide screens)', params: SlugParams, querystring: Query, produces: ['text/html'] } },
    async (request, reply) => {
      const lang = pickLang(request);
      const viewer = deviceViewer(request, reply, secure);
      const channel = await feed.channelBySlug(request.params.slug);
      const boot: FeedBoot = { now: clock.now().toISOString(), timezone, lang, feed: channel ? await feed.feed(channel.id, viewer, {}) : null };
      reply.header('vary', 'accept-language');
      const title = channel ? `${channel.name} · ${BRAND[lang]}` : `${NO_CHANNEL[lang]} · ${BRAND[lang]}`;
      return sendPage(reply, { lang, title, app: 'player', entry: 'feed', boot, description: channel?.description || undefined }, channel ? 200 : 404);
    },
  );

  app.get(
    '/channels/:slug/submit',
    { schema: { tags, summary: 'The channel’s submission page: a resident sends a short video for review', params: SlugParams, querystring: Query, produces: ['text/html'] } },
    async (request, reply) => {
      const lang = pickLang(request);
      deviceViewer(request, reply, secure);
      const row = await feed.channelBySlug(request.params.slug);
      const channel = row ? { id: row.id, name: row.name, slug: row.slug } : null;
      const boot: SubmitBoot = { now: clock.now().toISOString(), timezone, lang, channel, maxSeconds: options.maxSubmissionSeconds, uploadUrl: `${publicUrl}/api/uploads` };
      reply.header('vary', 'accept-language');
      const title = channel ? `${SUBMIT[lang]} · ${channel.name}` : `${NO_CHANNEL[lang]} · ${BRAND[lang]}`;
      return sendPage(reply, { lang, title, app: 'player', entry: 'submit', boot }, channel ? 200 : 404);
    },
  );

  app.get(
    '/clips/:id',
    { schema: { tags, summary: 'One clip (published; the sending device also sees its own before that)', params: IdParams, querystring: Query, produces: ['text/html'] } },
    async (request, reply) => {
      const lang = pickLang(request);
      const found = await feed.clipFor(request.params.id, deviceViewer(request, reply, secure));
      const boot: ClipBoot = { now: clock.now().toISOString(), timezone, lang, clip: found?.clip ?? null, liked: found?.counts.liked ?? false };
      reply.header('vary', 'accept-language');
      if (!found) return sendPage(reply, { lang, title: `${NO_CLIP[lang]} · ${BRAND[lang]}`, app: 'player', entry: 'clip', boot }, 404);
      const { clip } = found;
      return sendPage(reply, { lang, title: `${clip.title} · ${clip.channel.name}`, app: 'player', entry: 'clip', boot, image: clip.state === 'published' ? clip.links.poster : null });
    },
  );
};
