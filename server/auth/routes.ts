import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AccountSchema, LoginBody, LoginReply } from '../contracts/auth.ts';
import { SESSION_COOKIE, guard, staffOf, tokenOf } from './guard.ts';
import type { AuthService } from './service.ts';

export const authRoutes: FastifyPluginAsyncTypebox<{ auth: AuthService; secureCookies: boolean }> = async (app, { auth, secureCookies }) => {
  app.post(
    '/api/auth/login',
    { schema: { tags: ['auth'], summary: 'Log in; returns a bearer token and sets the session cookie', body: LoginBody, response: { 200: LoginReply } } },
    async (request, reply) => {
      const { token, expiresAt, account } = await auth.login(request.body.username, request.body.password, request.ip);
      reply.setCookie(SESSION_COOKIE, token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: secureCookies,
        expires: expiresAt,
      });
      return { token, expiresAt: expiresAt.toISOString(), account };
    },
  );

  app.post(
    '/api/auth/logout',
    { schema: { tags: ['auth'], summary: 'Revoke the current token or session', response: { 204: Type.Null() } }, preHandler: guard(auth) },
    async (request, reply) => {
      const token = tokenOf(request);
      if (token) await auth.logout(token);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/auth/me',
    { schema: { tags: ['auth'], summary: 'The logged-in staff account', response: { 200: AccountSchema } }, preHandler: guard(auth) },
    async (request) => staffOf(request),
  );
};
