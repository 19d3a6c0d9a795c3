// WHIP ingest (RFC 9725): one publisher's WebRtcTransport and its two producers, built from the SDP
// offer through the bridge. mediasoup is ICE-lite and learns the publisher's address from its STUN
// checks, so trickled candidates are not needed. The session closes when its publisher is gone
// (webrtc-transport.ts) or when DTLS has not connected within CONNECT_TIMEOUT_MS. The answer may take
// any codec of the router (media/codecs.ts): the live transcoder takes each of them, H.264 before VP8.
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup';
import type { IngestListen } from './listen.ts';
import { CONNECT_TIMEOUT_MS, closeWhenAbandoned, createPublisherTransport } from './webrtc-transport.ts';
import { FeedFlow } from './flow.ts';
import { buildAnswer, planOffer } from './sdp-bridge.ts';

interface WhipIngestEvents {
  /** Media arrives (first time, or again after a silence). */
  flowing: [];
  /** No media for a while, or the session closed while media flowed. */
  silent: [];
  closed: [];
}

export class WhipIngest extends EventEmitter<WhipIngestEvents> {
  readonly sessionId = randomUUID();
  readonly videoProducer: types.Producer;
  readonly audioProducer: types.Producer;
  readonly #transport: types.WebRtcTransport;
  readonly #flow: FeedFlow;
  readonly #stopWatching: () => void;
  #closed = false;

  /** Throws WhipOfferError for an offer that cannot be answered (nothing is left open then). */
  static async create(router: types.Router, offer: string, listen: IngestListen): Promise<{ ingest: WhipIngest; answer: string }> {
    const plan = planOffer(offer, router.rtpCapabilities);
    const transport = await createPublisherTransport(router, listen);
    try {
      await transport.connect({ dtlsParameters: plan.dtlsParameters });
      const producers = new Map<types.MediaKind, types.Producer>();
      for (const { kind, rtpParameters } of plan.producers) producers.set(kind, await transport.produce({ kind, rtpParameters }));
      const answer = buildAnswer(plan, transport);
      return { ingest: new WhipIngest(transport, producers.get('video')!, producers.get('audio')!), answer };
    } catch (err) {
      transport.close();
      throw err;
    }
  }

  private constructor(transport: types.WebRtcTransport, video: types.Producer, audio: types.Producer) {
    super();
    this.#transport = transport;
    this.videoProducer = video;
    this.audioProducer = audio;
    this.#stopWatching = closeWhenAbandoned(transport, () => this.close(), CONNECT_TIMEOUT_MS);
    this.#flow = new FeedFlow(video);
    this.#flow.on('flowing', () => this.emit('flowing'));
    this.#flow.on('silent', () => this.emit('silent'));
  }

  /** Ends the session (DELETE, a vanished publisher, or the broadcast's end). Safe to call twice. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#flow.close();
    this.#stopWatching();
    this.#transport.close();
    if (this.#flow.flowing) this.emit('silent');
    this.emit('closed');
  }
}
