// The channel feed, follows, likes and views: public routes residents' pages call without an account.
// The device is the linbo_device cookie (set here when missing); responses vary by it, so none is
// cached by a shared proxy.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ChannelFeed, ClipCounts, FeedQuery, FollowState } from '../contracts/clips.ts';
import { IdParams } from '../contracts/common.ts';
import { deviceViewer } from './device.ts';
import type { FeedService } from './service.ts';

export interface FeedRouteOptions {
  feed: FeedService;
  secureCookies: boolean;
}

const tags = ['feed'];

// The feed names the Broadcast schema twice (upcoming, replays), and the serializer refuses a schema
// whose $id appears twice: the response schema is the same shape with the nested $ids dropped.
const withoutIds = (node: unknown): unknown =>
  Array.isArray(node) ? node.map(withoutIds) : node && typeof node === 'object' ? Object.fromEntries(Object.entries(node).filter(([k]) => k !== '$id').map(([k, v]) => [k, withoutIds(v)])) : node;
const FeedResponse = withoutIds(ChannelFeed) as typeof ChannelFeed;

export const feedRoutes: FastifyPluginAsyncTypebox<FeedRouteOptions> = async (app, { feed, secureCookies }) => {
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'private, no-store');
  });
  const viewer = (request: Parameters<typeof deviceViewer>[0], reply: Parameters<typeof deviceViewer>[1]) => deviceViewer(request, reply, secureCookies);

  app.get(
    '/api/channels/:id/feed',
    {
      schema: {
        tags,
        summary: 'A channel’s feed: upcoming broadcasts, then published clips and replays newest first (page on with `before` = nextCursor)',
        params: IdParams,
        querystring: FeedQuery,
        response: { 200: FeedResponse },
      },
    },
    (request, reply) => feed.feed(request.params.id, viewer(request, reply), request.query),
  );

  for (const [method, on] of [['PUT', true], ['DELETE', false]] as const) {
    app.route({
      method,
      url: '/api/channels/:id/follow',
      schema: { tags, summary: on ? 'This device follows the channel' : 'This device stops following the channel', params: IdParams, response: { 200: FollowState } },
      handler: (request, reply) => feed.follow(request.params.id, viewer(request, reply), on),
    });
    app.route({
      method: on ? 'POST' : 'DELETE',
      url: '/api/clips/:id/like',
      schema: { tags, summary: on ? 'This device likes the published clip (once, however often it asks)' : 'This device takes its like back', params: IdParams, response: { 200: ClipCounts } },
      handler: (request, reply) => feed.like(request.params.id, viewer(request, reply), on),
    });
  }

  app.post(
    '/api/clips/:id/view',
    { schema: { tags, summary: 'This device played the published clip (counted once per device)', params: IdParams, response: { 200: ClipCounts } } },
    (request, reply) => feed.view(request.params.id, viewer(request, reply)),
  );
};
