// Plain-RTP ingest (ffmpeg, GStreamer, test feeds): two comedia PlainTransports, one per track, each
// latching onto the first sender that reaches it. mediasoup needs a producer's RTP parameters before the
// first packet, so the sender is told what to send: H.264 constrained baseline on payload type 102 and
// Opus on 111, with the SSRCs chosen here (see docs/decisions.md, "Plain-RTP ingest contract").
import { randomInt } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup';
import type { RtpIngest as RtpIngestDescription, RtpTrack } from '../../server/contracts/media.ts';
import { H264_PARAMETERS } from '../codecs.ts';
import { FeedFlow } from './flow.ts';
import { listenInfo, type IngestListen } from './listen.ts';

export const VIDEO_PAYLOAD_TYPE = 102;
export const AUDIO_PAYLOAD_TYPE = 111;

interface RtpIngestEvents {
  /** Packets arrive (first ones, or again after a silence). */
  flowing: [];
  /** No packets for a while. */
  silent: [];
  closed: [];
}

interface Track {
  readonly transport: types.PlainTransport;
  readonly producer: types.Producer;
  readonly description: RtpTrack;
}

export class RtpIngest extends EventEmitter<RtpIngestEvents> {
  readonly #ip: string;
  readonly #video: Track;
  readonly #audio: Track;
  readonly #flow: FeedFlow;
  #closed = false;

  static async create(router: types.Router, listen: IngestListen): Promise<RtpIngest> {
    const open = async (kind: types.MediaKind, codec: types.RtpCodecParameters): Promise<Track> => {
      // ffmpeg sends RTCP from a port of its own: with rtcpMux a comedia transport would latch onto that one.
      const transport = await router.createPlainTransport({ listenInfo: listenInfo(listen, 'udp'), rtcpMux: false, comedia: true });
      const ssrc = randomInt(1, 0x7fffffff);
      try {
        const producer = await transport.produce({ kind, rtpParameters: { codecs: [codec], encodings: [{ ssrc }] } });
        const description: RtpTrack = {
          port: transport.tuple.localPort,
          rtcpPort: transport.rtcpTuple!.localPort,
          payloadType: codec.payloadType,
          ssrc,
          codec: codec.mimeType.split('/')[1],
          clockRate: codec.clockRate,
          ...(codec.channels ? { channels: codec.channels } : {}),
        };
        return { transport, producer, description };
      } catch (err) {
        transport.close();
        throw err;
      }
    };
    const video = await open('video', { mimeType: 'video/H264', payloadType: VIDEO_PAYLOAD_TYPE, clockRate: 90000, parameters: H264_PARAMETERS });
    const audio = await open('audio', { mimeType: 'audio/opus', payloadType: AUDIO_PAYLOAD_TYPE, clockRate: 48000, channels: 2 }).catch((err) => {
      video.transport.close();
      throw err;
    });
    return new RtpIngest(listen.announcedIp, video, audio);
  }

  private constructor(ip: string, video: Track, audio: Track) {
    super();
    this.#ip = ip;
    this.#video = video;
    this.#audio = audio;
    this.#flow = new FeedFlow(video.producer);
    this.#flow.on('flowing', () => this.emit('flowing'));
    this.#flow.on('silent', () => this.emit('silent'));
  }

  get videoProducer(): types.Producer {
    return this.#video.producer;
  }

  get audioProducer(): types.Producer {
    return this.#audio.producer;
  }

  describe(): RtpIngestDescription {
    return { ip: this.#ip, video: this.#video.description, audio: this.#audio.description };
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#flow.close();
    this.#video.transport.close();
    this.#audio.transport.close();
    this.emit('closed');
  }
}

