// Who may publish from the studio page: the broadcast's assigned host, an editor or an admin, logged in
// (the console's session cookie). Every step re-checks, so a broadcast that ended or was cancelled in
// between refuses the next one (409) and a rotated assignment takes effect at once.
import type { Account } from '../accounts/service.ts';
import type { BroadcastService } from '../broadcasts/service.ts';
import type { StudioSession } from '../contracts/studio.ts';
import type { MediaNodeService } from '../media-nodes/service.ts';
import type { SourceVideo } from '../contracts/media.ts';
import type { Static } from 'typebox';
import type { StudioConnectBody, StudioProduceBody } from '../contracts/studio.ts';
import { ApiError } from '../http/errors.ts';

export interface StudioDeps {
  broadcasts: BroadcastService;
  mediaNodes: MediaNodeService;
}

export class StudioService {
  readonly #deps: StudioDeps;

  constructor(deps: StudioDeps) {
    this.#deps = deps;
  }

  async open(actor: Account, broadcastId: string, source: SourceVideo): Promise<StudioSession> {
    await this.#deps.broadcasts.assertMayIngest(actor, broadcastId);
    return this.#deps.mediaNodes.openStudio(broadcastId, source);
  }

  async connect(actor: Account, broadcastId: string, sessionId: string, { dtlsParameters }: Static<typeof StudioConnectBody>): Promise<void> {
    await this.#deps.broadcasts.assertMayIngest(actor, broadcastId);
    await this.#deps.mediaNodes.studioStep(broadcastId, (requestId) => ({ type: 'studio.connect', requestId, broadcastId, sessionId, dtlsParameters }));
  }

  async produce(actor: Account, broadcastId: string, sessionId: string, { kind, rtpParameters }: Static<typeof StudioProduceBody>): Promise<string> {
    await this.#deps.broadcasts.assertMayIngest(actor, broadcastId);
    const { producerId } = await this.#deps.mediaNodes.studioStep(broadcastId, (requestId) => ({ type: 'studio.produce', requestId, broadcastId, sessionId, kind, rtpParameters }));
    if (!producerId) throw new ApiError('MEDIA_NODE_FAILED', 'The media node returned no producer');
    return producerId;
  }

  /** The page is done publishing; an ended broadcast has closed its session already. */
  async close(actor: Account, broadcastId: string, sessionId: string): Promise<void> {
    try {
      await this.#deps.broadcasts.assertMayIngest(actor, broadcastId);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'INGEST_NOT_ALLOWED') return;
      throw err;
    }
    this.#deps.mediaNodes.closeStudio(broadcastId, sessionId);
  }
}
