// One live broadcast on a media node: its ingest and, once media flows, its transcoder and publisher.
// Owned by the node, which turns its events into bus messages; end() stops the transcoder, closes every
// playlist with ENDLIST (the replay) and closes the ingest. Safe to call twice. A publisher that drops
// (its feed silent or its session closed) may be replaced by a returning one, of any ingest kind: the
// transcoder moves onto the new producers and the same playlists go on after a discontinuity.
import { EventEmitter } from 'node:events';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { types } from 'mediasoup';
import type { Logger } from 'pino';
import type { SourceVideo } from '../../server/contracts/media.ts';
import { videoSourceCodec } from '../codecs.ts';
import { settleFeedSize } from '../ingest/feed-size.ts';
import type { IngestListen } from '../ingest/listen.ts';
import { RtpIngest } from '../ingest/rtp.ts';
import { WhipIngest } from '../ingest/whip.ts';
import { closeReplay } from '../publish/close-replay.ts';
import type { MediaStorage } from '../storage/storage.ts';
import { LivePipeline } from './pipeline.ts';

/**
 * The longest a feed's keyframes are watched before the ladder is planned from the largest seen. A
 * browser sender left to its defaults starts at 320×180 and climbs with its bandwidth estimate for ~15 s;
 * waiting all of that would keep the broadcast off the air as long, while the first few seconds already
 * take it past its smallest sizes (docs/decisions.md, "VP8 on every rung, and the ladder's size from up
 * to 5 s of keyframes"). A keyframe at the declared size ends the watch at once, so an RTP sender or the
 * studio page waits none.
 */
const SETTLE_WINDOW_MS = 5_000;
/** While the feed settles it is asked for a keyframe this often, so a climbing sender shows its current size. */
const SETTLE_KEYFRAME_MS = 1_000;

export interface LiveBroadcastOptions {
  readonly broadcastId: string;
  readonly router: types.Router;
  readonly source: SourceVideo;
  readonly listen: IngestListen;
  readonly dataDir: string;
  readonly storage: MediaStorage;
  readonly logger: Logger;
}

/** What a live broadcast needs from its ingest, whichever protocol (plain RTP, WHIP) brings the feed. */
export interface FeedIngest extends EventEmitter<{ flowing: []; silent: []; closed: [] }> {
  readonly videoProducer: types.Producer;
  readonly audioProducer: types.Producer;
  close(): void;
}

interface LiveBroadcastEvents {
  /** Media arrived (first time, or back after a silence). */
  started: [source: SourceVideo & { codec: string }];
  silent: [];
  failed: [];
  hlsReady: [masterKey: string];
  replayReady: [masterKey: string];
  closed: [];
}

/** Where the current publisher's feed stands. */
type FeedState = 'awaited' | 'flowing' | 'silent' | 'closed';

export class LiveBroadcast extends EventEmitter<LiveBroadcastEvents> {
  readonly #options: LiveBroadcastOptions;
  #ingest: FeedIngest;
  #feed: FeedState = 'awaited';
  #offIngest: () => void = () => {};
  /** The ingest whose producers the transcoder consumes. */
  #transcoded: FeedIngest | undefined;
  /** Once created: its plan decides which video a returning publisher may send. */
  #transcoder: LivePipeline | undefined;
  /** Moves onto a returning publisher, one at a time. */
  #following: Promise<void> = Promise.resolve();
  readonly #workDir: string;
  /** The declared picture until the feed's own SPS has been read. */
  #source: SourceVideo & { codec: string };
  #pipeline: Promise<LivePipeline | undefined> | undefined;
  /** The transcoder is gone: media coming back no longer makes the broadcast live again. */
  #failed = false;
  #ending: Promise<void> | undefined;

  static async create(options: LiveBroadcastOptions): Promise<LiveBroadcast> {
    const ingest = await RtpIngest.create(options.router, options.listen);
    return new LiveBroadcast(options, ingest);
  }

  /** A broadcast fed by an ingest opened elsewhere (a WHIP session, built from its offer). */
  static fedBy(options: LiveBroadcastOptions, ingest: FeedIngest): LiveBroadcast {
    return new LiveBroadcast(options, ingest);
  }

  private constructor(options: LiveBroadcastOptions, ingest: FeedIngest) {
    super();
    this.#options = options;
    // ffmpeg's output stays out of the media root: storage (disk or S3) gets each file once it is complete.
    this.#workDir = join(options.dataDir, 'work', 'live', options.broadcastId);
    this.#ingest = ingest;
    this.#source = { ...options.source, codec: 'h264' };
    this.#follow(ingest);
  }

  get prefix(): string {
    return `live/${this.#options.broadcastId}`;
  }

  /** The current publisher's ingest. */
  get ingest(): FeedIngest {
    return this.#ingest;
  }

  /** The transcoder runs and its publisher is gone (feed silent, session closed): a returning one may take over. */
  get awaitsPublisher(): boolean {
    return this.#transcoded !== undefined && !this.#failed && !this.#ending && (this.#feed === 'silent' || this.#feed === 'closed');
  }

  /** Whether video sent with these parameters can feed the broadcast: once the ladder is planned, only what it can continue from. */
  takesVideo(video: types.RtpParameters): boolean {
    return this.#transcoder?.takes(video) ?? true;
  }

  /**
   * Opens a returning publisher's ingest on this broadcast's router and makes it the feed, closing the
   * one that went quiet; undefined (nothing opened) while a publisher still feeds the broadcast or is
   * still expected to (one that took over and has not sent yet counts, so two returning ones do not race).
   */
  async takeOver<I extends FeedIngest>(open: (router: types.Router) => Promise<I>): Promise<I | undefined> {
    if (!this.awaitsPublisher) return undefined;
    const ingest = await open(this.#options.router);
    if (!this.awaitsPublisher) {
      ingest.close();
      return undefined;
    }
    const previous = this.#ingest;
    this.#offIngest();
    previous.close();
    this.#ingest = ingest;
    this.#follow(ingest);
    this.#options.logger.info('a returning publisher takes over the broadcast');
    return ingest;
  }

  #follow(ingest: FeedIngest): void {
    this.#feed = 'awaited';
    const flowing = () => {
      this.#feed = 'flowing';
      this.#flowing(ingest);
    };
    const silent = () => {
      this.#feed = 'silent';
      this.emit('silent');
    };
    const closed = () => {
      this.#feed = 'closed';
      // The very first publisher gone before any media leaves nothing worth keeping: free the broadcast.
      if (!this.#pipeline) void this.end();
    };
    ingest.on('flowing', flowing);
    ingest.on('silent', silent);
    ingest.on('closed', closed);
    this.#offIngest = () => {
      ingest.off('flowing', flowing);
      ingest.off('silent', silent);
      ingest.off('closed', closed);
    };
  }

  #flowing(ingest: FeedIngest): void {
    if (this.#ending) return;
    this.#options.logger.info('media flowing');
    if (!this.#pipeline) {
      this.#pipeline = this.#startPipeline(ingest);
      return;
    }
    if (this.#failed) return;
    this.#following = this.#following.then(() => this.#resume(ingest)).catch((err) => this.#options.logger.error({ err }, 'media came back and could not be followed'));
  }

  /** Media is back: the same publisher's (the transcoder still reads it), or a returning one's to move onto. */
  async #resume(ingest: FeedIngest): Promise<void> {
    const { logger } = this.#options;
    const pipeline = await this.#pipeline;
    if (!pipeline || this.#ending || this.#failed || ingest !== this.#ingest || this.#feed !== 'flowing') return;
    if (this.#transcoded !== ingest) {
      // WHIP and the studio refuse such video up front (INGEST_CODEC_CHANGED); this catches the rest.
      if (!pipeline.takes(ingest.videoProducer.rtpParameters)) {
        logger.error({ codec: ingest.videoProducer.rtpParameters.codecs[0]?.mimeType }, 'the returning publisher sends video the ladder cannot continue from (its top rung copies H.264); dropping it');
        ingest.close();
        return;
      }
      try {
        await pipeline.switchTo(ingest.videoProducer, ingest.audioProducer);
        this.#transcoded = ingest;
        logger.info('the live transcoder moved onto the returning publisher');
      } catch (err) {
        logger.error({ err }, 'the live transcoder could not move onto the returning publisher');
        this.#fail();
        return;
      }
    }
    this.emit('started', this.#source);
  }

  /**
   * The ladder is planned once, from the largest picture the feed's keyframes showed while it settled;
   * the declared size stands in only when no keyframe came in time.
   */
  async #settleSource(): Promise<SourceVideo & { codec: string }> {
    const { router, source, logger } = this.#options;
    const producer = this.ingest.videoProducer;
    // A WHIP offer declares no picture size: the node's stand-in must not end the watch early.
    const declared = this.ingest instanceof WhipIngest ? undefined : source;
    const { size, seen } = await settleFeedSize(router, producer, { declared, windowMs: SETTLE_WINDOW_MS, keyframeRequestMs: SETTLE_KEYFRAME_MS }).catch((err) => {
      logger.warn({ err }, 'the feed could not be watched for its size');
      return { size: undefined, seen: [] };
    });
    if (!size) logger.warn({ declared: source }, 'no keyframe size from the feed in time; planning from the declared size');
    else logger.info({ declared: declared ?? null, seen, planned: size }, 'the feed settled');
    return { ...source, ...size, codec: videoSourceCodec(producer.rtpParameters).codec };
  }

  async #startPipeline(ingest: FeedIngest): Promise<LivePipeline | undefined> {
    const { router, storage, logger } = this.#options;
    let pipeline: LivePipeline | undefined;
    try {
      const source = (this.#source = await this.#settleSource());
      this.emit('started', source);
      await rm(this.#workDir, { recursive: true, force: true });
      pipeline = await LivePipeline.create({
        router,
        video: ingest.videoProducer,
        audio: ingest.audioProducer,
        source,
        workDir: this.#workDir,
        storage,
        prefix: this.prefix,
        logger,
      });
      pipeline.on('hlsReady', (key) => this.emit('hlsReady', key));
      pipeline.on('failed', () => this.#fail());
      this.#transcoded = ingest;
      this.#transcoder = pipeline;
      await pipeline.start();
      logger.info({ rungs: pipeline.plan.rungs.map((r) => r.name) }, 'live transcoder running');
      return pipeline;
    } catch (err) {
      logger.error({ err }, 'the live transcoder could not start');
      this.#fail();
      await pipeline?.finish().catch(() => {});
      return undefined;
    }
  }

  #fail(): void {
    this.#failed = true;
    this.emit('failed');
  }

  end(): Promise<void> {
    this.#ending ??= this.#end();
    return this.#ending;
  }

  async #end(): Promise<void> {
    const { logger } = this.#options;
    const pipeline = await this.#pipeline;
    await this.#following;
    if (!pipeline) this.#ingest.close();
    if (pipeline) {
      try {
        // The transcoder stops while the feed still reaches it (see LivePipeline.finish), then the ingest closes.
        await pipeline.finish().finally(() => this.#ingest.close());
        this.emit('replayReady', pipeline.masterKey);
        await rm(this.#workDir, { recursive: true, force: true });
      } catch (err) {
        // The working dir is kept: what was not stored is still there.
        logger.error({ err, workDir: this.#workDir }, 'the replay could not be completed');
      }
    } else if (this.#pipeline) {
      // No transcoder ran here, yet storage may hold an earlier node's part it would not continue: that is the replay.
      const masterKey = await closeReplay(this.#options.storage, this.#options.broadcastId).catch((err) => logger.error({ err }, 'the stored replay could not be closed'));
      if (masterKey) this.emit('replayReady', masterKey);
    }
    this.emit('closed');
  }
}
