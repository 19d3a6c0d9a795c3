// The picture an H.264 producer really sends, from the first SPS it forwards: a DirectTransport consumer
// hands the RTP to this process for a moment (a new consumer asks the sender for a keyframe, and an RTP
// sender following the ingest contract sends one every second anyway).
import type { types } from 'mediasoup';
import { plainReceiverCapabilities } from '../codecs.ts';
import { rtpPayload, spsInRtpPayload, spsPictureSize } from './h264-sps.ts';

export type PictureSize = { width: number; height: number };

/** The size in the producer's first SPS; undefined when none comes within `timeoutMs`. */
export async function feedPictureSize(router: types.Router, producer: types.Producer, timeoutMs: number): Promise<PictureSize | undefined> {
  const transport = await router.createDirectTransport();
  try {
    const consumer = await transport.consume({ producerId: producer.id, rtpCapabilities: plainReceiverCapabilities(router, 'video/H264') });
    return await new Promise<PictureSize | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), timeoutMs);
      consumer.on('rtp', (packet) => {
        for (const sps of spsInRtpPayload(rtpPayload(packet) ?? Buffer.alloc(0))) {
          try {
            const size = spsPictureSize(sps);
            clearTimeout(timer);
            resolve(size);
            return;
          } catch {
            // a damaged SPS: wait for the next one
          }
        }
      });
    });
  } finally {
    transport.close();
  }
}
