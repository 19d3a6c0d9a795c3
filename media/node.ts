// A media node: owns the mediasoup workers (one per core) and the live broadcasts pinned to it, and
// speaks to the control plane only through the bus. Each broadcast gets its own router, handed out
// round-robin over the workers; ingest requests for one broadcast are serialised so a retried request
// returns the same ports instead of opening a second ingest.
import { loadavg } from 'node:os';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import type { Logger } from 'pino';
import type { ControlMessage, MediaNodeSettings, NodeBus, SourceVideo } from '../server/contracts/media.ts';
import { ROUTER_CODECS } from './codecs.ts';
import { LiveBroadcast } from './live/broadcast.ts';
import type { MediaStorage } from './storage/storage.ts';

export class MediaNode {
  readonly #settings: MediaNodeSettings;
  readonly #bus: NodeBus;
  readonly #logger: Logger;
  readonly #storage: MediaStorage;
  readonly #workers: types.Worker[];
  readonly #broadcasts = new Map<string, Promise<LiveBroadcast>>();
  readonly #offBus: () => void;
  readonly #loadTimer: NodeJS.Timeout;
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
          const live = await this.#liveBroadcast(message.broadcastId, message.source);
          this.#bus.send({ type: 'ingest.opened', requestId: message.requestId, nodeId, broadcastId: message.broadcastId, rtp: live.ingest.describe() });
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
    }
  }

  #liveBroadcast(broadcastId: string, source: SourceVideo): Promise<LiveBroadcast> {
    const existing = this.#broadcasts.get(broadcastId);
    if (existing) return existing;
    const opening = this.#open(broadcastId, source);
    this.#broadcasts.set(broadcastId, opening);
    opening.catch(() => this.#broadcasts.delete(broadcastId));
    return opening;
  }

  async #open(broadcastId: string, source: SourceVideo): Promise<LiveBroadcast> {
    if (this.#closed) throw new Error('the media node is closing');
    const worker = this.#workers[this.#nextWorker++ % this.#workers.length];
    const router = await worker.createRouter({ mediaCodecs: ROUTER_CODECS });
    const nodeId = this.#settings.nodeId;
    const live = await LiveBroadcast.create({
      broadcastId,
      router,
      source,
      listenIp: this.#settings.listenIp,
      announcedIp: this.#settings.announcedIp,
      dataDir: this.#settings.dataDir,
      storage: this.#storage,
      logger: this.#logger.child({ broadcastId }),
    }).catch((err) => {
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
    await Promise.all(lives.map((live) => live?.end()));
    for (const worker of this.#workers) worker.close();
    this.#storage.close();
  }
}
