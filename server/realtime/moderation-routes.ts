// Moderation over REST: the site-wide word list (editors, admins) and a broadcast's audience numbers
// (staff; a host only for its own broadcast). The live actions (hide, ban, pin...) go over the channel.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IdParams } from '../contracts/common.ts';
import { Audience, PutWordListBody, WordList } from '../contracts/moderation.ts';
import { guard, staffOf } from '../auth/guard.ts';
import type { AuthService } from '../auth/service.ts';
import type { RealtimeService } from './service.ts';

const tags = ['moderation'];

export const moderationRoutes: FastifyPluginAsyncTypebox<{ realtime: RealtimeService; auth: AuthService }> = async (app, { realtime, auth }) => {
  const editors = guard(auth, 'admin', 'editor');

  app.get(
    '/api/moderation/words',
    { schema: { tags, summary: 'The words and phrases refused in questions and chat (editor, admin)', response: { 200: WordList } }, preHandler: editors },
    async () => ({ words: await realtime.words() }),
  );
  app.put(
    '/api/moderation/words',
    {
      schema: {
        tags,
        summary: 'Replace the word list (editor, admin); applies to the next question or message on every broadcast',
        body: PutWordListBody,
        response: { 200: WordList },
      },
      preHandler: editors,
    },
    async (request) => ({ words: await realtime.replaceWords(request.body.words) }),
  );
  app.get(
    '/api/broadcasts/:id/audience',
    {
      schema: {
        tags: ['broadcasts', ...tags],
        summary: "A broadcast's audience: likes, peak and total viewers, questions (staff; a host only for its own broadcast)",
        params: IdParams,
        response: { 200: Audience },
      },
      preHandler: guard(auth),
    },
    (request) => realtime.audienceFor(staffOf(request), request.params.id),
  );
};
