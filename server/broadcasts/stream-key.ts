import { randomBytes } from 'node:crypto';

/** A broadcast's ingest secret: 192 random bits, URL-safe, prefixed so it is recognisable in a leak. */
export const newStreamKey = (): string => `lb_${randomBytes(24).toString('base64url')}`;
