// One live broadcast on a media node: its ingest and, once media flows, its transcoder and publisher.
// Owned by the node, which turns its events into bus messages; end() stops the transcoder, closes every
// playlist with ENDLIST (the replay) and closes the ingest. Safe to call twice.
import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup';
import type { Logger } from 'pino';
import type { SourceVideo } from '../../server/contracts/media.ts';
import { RtpIngest } from '../ingest/rtp.ts';
import type { MediaStorage } from '../storage/storage.ts';

export interface LiveBroadcastOptions {
  readonly broadcastId: string;
  readonly router: types.Router;
  readonly source: SourceVideo;
  readonly listenIp: string;
  readonly announcedIp: string;
  readonly dataDir: string;
  readonly storage: MediaStorage;
  readonly logger: Logger;
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

export class LiveBroadcast extends EventEmitter<LiveBroadcastEvents> {
  readonly ingest: RtpIngest;
  readonly #options: LiveBroadcastOptions;
  #ending: Promise<void> | undefined;

  static async create(options: LiveBroadcastOptions): Promise<LiveBroadcast> {
    const ingest = await RtpIngest.create(options.router, options.listenIp, options.announcedIp);
    return new LiveBroadcast(options, ingest);
  }

  private constructor(options: LiveBroadcastOptions, ingest: RtpIngest) {
    super();
    this.#options = options;
    this.ingest = ingest;
    ingest.on('flowing', () => this.#flowing());
    ingest.on('silent', () => this.emit('silent'));
  }

  #flowing(): void {
    if (this.#ending) return;
    this.#options.logger.info('media flowing');
    this.emit('started', { ...this.#options.source, codec: 'h264' });
  }

  end(): Promise<void> {
    this.#ending ??= this.#end();
    return this.#ending;
  }

  async #end(): Promise<void> {
    this.ingest.close();
    this.emit('closed');
  }
}
