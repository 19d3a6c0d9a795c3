// The media node's side of the studio page's signalling: each step (open, connect, produce, close) is
// one bus request answered with studio.opened / studio.done or a studio.refused naming the API's code.
// A session belongs to one broadcast; a step naming another session (ended, or superseded) is refused.
import type { types } from 'mediasoup';
import type { Logger } from 'pino';
import type { ControlMessage, NodeBus, SourceVideo } from '../server/contracts/media.ts';
import { StudioIngest, StudioStepError } from './ingest/studio.ts';
import type { IngestListen } from './ingest/listen.ts';
import type { FeedIngest, LiveBroadcast } from './live/broadcast.ts';

type StudioMessage = Extract<ControlMessage, { type: 'studio.open' | 'studio.connect' | 'studio.produce' | 'studio.close' }>;

/** What the signalling needs from its node. */
export interface StudioHost {
  readonly nodeId: string;
  readonly bus: NodeBus;
  readonly logger: Logger;
  readonly listen: IngestListen;
  running(broadcastId: string): Promise<LiveBroadcast> | undefined;
  open(broadcastId: string, source: SourceVideo, openIngest: (router: types.Router) => Promise<FeedIngest>): Promise<LiveBroadcast>;
}

async function sessionOf(host: StudioHost, broadcastId: string, sessionId: string): Promise<StudioIngest | undefined> {
  const ingest = (await host.running(broadcastId)?.catch(() => undefined))?.ingest;
  return ingest instanceof StudioIngest && ingest.sessionId === sessionId ? ingest : undefined;
}

/**
 * As for WHIP: a new broadcast's first publisher, or a returning one for a broadcast whose publisher is
 * gone (it takes over); a broadcast a publisher still feeds is busy.
 */
async function open(host: StudioHost, { requestId, broadcastId, source }: Extract<StudioMessage, { type: 'studio.open' }>): Promise<void> {
  const { nodeId, bus } = host;
  const openStudio = (router: types.Router) => StudioIngest.create(router, host.listen);
  const running = host.running(broadcastId);
  const ingest = running ? await (await running.catch(() => undefined))?.takeOver(openStudio) : (await host.open(broadcastId, source, openStudio)).ingest;
  if (!(ingest instanceof StudioIngest)) {
    bus.send({ type: 'studio.refused', requestId, nodeId, code: 'INGEST_BUSY', message: 'A publisher already feeds this broadcast' });
    return;
  }
  bus.send({ type: 'studio.opened', requestId, nodeId, broadcastId, session: ingest.describe() });
}

export async function handleStudio(host: StudioHost, message: StudioMessage): Promise<void> {
  const { nodeId, bus } = host;
  if (message.type === 'studio.close') {
    (await sessionOf(host, message.broadcastId, message.sessionId))?.close();
    return;
  }
  const { requestId, broadcastId } = message;
  try {
    if (message.type === 'studio.open') return await open(host, message);
    const session = await sessionOf(host, broadcastId, message.sessionId);
    if (!session) {
      bus.send({ type: 'studio.refused', requestId, nodeId, code: 'STUDIO_SESSION_NOT_FOUND', message: 'The studio session has ended' });
      return;
    }
    // The contract checked shape and size; mediasoup validates the meaning and refuses what it cannot use.
    if (message.type === 'studio.connect') {
      await session.connect(message.dtlsParameters as types.DtlsParameters);
      bus.send({ type: 'studio.done', requestId, nodeId });
    } else {
      const rtpParameters = message.rtpParameters as types.RtpParameters;
      const live = await host.running(broadcastId)?.catch(() => undefined);
      if (message.kind === 'video' && live && !live.takesVideo(rtpParameters)) {
        // A returning page whose video the ladder cannot continue from: closed, so another may take over.
        session.close();
        const refusal = `The broadcast's top rung copies H.264; this page sends ${rtpParameters.codecs[0]?.mimeType}`;
        bus.send({ type: 'studio.refused', requestId, nodeId, code: 'INGEST_CODEC_CHANGED', message: refusal });
        return;
      }
      const producerId = await session.produce(message.kind, rtpParameters);
      bus.send({ type: 'studio.done', requestId, nodeId, producerId });
    }
  } catch (err) {
    if (err instanceof StudioStepError) {
      bus.send({ type: 'studio.refused', requestId, nodeId, code: err.code, message: err.message });
      return;
    }
    host.logger.error({ err, broadcastId }, `studio ${message.type} failed`);
    bus.send({ type: 'request.failed', requestId, nodeId, message: err instanceof Error ? err.message : String(err) });
  }
}
