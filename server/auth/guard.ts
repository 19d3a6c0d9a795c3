// Who is calling: a bearer token (API clients) or the console's session cookie. Routes declare the
// roles they allow; residents' routes declare none and need no account.
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { ApiError } from '../http/errors.ts';
import type { Account } from '../accounts/service.ts';
import type { Role } from '../accounts/store.ts';
import type { AuthService } from './service.ts';

export const SESSION_COOKIE = 'linbo_session';

declare module 'fastify' {
  interface FastifyRequest {
    staff: Account | null;
  }
}

/** Takes the parts it reads, so the realtime channel's upgrade (no Fastify request) can use it too. */
export function tokenOf(request: Pick<FastifyRequest, 'headers' | 'cookies'>): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim() || undefined;
  return request.cookies?.[SESSION_COOKIE] || undefined;
}

/** A preHandler admitting the given roles (all staff when none are given). */
export function guard(auth: AuthService, ...roles: Role[]): preHandlerAsyncHookHandler {
  return async function (request: FastifyRequest, _reply: FastifyReply) {
    const token = tokenOf(request);
    const staff = token ? await auth.authenticate(token) : undefined;
    if (!staff) throw new ApiError('UNAUTHENTICATED');
    if (roles.length > 0 && !roles.includes(staff.role)) {
      throw new ApiError('FORBIDDEN', `This needs the role ${roles.join(' or ')}; you are ${staff.role}`);
    }
    request.staff = staff;
  };
}

/**
 * A preHandler for routes residents use too: it notes who is calling when a valid token comes along,
 * and treats anything else (none, expired, revoked) as a resident rather than refusing.
 */
export function identify(auth: AuthService): preHandlerAsyncHookHandler {
  return async function (request: FastifyRequest, _reply: FastifyReply) {
    const token = tokenOf(request);
    request.staff = (token && (await auth.authenticate(token))) || null;
  };
}

/** The staff member a guarded route runs for. */
export function staffOf(request: FastifyRequest): Account {
  if (!request.staff) throw new ApiError('UNAUTHENTICATED');
  return request.staff;
}
