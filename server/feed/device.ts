// The resident's device on plain HTTP routes and pages: the linbo_device cookie the realtime channel
// also uses (server/realtime/identity.ts), set on the response when the request had none, so a like,
// a follow or a submission made now is recognised on the next visit.
import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DEVICE_COOKIE, DEVICE_PATTERN, deviceCookie, viewerIdOf } from '../realtime/identity.ts';

/** The device's public viewer id; the raw token never leaves this function except in the cookie. */
export function deviceViewer(request: FastifyRequest, reply: FastifyReply, secure: boolean): string {
  const known = request.cookies[DEVICE_COOKIE];
  if (known && DEVICE_PATTERN.test(known)) return viewerIdOf(known);
  const device = randomBytes(24).toString('base64url');
  reply.header('set-cookie', deviceCookie(device, secure));
  return viewerIdOf(device);
}
