import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AccountSchema, CreateAccountBody, UpdateAccountBody } from '../contracts/auth.ts';
import { IdParams } from '../contracts/common.ts';
import { guard, staffOf } from '../auth/guard.ts';
import type { AuthService } from '../auth/service.ts';
import type { AccountService } from './service.ts';

export const accountRoutes: FastifyPluginAsyncTypebox<{ accounts: AccountService; auth: AuthService }> = async (app, { accounts, auth }) => {
  const adminOnly = guard(auth, 'admin');
  app.get(
    '/api/accounts',
    { schema: { tags: ['accounts'], summary: 'List staff accounts (admin)', response: { 200: Type.Array(AccountSchema) } }, preHandler: guard(auth, 'admin', 'editor') },
    () => accounts.list(),
  );
  app.post(
    '/api/accounts',
    { schema: { tags: ['accounts'], summary: 'Create a staff account (admin)', body: CreateAccountBody, response: { 201: AccountSchema } }, preHandler: adminOnly },
    async (request, reply) => reply.status(201).send(await accounts.create(request.body)),
  );
  app.patch(
    '/api/accounts/:id',
    { schema: { tags: ['accounts'], summary: 'Change, disable or reset an account (admin)', params: IdParams, body: UpdateAccountBody, response: { 200: AccountSchema } }, preHandler: adminOnly },
    (request) => accounts.update(staffOf(request).id, request.params.id, request.body),
  );
};
