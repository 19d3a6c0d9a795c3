// The picture a video producer really sends, from the sizes its keyframes carry (H.264: the SPS; VP8: the
// keyframe header) while a DirectTransport consumer hands its RTP to this process. A browser sender
// starts small and climbs as its bandwidth estimate grows, so the producer is asked for a keyframe at a
// steady pace (each shows the sender's current size) and the largest size seen wins; a keyframe at the
// size the sender declared ends the watch at once (an RTP sender is at its size from its first keyframe).
import type { types } from 'mediasoup';
import { plainReceiverCapabilities, videoSourceCodec } from '../codecs.ts';
import type { SourceCodec } from '../transcode/ladder.ts';
import { rtpPayload, spsInRtpPayload, spsPictureSize } from './h264-sps.ts';
import { vp8KeyframeSize } from './vp8-keyframe.ts';

export type PictureSize = { width: number; height: number };

export interface SettleOptions {
  /** The size the sender declared (plain-RTP request, studio capture); none from a WHIP offer. */
  readonly declared?: PictureSize;
  /** The longest the keyframes are watched. */
  readonly windowMs: number;
  /** How often the producer is asked for a keyframe meanwhile. */
  readonly keyframeRequestMs: number;
}

export interface SettledSize {
  /** The largest keyframe seen; undefined when none came within the window. */
  readonly size: PictureSize | undefined;
  /** Each size seen, once, in the order it first came. */
  readonly seen: readonly PictureSize[];
}

function h264KeyframeSize(payload: Buffer): PictureSize | undefined {
  for (const sps of spsInRtpPayload(payload)) {
    try {
      return spsPictureSize(sps);
    } catch {
      // a damaged SPS: wait for the next one
    }
  }
  return undefined;
}

const KEYFRAME_SIZE: Readonly<Record<SourceCodec, (payload: Buffer) => PictureSize | undefined>> = { h264: h264KeyframeSize, vp8: vp8KeyframeSize };

const sameSize = (a: PictureSize) => (b: PictureSize) => a.width === b.width && a.height === b.height;

/** Watches the producer's keyframes for at most `windowMs`; see the module comment. */
export async function settleFeedSize(router: types.Router, producer: types.Producer, options: SettleOptions): Promise<SettledSize> {
  const { mimeType, codec } = videoSourceCodec(producer.rtpParameters);
  const sizeOf = KEYFRAME_SIZE[codec];
  const seen: PictureSize[] = [];
  const transport = await router.createDirectTransport();
  try {
    // A new consumer asks the producer for a keyframe itself; the timer asks again every keyframeRequestMs.
    const consumer = await transport.consume({ producerId: producer.id, rtpCapabilities: plainReceiverCapabilities(router, mimeType) });
    await new Promise<void>((resolve) => {
      const asking = setInterval(() => void consumer.requestKeyFrame().catch(() => {}), options.keyframeRequestMs);
      const settled = () => {
        clearTimeout(deadline);
        clearInterval(asking);
        resolve();
      };
      const deadline = setTimeout(settled, options.windowMs);
      consumer.on('producerclose', settled);
      consumer.on('rtp', (packet) => {
        const payload = rtpPayload(packet);
        const size = payload && sizeOf(payload);
        if (!size) return;
        if (!seen.some(sameSize(size))) seen.push(size);
        if (options.declared && sameSize(options.declared)(size)) settled();
      });
    });
  } finally {
    transport.close();
  }
  const size = seen.reduce<PictureSize | undefined>((largest, s) => (!largest || s.width * s.height > largest.width * largest.height ? s : largest), undefined);
  return { size, seen };
}
