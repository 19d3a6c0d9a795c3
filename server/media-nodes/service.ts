// The control plane's side of live media: asks a media node to open an ingest, pins the broadcast to
// it, and turns what nodes report into broadcast states: media arriving makes a scheduled broadcast
// live; media stopping starts a grace period after which the broadcast ends, with the reason why;
// ending a broadcast (staff or grace) tells its node to stop, which closes every playlist with ENDLIST
// (the replay). A broadcast whose node went away has its replay closed from storage by another node.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Account } from '../accounts/service.ts';
import type { BroadcastService } from '../broadcasts/service.ts';
import type { Clock } from '../clock.ts';
import type { EndedReason } from '../contracts/broadcasts.ts';
import type { ControlBus, ControlMessage, NodeMessage, RtpIngest, SourceVideo, VodControlMessage, VodNodeMessage } from '../contracts/media.ts';
import type { StudioSession } from '../contracts/studio.ts';
import { ApiError } from '../http/errors.ts';
import { MediaNodeRegistry } from './registry.ts';
import { rtpSenderArgs, rtpSenderCommand } from './sender-command.ts';

/** How long a node may take to open an ingest before the request fails. */
const OPEN_TIMEOUT_MS = 10_000;

export interface OpenedRtpIngest extends RtpIngest {
  nodeId: string;
  source: SourceVideo;
  ffmpegArgs: string[];
  ffmpegCommand: string;
}

/** What a node answers a request with. */
type NodeReply = Extract<NodeMessage, { type: 'ingest.opened' | 'whip.answered' | 'studio.opened' | 'studio.done' }>;

/** What happened to a node, for server/vod's dispatching: a node that registers or reports may have free slots; a lost one took its jobs. */
export type NodeEvent = { readonly kind: 'registered' | 'load' | 'lost'; readonly nodeId: string };

/** Why a broadcast's grace period runs: what it ends with if the media does not return. */
type GraceReason = Exclude<EndedReason, 'staff'>;

interface PendingRequest {
  resolve: (message: NodeReply) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export interface MediaNodeDeps {
  broadcasts: BroadcastService;
  clock: Clock;
  logger: Logger;
  graceMs: number;
  /** A node silent for this long gets no new broadcasts. */
  staleMs: number;
}

export class MediaNodeService {
  readonly #deps: MediaNodeDeps;
  readonly registry: MediaNodeRegistry;
  readonly #pending = new Map<string, PendingRequest>();
  readonly #graces = new Map<string, { timer: NodeJS.Timeout; reason: GraceReason }>();
  /** Live broadcasts whose node went away: no node will close their replay unless asked. */
  readonly #orphaned = new Set<string>();
  /** Ended orphans whose replay no node has closed yet; asked again of each node that registers. */
  readonly #unclosedReplays = new Set<string>();
  readonly #offEnded: () => void;
  readonly #vodListeners = new Set<(message: VodNodeMessage) => void>();
  readonly #nodeListeners = new Set<(event: NodeEvent) => void>();
  #bus: ControlBus | undefined;
  #offBus: (() => void)[] = [];

  constructor(deps: MediaNodeDeps) {
    this.#deps = deps;
    this.registry = new MediaNodeRegistry(deps.staleMs);
    this.#offEnded = deps.broadcasts.onEnded((id) => this.#ended(id));
  }

  /** Starts serving the nodes on `bus` (the embedded child, or a shared bus when scaled out). */
  attach(bus: ControlBus): void {
    if (this.#bus) throw new Error('a media bus is already attached');
    this.#bus = bus;
    this.#offBus = [bus.onMessage((message) => void this.#receive(message)), bus.onNodeLost((nodeId) => this.#nodeLost(nodeId))];
  }

  async openRtpIngest(actor: Account, broadcastId: string, source: SourceVideo): Promise<OpenedRtpIngest> {
    await this.#deps.broadcasts.assertMayIngest(actor, broadcastId);
    const node = this.registry.nodeFor(broadcastId, this.#deps.clock.now().getTime());
    if (!this.#bus || !node) throw new ApiError('NO_MEDIA_NODE');
    const reply = await this.#ask(node.nodeId, (requestId) => ({ type: 'ingest.open', requestId, broadcastId, kind: 'rtp', source }));
    if (reply.type !== 'ingest.opened') throw new ApiError('MEDIA_NODE_FAILED', `Node ${reply.nodeId} answered ${reply.type}`);
    const { rtp, nodeId } = reply;
    this.registry.pin(broadcastId, nodeId);
    return { ...rtp, nodeId, source, ffmpegArgs: rtpSenderArgs(rtp, source), ffmpegCommand: rtpSenderCommand(rtp, source) };
  }

  /** Hands a WHIP publisher's offer (already authorised) to the broadcast's node and returns the answer. */
  async offerWhip(broadcastId: string, offer: string): Promise<{ nodeId: string; sessionId: string; answer: string }> {
    const node = this.registry.nodeFor(broadcastId, this.#deps.clock.now().getTime());
    if (!this.#bus || !node) throw new ApiError('NO_MEDIA_NODE');
    const reply = await this.#ask(node.nodeId, (requestId) => ({ type: 'whip.offer', requestId, broadcastId, offer }));
    if (reply.type !== 'whip.answered') throw new ApiError('MEDIA_NODE_FAILED', `Node ${reply.nodeId} answered ${reply.type}`);
    this.registry.pin(broadcastId, reply.nodeId);
    return { nodeId: reply.nodeId, sessionId: reply.sessionId, answer: reply.answer };
  }

  /** The publisher ended its WHIP session; the broadcast's grace period starts on its node's report. */
  closeWhip(broadcastId: string, sessionId: string): void {
    const nodeId = this.registry.pinnedNode(broadcastId);
    if (nodeId && this.#bus) this.#bus.send(nodeId, { type: 'whip.close', broadcastId, sessionId });
  }

  /** Opens a studio session (mediasoup-client's send transport) for an authorised host on the broadcast's node. */
  async openStudio(broadcastId: string, source: SourceVideo): Promise<StudioSession> {
    const node = this.registry.nodeFor(broadcastId, this.#deps.clock.now().getTime());
    if (!this.#bus || !node) throw new ApiError('NO_MEDIA_NODE');
    const reply = await this.#ask(node.nodeId, (requestId) => ({ type: 'studio.open', requestId, broadcastId, source }));
    if (reply.type !== 'studio.opened') throw new ApiError('MEDIA_NODE_FAILED', `Node ${reply.nodeId} answered ${reply.type}`);
    this.registry.pin(broadcastId, reply.nodeId);
    return reply.session;
  }

  /** A later studio step (connect, produce) on the node the broadcast is pinned to. */
  async studioStep(broadcastId: string, request: (requestId: string) => ControlMessage): Promise<{ producerId?: string }> {
    const nodeId = this.registry.pinnedNode(broadcastId);
    if (!this.#bus || !nodeId) throw new ApiError('STUDIO_SESSION_NOT_FOUND');
    const reply = await this.#ask(nodeId, request);
    if (reply.type !== 'studio.done') throw new ApiError('MEDIA_NODE_FAILED', `Node ${reply.nodeId} answered ${reply.type}`);
    return reply.producerId ? { producerId: reply.producerId } : {};
  }

  closeStudio(broadcastId: string, sessionId: string): void {
    const nodeId = this.registry.pinnedNode(broadcastId);
    if (nodeId && this.#bus) this.#bus.send(nodeId, { type: 'studio.close', broadcastId, sessionId });
  }

  /** Sends a VOD job message to a node (server/vod); false when no bus is attached. */
  sendVod(nodeId: string, message: VodControlMessage): boolean {
    this.#bus?.send(nodeId, message);
    return this.#bus !== undefined;
  }

  /** server/vod hears its jobs' reports here; returns the function that stops listening. */
  onVod(listener: (message: VodNodeMessage) => void): () => void {
    this.#vodListeners.add(listener);
    return () => this.#vodListeners.delete(listener);
  }

  /** Nodes registering, reporting load, or lost (after the registry has taken it in). */
  onNodeEvent(listener: (event: NodeEvent) => void): () => void {
    this.#nodeListeners.add(listener);
    return () => this.#nodeListeners.delete(listener);
  }

  #nodeEvent(event: NodeEvent): void {
    for (const listener of this.#nodeListeners) listener(event);
  }

  /** Sends a request to a node and waits for its reply, its refusal (as an ApiError) or the timeout. */
  #ask(nodeId: string, request: (requestId: string) => ControlMessage): Promise<NodeReply> {
    const requestId = randomUUID();
    const replied = new Promise<NodeReply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(requestId);
        reject(new ApiError('MEDIA_NODE_FAILED', `Node ${nodeId} did not answer within ${OPEN_TIMEOUT_MS / 1000} s`));
      }, OPEN_TIMEOUT_MS);
      this.#pending.set(requestId, { resolve, reject, timer });
    });
    this.#bus?.send(nodeId, request(requestId));
    return replied;
  }

  async #receive(message: NodeMessage): Promise<void> {
    const now = this.#deps.clock.now().getTime();
    const log = this.#deps.logger.child({ nodeId: message.nodeId, ...('broadcastId' in message ? { broadcastId: message.broadcastId } : {}) });
    switch (message.type) {
      case 'node.register':
        this.registry.register(message, now);
        log.info({ cores: message.cores, ip: message.ip }, 'media node registered');
        for (const broadcastId of this.#unclosedReplays) this.#bus?.send(message.nodeId, { type: 'replay.close', broadcastId });
        this.#nodeEvent({ kind: 'registered', nodeId: message.nodeId });
        return;
      case 'node.load':
        this.registry.reportLoad(message.nodeId, message, now);
        this.#nodeEvent({ kind: 'load', nodeId: message.nodeId });
        return;
      case 'vod.progress':
      case 'vod.done':
      case 'vod.failed':
        for (const listener of this.#vodListeners) listener(message);
        return;
      case 'ingest.opened':
      case 'whip.answered':
      case 'whip.refused':
      case 'studio.opened':
      case 'studio.done':
      case 'studio.refused':
      case 'request.failed': {
        const pending = this.#pending.get(message.requestId);
        if (!pending) return;
        this.#pending.delete(message.requestId);
        clearTimeout(pending.timer);
        if (message.type === 'request.failed') pending.reject(new ApiError('MEDIA_NODE_FAILED', message.message));
        else if (message.type === 'whip.refused' || message.type === 'studio.refused') pending.reject(new ApiError(message.code, message.message));
        else pending.resolve(message);
        return;
      }
      case 'media.started':
        this.#cancelGrace(message.broadcastId);
        this.#orphaned.delete(message.broadcastId);
        log.info({ source: message.source }, 'media arrived');
        await this.#goLive(message.broadcastId, log);
        return;
      case 'media.stopped':
        if (message.reason === 'ended') {
          this.#cancelGrace(message.broadcastId);
          this.registry.unpin(message.broadcastId);
        } else {
          log.warn({ reason: message.reason, graceMs: this.#deps.graceMs }, 'media stopped; the broadcast ends unless it returns');
          this.#startGrace(message.broadcastId, message.reason === 'failed' ? 'transcoder-failed' : 'no-media');
        }
        return;
      case 'hls.ready':
        log.info({ masterKey: message.masterKey }, 'HLS is playable');
        return;
      case 'replay.ready':
        log.info({ masterKey: message.masterKey }, 'the replay is published');
        this.#unclosedReplays.delete(message.broadcastId);
        try {
          await this.#deps.broadcasts.markReplayReady(message.broadcastId);
        } catch (err) {
          log.error({ err }, 'could not record the replay as ready');
        }
        return;
      case 'replay.missing':
        log.warn('the lost node published nothing of the broadcast: there is no replay');
        this.#unclosedReplays.delete(message.broadcastId);
        return;
    }
  }

  /** Its broadcasts' media is gone with it: each gets the grace period, then ends. */
  #nodeLost(nodeId: string): void {
    const orphans = this.registry.remove(nodeId);
    this.#deps.logger.error({ nodeId, broadcasts: orphans }, 'media node lost; its broadcasts end after the grace period');
    for (const broadcastId of orphans) {
      this.#orphaned.add(broadcastId);
      this.#startGrace(broadcastId, 'media-node-lost');
    }
    this.#nodeEvent({ kind: 'lost', nodeId });
  }

  async #goLive(broadcastId: string, log: Logger): Promise<void> {
    try {
      const broadcast = await this.#deps.broadcasts.get(broadcastId);
      if (broadcast.state === 'scheduled') await this.#deps.broadcasts.startFromFeed(broadcastId);
    } catch (err) {
      log.error({ err }, 'could not mark the broadcast live');
    }
  }

  /** A grace period already running keeps its deadline; the latest reason is the one it ends with. */
  #startGrace(broadcastId: string, reason: GraceReason): void {
    const running = this.#graces.get(broadcastId);
    if (running) {
      running.reason = reason;
      return;
    }
    const timer = setTimeout(() => {
      const grace = this.#graces.get(broadcastId);
      this.#graces.delete(broadcastId);
      if (grace) void this.#endAfterGrace(broadcastId, grace.reason);
    }, this.#deps.graceMs);
    this.#graces.set(broadcastId, { timer, reason });
  }

  async #endAfterGrace(broadcastId: string, reason: GraceReason): Promise<void> {
    try {
      const broadcast = await this.#deps.broadcasts.get(broadcastId);
      // endFromMedia() tells the node (or, for an orphan, another node) through the ended listener.
      if (broadcast.state === 'live') await this.#deps.broadcasts.endFromMedia(broadcastId, reason);
      else this.#stopMedia(broadcastId);
    } catch (err) {
      this.#deps.logger.error({ err, broadcastId }, 'could not end the broadcast after its grace period');
    }
  }

  #cancelGrace(broadcastId: string): void {
    clearTimeout(this.#graces.get(broadcastId)?.timer);
    this.#graces.delete(broadcastId);
  }

  #ended(broadcastId: string): void {
    if (this.#orphaned.has(broadcastId)) this.#closeReplay(broadcastId);
    this.#stopMedia(broadcastId);
  }

  /** Tells the broadcast's node (an orphan has none) to end its media: it closes the replay and reports replay.ready. */
  #stopMedia(broadcastId: string): void {
    this.#cancelGrace(broadcastId);
    this.#orphaned.delete(broadcastId);
    const nodeId = this.registry.pinnedNode(broadcastId);
    if (nodeId && this.#bus) this.#bus.send(nodeId, { type: 'broadcast.end', broadcastId });
  }

  /** Asks a live node to close an orphan's replay from storage; with none yet, the next to register is asked. */
  #closeReplay(broadcastId: string): void {
    this.#unclosedReplays.add(broadcastId);
    const node = this.registry.nodeFor(broadcastId, this.#deps.clock.now().getTime());
    if (node && this.#bus) this.#bus.send(node.nodeId, { type: 'replay.close', broadcastId });
  }

  /** Stops listening and closes the bus (which stops an embedded node). */
  async close(): Promise<void> {
    this.#offEnded();
    for (const off of this.#offBus.splice(0)) off();
    for (const { timer } of this.#graces.values()) clearTimeout(timer);
    this.#graces.clear();
    for (const pending of this.#pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(new ApiError('NO_MEDIA_NODE', 'The control plane is stopping'));
    }
    this.#pending.clear();
    const bus = this.#bus;
    this.#bus = undefined;
    await bus?.close();
  }
}
