// One live broadcast on a media node: its ingest and, once media flows, its transcoder and publisher.
// Owned by the node, which turns its events into bus messages; end() stops the transcoder, closes every
// playlist with ENDLIST (the replay) and closes the ingest. Safe to call twice.
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

export class LiveBroadcast<I extends FeedIngest = RtpIngest> extends EventEmitter<LiveBroadcastEvents> {
  readonly ingest: I;
  readonly #options: LiveBroadcastOptions;
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
  static fedBy<I extends FeedIngest>(options: LiveBroadcastOptions, ingest: I): LiveBroadcast<I> {
    return new LiveBroadcast(options, ingest);
  }

  private constructor(options: LiveBroadcastOptions, ingest: I) {
    super();
    this.#options = options;
    // ffmpeg's output stays out of the media root: storage (disk or S3) gets each file once it is complete.
    this.#workDir = join(options.dataDir, 'work', 'live', options.broadcastId);
    this.ingest = ingest;
    this.#source = { ...options.source, codec: 'h264' };
    ingest.on('flowing', () => this.#flowing());
    ingest.on('silent', () => this.emit('silent'));
  }

  get prefix(): string {
    return `live/${this.#options.broadcastId}`;
  }

  #flowing(): void {
    if (this.#ending) return;
    this.#options.logger.info('media flowing');
    if (!this.#pipeline) this.#pipeline = this.#startPipeline();
    else if (!this.#failed) this.emit('started', this.#source);
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

  async #startPipeline(): Promise<LivePipeline | undefined> {
    const { router, storage, logger } = this.#options;
    let pipeline: LivePipeline | undefined;
    try {
      const source = (this.#source = await this.#settleSource());
      this.emit('started', source);
      await rm(this.#workDir, { recursive: true, force: true });
      pipeline = await LivePipeline.create({
        router,
        video: this.ingest.videoProducer,
        audio: this.ingest.audioProducer,
        source,
        workDir: this.#workDir,
        storage,
        prefix: this.prefix,
        logger,
      });
      pipeline.on('hlsReady', (key) => this.emit('hlsReady', key));
      pipeline.on('failed', () => this.#fail());
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
    this.ingest.close();
    if (pipeline) {
      try {
        await pipeline.finish();
        this.emit('replayReady', pipeline.masterKey);
        await rm(this.#workDir, { recursive: true, force: true });
      } catch (err) {
        // The working dir is kept: what was not stored is still there.
        logger.error({ err, workDir: this.#workDir }, 'the replay could not be completed');
      }
    }
    this.emit('closed');
  }
}
