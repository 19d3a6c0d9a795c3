// The socket edge: everything a client sends passes here before anything acts on it. Cheap checks
// first (rate, then parse, then the schema), so a flood costs a counter, not a JSON parse. Frame
// size is enforced by ws itself (maxPayload: close 1009 before the frame is even buffered whole).
import type { RawData } from 'ws';
import { Compile } from 'typebox/compile';
import type { Logger } from 'pino';
import { CLIENT_MESSAGE_TYPES, CLOSE, ClientMessage, STAFF_MESSAGE_TYPES, type ClientMessageType, type RealtimeErrorCode } from '../contracts/realtime.ts';
import { RealtimeError } from './domain.ts';
import { dispatch, type DispatchContext } from './dispatch.ts';
import type { Peer, TokenBucket } from './peer.ts';

// One validator per type: the type is checked first (UNKNOWN_TYPE), then only its own fields, so the
// error names the field that is wrong rather than every member of the union.
const checks = new Map(ClientMessage.anyOf.map((schema) => [schema.properties.type.const as string, Compile(schema)]));
const staffTypes = new Set<string>(STAFF_MESSAGE_TYPES);
/**
 * What a message costs beyond the one token every frame takes: a question lands in everyone's list,
 * so with the default rate a socket asks about one a second on average, four at once at most.
 */
const EXTRA_COST: Partial<Record<ClientMessageType, number>> = { 'question.ask': 3 };

export interface EdgeContext extends DispatchContext {
  logger: Logger;
  /** The bucket every socket from the peer's address shares. */
  addressBucket(peer: Peer): TokenBucket;
  now(): number;
}

export function receive(peer: Peer, data: RawData, isBinary: boolean, context: EdgeContext): void {
  if (peer.phase === 'closed') return;
  if (!admitted(peer, context)) return;
  const message = parse(peer, data, isBinary);
  if (!message) return;
  if ((peer.phase === 'hello') !== (message.type === 'hello')) {
    refuse(peer, 'HELLO_FIRST', peer.phase === 'hello' ? 'Send hello first' : 'hello is sent once', message.type);
    return;
  }
  if (staffTypes.has(message.type) && !peer.staff) {
    refuse(peer, 'FORBIDDEN', 'Only the broadcast’s host and moderators may do this', message.type);
    return;
  }
  const extra = peer.staff ? undefined : EXTRA_COST[message.type];
  if (extra !== undefined && !admitted(peer, context, { cost: extra, ref: message.type })) return;
  if (message.type === 'hello') peer.phase = 'syncing';
  peer.work = peer.work.then(() => act(peer, message, context));
}

async function act(peer: Peer, message: ClientMessage, context: EdgeContext): Promise<void> {
  if (peer.phase === 'closed') return;
  try {
    await dispatch(peer, message, context);
  } catch (err) {
    if (err instanceof RealtimeError) {
      refuse(peer, err.code, err.message, message.type, err.retryAfterMs);
      if (err.code === 'BANNED') peer.close(CLOSE.BANNED, 'banned');
      return;
    }
    context.logger.error({ err, broadcastId: peer.broadcastId, type: message.type }, 'channel: message failed');
    refuse(peer, 'SERVER_ERROR', 'The server could not do this just now; try again later', message.type);
    if (message.type === 'hello') peer.close(1011, 'server error');
  }
}

/**
 * Per socket, then per address (for each frame, not its cost). Only a socket's own flooding uses up
 * its grace and gets it closed: neighbours behind the same carrier NAT are refused, never closed, for
 * what others on their address sent.
 */
function admitted(peer: Peer, context: EdgeContext, extra?: { cost: number; ref: ClientMessageType }): boolean {
  const now = context.now();
  const own = extra ? peer.bucket.take(now, extra.cost) : peer.bucket.take(now);
  const wait = own || (extra ? 0 : context.addressBucket(peer).take(now));
  if (wait === 0) return true;
  if (own > 0 && peer.grace.take(now) > 0) {
    peer.close(CLOSE.FLOODING, 'flooding');
    return false;
  }
  refuse(peer, 'RATE_LIMITED', 'Too many messages; slow down', extra?.ref, wait);
  return false;
}

function parse(peer: Peer, data: RawData, isBinary: boolean): ClientMessage | undefined {
  let value: unknown;
  try {
    if (isBinary) throw new Error('binary');
    value = JSON.parse(String(data));
  } catch {
    refuse(peer, 'MALFORMED_JSON', 'Frames are JSON text');
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    refuse(peer, 'MALFORMED_JSON', 'A message is a JSON object with a type');
    return undefined;
  }
  const type = (value as { type?: unknown }).type;
  const check = typeof type === 'string' ? checks.get(type) : undefined;
  if (!check) {
    refuse(peer, 'UNKNOWN_TYPE', `Unknown message type; known: ${CLIENT_MESSAGE_TYPES.join(', ')}`, typeof type === 'string' ? type.slice(0, 40) : undefined);
    return undefined;
  }
  if (!check.Check(value)) {
    const first = check.Errors(value)[0];
    const where = first ? `${first.instancePath || '/'} ${first.message}` : 'fields do not match';
    refuse(peer, 'INVALID_MESSAGE', `Invalid ${String(type)}: ${where}`, String(type));
    return undefined;
  }
  // Checked against its own member of the union just above; the map's type cannot carry which one.
  return value as ClientMessage;
}

function refuse(peer: Peer, code: RealtimeErrorCode, message: string, ref?: ClientMessageType | string, retryAfterMs?: number): void {
  peer.send({ type: 'error', code, message, ...(ref === undefined ? {} : { ref }), ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
}
