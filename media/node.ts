// A media node: owns the mediasoup workers (one per core) and the live broadcasts pinned to it, and
// speaks to the control plane only through the bus. Each broadcast gets its own router, handed out
// round-robin over the workers; ingest requests for one broadcast are serialised so a retried request
// returns the same ports instead of opening a second ingest. A publisher of any kind may take over a live
// broadcast whose publisher is gone (LiveBroadcast.takeOver); while one feeds it, another is refused.
import { loadavg } from 'node:os';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import type { Logger } from 'pino';
import type { ControlMessage, MediaNodeSettings, NodeBus, SourceVideo } from '../server/contracts/media.ts';
import { ROUTER_CODECS } from './codecs.ts';
import { RtpIngest } from './ingest/rtp.ts';
import { WhipOfferError } from './ingest/sdp-bridge.ts';
import { WhipIngest } from './ingest/whip.ts';
import { LiveBroadcast, type FeedIngest } from './live/broadcast.ts';
import { closeReplay } from './publish/close-replay.ts';
import { handleStudio, type StudioHost } from './studio-signalling.ts';
import type { MediaStorage } from './storage/storage.ts';
import { VodWorker } from './vod/worker.ts';

/** A WHIP offer declares no picture size: this stands in until the feed's own SPS is read. */
const WHIP_DECLARED_SOURCE: SourceVideo = { width: 1280, height: 720, fps: 30 };

export class MediaNode {
  readonly #settings: MediaNodeSettings;
  readonly #bus: NodeBus;
  readonly #logger: Logger;
  readonly #storage: MediaStorage;
  readonly #workers: types.Worker[];
  readonly #broadcasts = new Map<string, Promise<LiveBroadcast>>();
  readonly #offBus: () => void;
  readonly #loadTimer: NodeJS.Timeout;
  readonly #studio: StudioHost;
  readonly #vod: VodWorker;
  #nextWorker = 0;
  #closed = false;

  static async create(settings: MediaNodeSettings, bus: NodeBus, storage: MediaStorage, logger: Logger): Promise<MediaNode> {
    const workerBin = process.env.MEDIASOUP_WORKER_BIN;
    const workers: types.Worker[] = [];
    try {
      for (let i = 0; i < settings.workers; i++) workers.push(await mediasoup.createWorker({ logLevel: 'warn', ...(workerBin ? { workerBin } : {}) }));
    } catch (err) {
      for (const worker of workers) worker.close();
      throw err;
    }
    return new MediaNode(settings, bus, storage, workers, logger);
  }

  private constructor(settings: MediaNodeSettings, bus: NodeBus, storage: MediaStorage, workers: types.Worker[], logger: Logger) {
    this.#settings = settings;
    this.#bus = bus;
    this.#storage = storage;
    this.#workers = workers;
    this.#logger = logger;
    for (const worker of workers) {
      // A dead worker takes its routers and their broadcasts with it; the process manager restarts the node.
      worker.once('died', (error) => {
        this.#logger.error({ err: error, pid: worker.pid }, 'mediasoup worker died');
        void this.close();
      });
    }
    this.#studio = {
      nodeId: settings.nodeId,
      bus,
      logger,
      listen: settings,
      running: (broadcastId) => this.#broadcasts.get(broadcastId),
      open: (broadcastId, source, openIngest) => this.#liveBroadcast(broadcastId, source, openIngest),
    };
    this.#vod = new VodWorker({ nodeId: settings.nodeId, dataDir: settings.dataDir, bus, storage, logger: logger.child({ vod: true }) });
    this.#offBus = bus.onMessage((message) => void this.#handle(message));
    bus.send({ type: 'node.register', nodeId: settings.nodeId, cores: workers.length, workers: workers.length, ip: settings.announcedIp });
    this.#loadTimer = setInterval(() => this.#reportLoad(), settings.loadIntervalMs);
    this.#reportLoad();
  }

  get nodeId(): string {
    return this.#settings.nodeId;
  }

  async #handle(message: ControlMessage): Promise<void> {
    const nodeId = this.#settings.nodeId;
    switch (message.type) {
      case 'ingest.open':
        try {
          const ingest = await this.#rtpIngest(message.broadcastId, message.source);
          this.#bus.send({ type: 'ingest.opened', requestId: message.requestId, nodeId, broadcastId: message.broadcastId, rtp: ingest.describe() });
        } catch (err) {
          this.#logger.error({ err, broadcastId: message.broadcastId }, 'could not open an RTP ingest');
          this.#bus.send({ type: 'request.failed', requestId: message.requestId, nodeId, message: err instanceof Error ? err.message : String(err) });
        }
        return;
      case 'broadcast.end': {
        const live = this.#broadcasts.get(message.broadcastId);
        if (live) await (await live.catch(() => undefined))?.end();
        return;
      }
      case 'whip.offer':
        await this.#answerWhip(message);
        return;
      case 'whip.close': {
        const ingest = (await this.#broadcasts.get(message.broadcastId)?.catch(() => undefined))?.ingest;
        if (ingest instanceof WhipIngest && ingest.sessionId === message.sessionId) ingest.close();
        return;
      }
      case 'studio.open':
      case 'studio.connect':
      case 'studio.produce':
      case 'studio.close':
        await handleStudio(this.#studio, message);
        return;
      case 'replay.close':
        try {
          const masterKey = await closeReplay(this.#storage, message.broadcastId);
          this.#bus.send(masterKey ? { type: 'replay.ready', broadcastId: message.broadcastId, nodeId, masterKey } : { type: 'replay.missing', broadcastId: message.broadcastId, nodeId });
        } catch (err) {
          // Unanswered: the control plane asks again when the next node registers.
          this.#logger.error({ err, broadcastId: message.broadcastId }, 'could not close the replay of a lost node');
        }
        return;
      case 'vod.start':
      case 'vod.cancel':
        this.#vod.handle(message);
        return;
    }
  }

  /**
   * The broadcast's plain-RTP ingest: the same one while it has not flowed yet or still flows (a retried
   * request gets the same ports), a new one once its feed has gone quiet (comedia latched onto the old
   * sender's address, so a sender restarted from another port would not be taken).
   */
  async #rtpIngest(broadcastId: string, source: SourceVideo): Promise<RtpIngest> {
    const live = await this.#liveBroadcast(broadcastId, source);
    const returning = await live.takeOver((router) => RtpIngest.create(router, this.#settings));
    const ingest = returning ?? live.ingest;
    if (!(ingest instanceof RtpIngest)) throw new Error('another kind of publisher feeds this broadcast');
    return ingest;
  }

  /**
   * A new broadcast's first publisher, or a returning one for a broadcast whose publisher is gone; while
   * a publisher feeds it (or is still expected to send), an offer is refused with INGEST_BUSY.
   */
  async #answerWhip({ requestId, broadcastId, offer }: Extract<ControlMessage, { type: 'whip.offer' }>): Promise<void> {
    const nodeId = this.#settings.nodeId;
    let answer = '';
    const openWhip = async (router: types.Router) => {
      const opened = await WhipIngest.create(router, offer, this.#settings);
      answer = opened.answer;
      return opened.ingest;
    };
    try {
      const running = this.#broadcasts.get(broadcastId);
      const live = running ? await running.catch(() => undefined) : await this.#liveBroadcast(broadcastId, WHIP_DECLARED_SOURCE, openWhip);
      const ingest = running ? await live?.takeOver(openWhip) : live?.ingest;
      if (!(ingest instanceof WhipIngest)) {
        this.#bus.send({ type: 'whip.refused', requestId, nodeId, code: 'INGEST_BUSY', message: 'A publisher already feeds this broadcast' });
        return;
      }
      const video = ingest.videoProducer.rtpParameters;
      if (!live?.takesVideo(video)) {
        ingest.close();
        const message = `The broadcast's top rung copies H.264; this offer sends ${video.codecs[0]?.mimeType}`;
        this.#bus.send({ type: 'whip.refused', requestId, nodeId, code: 'INGEST_CODEC_CHANGED', message });
        return;
      }
      this.#bus.send({ type: 'whip.answered', requestId, nodeId, broadcastId, sessionId: ingest.sessionId, answer });
    } catch (err) {
      if (err instanceof WhipOfferError) {
        this.#bus.send({ type: 'whip.refused', requestId, nodeId, code: err.code, message: err.message });
        return;
      }
      this.#logger.error({ err, broadcastId }, 'could not answer a WHIP offer');
      this.#bus.send({ type: 'request.failed', requestId, nodeId, message: err instanceof Error ? err.message : String(err) });
    }
  }

  #liveBroadcast(broadcastId: string, source: SourceVideo, openIngest?: (router: types.Router) => Promise<FeedIngest>): Promise<LiveBroadcast> {
    const existing = this.#broadcasts.get(broadcastId);
    if (existing) return existing;
    const opening = this.#open(broadcastId, source, openIngest);
    this.#broadcasts.set(broadcastId, opening);
    opening.catch(() => this.#broadcasts.delete(broadcastId));
    return opening;
  }

  async #open(broadcastId: string, source: SourceVideo, openIngest?: (router: types.Router) => Promise<FeedIngest>): Promise<LiveBroadcast> {
    if (this.#closed) throw new Error('the media node is closing');
    const worker = this.#workers[this.#nextWorker++ % this.#workers.length];
    const router = await worker.createRouter({ mediaCodecs: ROUTER_CODECS });
    const nodeId = this.#settings.nodeId;
    const options = {
      broadcastId,
      router,
      source,
      listen: this.#settings,
      dataDir: this.#settings.dataDir,
      storage: this.#storage,
      logger: this.#logger.child({ broadcastId }),
    };
    const live = await (openIngest ? openIngest(router).then((ingest) => LiveBroadcast.fedBy(options, ingest)) : LiveBroadcast.create(options)).catch((err) => {
      router.close();
      throw err;
    });
    live.on('started', (started) => this.#bus.send({ type: 'media.started', broadcastId, nodeId, source: started }));
    live.on('silent', () => this.#bus.send({ type: 'media.stopped', broadcastId, nodeId, reason: 'no-media' }));
    live.on('failed', () => this.#bus.send({ type: 'media.stopped', broadcastId, nodeId, reason: 'failed' }));
    live.on('hlsReady', (masterKey) => this.#bus.send({ type: 'hls.ready', broadcastId, nodeId, masterKey }));
    live.on('replayReady', (masterKey) => this.#bus.send({ type: 'replay.ready', broadcastId, nodeId, masterKey }));
    live.once('closed', () => {
      this.#broadcasts.delete(broadcastId);
      router.close();
      this.#bus.send({ type: 'media.stopped', broadcastId, nodeId, reason: 'ended' });
    });
    return live;
  }

  #reportLoad(): void {
    // The machine's run queue per core: transcoders (ffmpeg) dominate and are not this process's children's CPU alone.
    const cpu = Math.round((loadavg()[0] / this.#workers.length) * 100) / 100;
    this.#bus.send({ type: 'node.load', nodeId: this.#settings.nodeId, broadcasts: this.#broadcasts.size, cpu });
  }

  /** Ends every broadcast's media (publishing what was written), then closes the workers. Safe to call twice. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#loadTimer);
    this.#offBus();
    const lives = await Promise.all([...this.#broadcasts.values()].map((p) => p.catch(() => undefined)));
    await Promise.all([...lives.map((live) => live?.end()), this.#vod.close()]);
    for (const worker of this.#workers) worker.close();
    this.#storage.close();
  }
}
