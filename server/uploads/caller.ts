// Who is uploading: a staff member (bearer token or the console's session cookie, any active role), or
// else a resident's device (the linbo_device cookie the submission page sets). Stored with the upload as
// `owner`, so only the same person resumes, and only they finish it.
import type { FastifyRequest } from 'fastify';
import type { Account } from '../accounts/service.ts';
import { tokenOf } from '../auth/guard.ts';
import type { AuthService } from '../auth/service.ts';
import { ApiError } from '../http/errors.ts';
import { DEVICE_COOKIE, DEVICE_PATTERN, viewerIdOf } from '../realtime/identity.ts';

export type Caller =
  | { readonly kind: 'staff'; readonly account: Account }
  | { readonly kind: 'resident'; readonly viewerId: string; readonly ip: string };

export async function callerOf(request: FastifyRequest, auth: AuthService): Promise<Caller> {
  const token = tokenOf(request);
  const account = token ? await auth.authenticate(token) : undefined;
  if (account) return { kind: 'staff', account };
  const device = request.cookies?.[DEVICE_COOKIE];
  if (!device || !DEVICE_PATTERN.test(device)) {
    throw new ApiError('UPLOAD_DEVICE_REQUIRED', `Staff: log in. Residents: send from the channel's submission page (it sets the ${DEVICE_COOKIE} cookie).`);
  }
  return { kind: 'resident', viewerId: viewerIdOf(device), ip: request.ip };
}

/** What an upload records of who began it (never the raw device token). */
export const ownerOf = (caller: Caller): string => (caller.kind === 'staff' ? `staff:${caller.account.id}` : `resident:${caller.viewerId}`);
