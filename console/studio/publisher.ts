// Publishing with mediasoup-client over the studio signalling: one send transport, video (H.264 so the
// top rung passes through; VP8 when the browser has no H.264 and the node offers it) kept at its capture size
// (maintain-resolution: the ladder is planned from it), and Opus sound.
import { Device, type types } from 'mediasoup-client';
import { api } from '../lib/api.ts';
import { t } from '../lib/i18n.ts';
import type { StudioSession } from '../../server/contracts/studio.ts';

function videoCodec(device: Device): types.RtpCodecCapability | undefined {
  const codecs = device.sendRtpCapabilities.codecs ?? [];
  const h264 = codecs.find((c) => c.mimeType.toLowerCase() === 'video/h264' && Number(c.parameters?.['packetization-mode']) === 1);
  return h264 ?? codecs.find((c) => c.mimeType.toLowerCase() === 'video/vp8');
}

export class Publisher {
  readonly #base: string;
  readonly #transport: types.Transport;
  readonly #producers: types.Producer[] = [];
  #closed = false;

  static async start(broadcastId: string, stream: MediaStream, onDropped: () => void): Promise<Publisher> {
    const video = stream.getVideoTracks()[0];
    const settings = video.getSettings();
    const base = `/api/broadcasts/${broadcastId}/studio/session`;
    const session = await api<StudioSession>('POST', base, { width: settings.width ?? 1280, height: settings.height ?? 720, fps: Math.round(settings.frameRate ?? 30) });
    const sessionUrl = `${base}/${session.sessionId}`;
    try {
      const device = await Device.factory();
      await device.load({ routerRtpCapabilities: session.routerRtpCapabilities as unknown as types.RtpCapabilities });
      const transport = device.createSendTransport(session.transport as unknown as types.TransportOptions);
      const publisher = new Publisher(sessionUrl, transport, onDropped);
      await publisher.#produce(device, stream);
      return publisher;
    } catch (err) {
      await api('DELETE', sessionUrl).catch(() => {});
      throw err;
    }
  }

  private constructor(sessionUrl: string, transport: types.Transport, onDropped: () => void) {
    this.#base = sessionUrl;
    this.#transport = transport;
    transport.on('connect', ({ dtlsParameters }, done, fail) => {
      api('POST', `${sessionUrl}/connect`, { dtlsParameters }).then(() => done(), fail);
    });
    transport.on('produce', ({ kind, rtpParameters }, done, fail) => {
      api<{ producerId: string }>('POST', `${sessionUrl}/produce`, { kind, rtpParameters }).then(({ producerId }) => done({ id: producerId }), fail);
    });
    transport.on('connectionstatechange', (state) => {
      if ((state === 'failed' || state === 'disconnected') && !this.#closed) onDropped();
    });
  }

  async #produce(device: Device, stream: MediaStream): Promise<void> {
    const video = stream.getVideoTracks()[0];
    const audio = stream.getAudioTracks()[0];
    video.contentHint = 'detail';
    const codec = videoCodec(device);
    if (!codec || !device.canProduce('audio')) throw new Error(t('studio.unsupported'));
    const videoProducer = await this.#transport.produce({ track: video, codec, stopTracks: false });
    this.#producers.push(videoProducer);
    const sender = videoProducer.rtpSender;
    if (sender) {
      const parameters = sender.getParameters();
      (parameters as RTCRtpSendParameters & { degradationPreference?: string }).degradationPreference = 'maintain-resolution';
      await sender.setParameters(parameters);
    }
    if (audio) this.#producers.push(await this.#transport.produce({ track: audio, stopTracks: false }));
  }

  /** Another camera or microphone chosen while live. */
  async replace(stream: MediaStream): Promise<void> {
    for (const producer of this.#producers) {
      const track = producer.kind === 'video' ? stream.getVideoTracks()[0] : stream.getAudioTracks()[0];
      if (track) await producer.replaceTrack({ track });
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const producer of this.#producers) producer.close();
    this.#transport.close();
    await api('DELETE', this.#base).catch(() => {});
  }
}
