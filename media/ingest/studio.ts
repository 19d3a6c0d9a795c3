// The studio page's ingest: a WebRtcTransport driven step by step by mediasoup-client (connect, then
// produce video and audio) instead of one SDP offer as WHIP does. The feed counts as arriving only once
// both producers exist; like a WHIP session it closes when ICE disconnects, DTLS fails, or DTLS has not
// connected within CONNECT_TIMEOUT_MS.
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup';
import type { StudioSession } from '../../server/contracts/studio.ts';
import { sourceCodecOf } from '../codecs.ts';
import { FeedFlow } from './flow.ts';
import type { IngestListen } from './listen.ts';
import { CONNECT_TIMEOUT_MS, closeWhenAbandoned, createPublisherTransport } from './webrtc-transport.ts';

/** A signalling step the node cannot take; `code` is the API's error code. */
export class StudioStepError extends Error {
  readonly code: 'STUDIO_BAD_PARAMETERS';

  constructor(message: string) {
    super(message);
    this.code = 'STUDIO_BAD_PARAMETERS';
  }
}

export class StudioIngest extends EventEmitter<{ flowing: []; silent: []; closed: [] }> {
  readonly sessionId = randomUUID();
  readonly #transport: types.WebRtcTransport;
  readonly #routerCapabilities: types.RtpCapabilities;
  readonly #producers = new Map<types.MediaKind, types.Producer>();
  readonly #stopWatching: () => void;
  #flow: FeedFlow | undefined;
  #closed = false;

  static async create(router: types.Router, listen: IngestListen): Promise<StudioIngest> {
    const transport = await createPublisherTransport(router, listen);
    return new StudioIngest(transport, router.rtpCapabilities);
  }

  private constructor(transport: types.WebRtcTransport, routerCapabilities: types.RtpCapabilities) {
    super();
    this.#transport = transport;
    this.#routerCapabilities = routerCapabilities;
    this.#stopWatching = closeWhenAbandoned(transport, () => this.close(), CONNECT_TIMEOUT_MS);
  }

  /** What the page's mediasoup-client needs: the router's capabilities and the send transport. */
  describe(): StudioSession {
    const t = this.#transport;
    return {
      sessionId: this.sessionId,
      // Every codec of the router is one the live transcoder takes; the page prefers H.264 (media/codecs.ts).
      routerRtpCapabilities: { ...this.#routerCapabilities },
      transport: {
        id: t.id,
        iceParameters: { ...t.iceParameters },
        iceCandidates: t.iceCandidates.map((c) => ({ ...c })),
        dtlsParameters: { ...t.dtlsParameters },
      },
    };
  }

  get videoProducer(): types.Producer {
    return this.#producer('video');
  }

  get audioProducer(): types.Producer {
    return this.#producer('audio');
  }

  #producer(kind: types.MediaKind): types.Producer {
    const producer = this.#producers.get(kind);
    if (!producer) throw new Error(`the studio has not produced ${kind} yet`);
    return producer;
  }

  async connect(dtlsParameters: types.DtlsParameters): Promise<void> {
    try {
      await this.#transport.connect({ dtlsParameters });
    } catch (err) {
      throw new StudioStepError(`DTLS parameters refused: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** One producer per kind; the feed starts counting once both exist. Returns the producer's id. */
  async produce(kind: types.MediaKind, rtpParameters: types.RtpParameters): Promise<string> {
    if (this.#producers.has(kind)) throw new StudioStepError(`This session already sends ${kind}`);
    const mimeType = rtpParameters.codecs[0]?.mimeType;
    if (kind === 'video' && !sourceCodecOf(mimeType ?? '')) throw new StudioStepError(`The live transcoder takes H.264 or VP8 video; this sends ${mimeType}`);
    let producer: types.Producer;
    try {
      producer = await this.#transport.produce({ kind, rtpParameters });
    } catch (err) {
      throw new StudioStepError(`${kind} parameters refused: ${err instanceof Error ? err.message : String(err)}`);
    }
    this.#producers.set(kind, producer);
    if (this.#producers.size === 2 && !this.#flow) {
      this.#flow = new FeedFlow(this.videoProducer);
      this.#flow.on('flowing', () => this.emit('flowing'));
      this.#flow.on('silent', () => this.emit('silent'));
    }
    return producer.id;
  }

  /** Ends the session (the page's DELETE, a vanished publisher, or the broadcast's end). Safe to call twice. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#flow?.close();
    this.#stopWatching();
    this.#transport.close();
    if (this.#flow?.flowing) this.emit('silent');
    this.emit('closed');
  }
}
