// Who may publish over WHIP (RFC 9725 §4.1: the bearer token): the broadcast's stream key, or the
// login of its assigned host or of an editor/admin, which the studio page and API clients have at hand.
// A rotated key stops working at once because the key is read from the broadcast on every request.
import { timingSafeEqual } from 'node:crypto';
import type { AuthService } from '../auth/service.ts';
import type { BroadcastService } from '../broadcasts/service.ts';
import type { Broadcast } from '../contracts/broadcasts.ts';
import { ApiError } from '../http/errors.ts';
import type { MediaNodeService } from '../media-nodes/service.ts';

export interface WhipDeps {
  broadcasts: BroadcastService;
  auth: AuthService;
  mediaNodes: MediaNodeService;
}

const sameSecret = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

export class WhipService {
  readonly #deps: WhipDeps;

  constructor(deps: WhipDeps) {
    this.#deps = deps;
  }

  /** The broadcast, once `token` proves the caller may feed it. */
  async #authorise(broadcastId: string, token: string | undefined): Promise<Broadcast> {
    if (!token) throw new ApiError('UNAUTHENTICATED', 'Send the stream key as Authorization: Bearer <key>');
    const broadcast = await this.#deps.broadcasts.get(broadcastId);
    if (broadcast.streamKey && sameSecret(token, broadcast.streamKey)) return broadcast;
    const account = await this.#deps.auth.authenticate(token);
    if (!account) throw new ApiError('INVALID_STREAM_KEY');
    return this.#deps.broadcasts.assertMayIngest(account, broadcastId);
  }

  /** Answers a publisher's offer; the broadcast must still take a feed (scheduled, or live and not fed). */
  async publish(broadcastId: string, token: string | undefined, offer: string): Promise<{ answer: string; sessionUrl: string; sessionId: string }> {
    const broadcast = await this.#authorise(broadcastId, token);
    if (broadcast.state !== 'scheduled' && broadcast.state !== 'live') {
      throw new ApiError('INGEST_NOT_ALLOWED', `The broadcast is ${broadcast.state}`, { state: broadcast.state });
    }
    // Its stream key opens no feed either: a premiere plays its clip.
    if (broadcast.kind === 'premiere') throw new ApiError('INGEST_NOT_ALLOWED', 'A premiere plays its clip and takes no feed', { kind: 'premiere' });
    const { sessionId, answer } = await this.#deps.mediaNodes.offerWhip(broadcastId, offer);
    // Absolute, under PUBLIC_URL like links.whip: not every client resolves a relative Location.
    return { answer, sessionId, sessionUrl: `${broadcast.links.whip}/${sessionId}` };
  }

  /** DELETE on the session: the publisher is done; the broadcast ends after its grace period unless fed again. */
  async end(broadcastId: string, sessionId: string, token: string | undefined): Promise<void> {
    await this.#authorise(broadcastId, token);
    this.#deps.mediaNodes.closeWhip(broadcastId, sessionId);
  }

  /** Trickle and ICE restart PATCHes are authorised like the rest of the session. */
  async assertMayPatch(broadcastId: string, token: string | undefined): Promise<void> {
    await this.#authorise(broadcastId, token);
  }
}
