// Who is on the other end of a channel socket. Residents have no account: a random device token in
// a cookie (or sent back in `hello.device` where third-party cookies do not stick) names the device;
// others only ever see a hash of it, so a viewerId shown next to a question cannot be replayed as
// that device. Staff are recognised by the console's session cookie or a bearer token.
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { fastifyCookie } from '@fastify/cookie';
import type { Account } from '../accounts/service.ts';
import type { AuthService } from '../auth/service.ts';
import { tokenOf } from '../auth/guard.ts';
import type { ChannelRole } from '../contracts/realtime.ts';

export const DEVICE_COOKIE = 'linbo_device';
/** What a device token this service gives out looks like; anything else in the cookie is ignored. */
export const DEVICE_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;
const YEAR_SECONDS = 365 * 24 * 3600;

export interface UpgradeIdentity {
  /** The device token the cookie carried, or a new one the upgrade response sets. */
  device: string;
  /** The token is new: the upgrade response must carry its Set-Cookie. */
  fresh: boolean;
  staff: Account | null;
}

/**
 * `origin` is the service's own: a page elsewhere opening the channel in a signed-in editor's browser
 * (cross-site WebSocket hijacking) gets a viewer, since the session cookie counts only from our pages.
 */
export async function identifyUpgrade(request: IncomingMessage, auth: AuthService, origin: string): Promise<UpgradeIdentity> {
  const cookies = request.headers.cookie ? fastifyCookie.parse(request.headers.cookie) : {};
  const sameOrigin = !request.headers.origin || request.headers.origin === origin;
  const token = tokenOf({ headers: request.headers, cookies: sameOrigin ? cookies : {} });
  const staff = (token && (await auth.authenticate(token))) || null;
  const known = cookies[DEVICE_COOKIE];
  if (known && DEVICE_PATTERN.test(known)) return { device: known, fresh: false, staff };
  return { device: randomBytes(24).toString('base64url'), fresh: true, staff };
}

/** HttpOnly: page scripts never need it (the server echoes it in `welcome.device` for those that must keep it themselves). */
export function deviceCookie(device: string, secure: boolean): string {
  return fastifyCookie.serialize(DEVICE_COOKIE, device, { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge: YEAR_SECONDS });
}

/** Public and stable per device; 96 bits, so two devices at one gala do not collide. */
export function viewerIdOf(device: string): string {
  return createHash('sha256').update(device).digest('base64url').slice(0, 16);
}

/** The broadcast's assigned host hosts; other editors and admins moderate every broadcast; anyone else watches. */
export function roleOf(staff: Account | null, hostId: string | null): ChannelRole {
  if (!staff) return 'viewer';
  if (staff.id === hostId) return 'host';
  return staff.role === 'admin' || staff.role === 'editor' ? 'moderator' : 'viewer';
}
