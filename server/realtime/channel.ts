// One broadcast's channel in this process: the sockets on it, its bus subscription, and the tick
// that fans events out. Events are coalesced per tick (hub.ts runs the ticks): each is serialised
// once, the tick's frames are concatenated, and every socket gets one write of the same bytes. At a
// gala with 10k sockets and 20 events a second that is 50k writes a second instead of 200k sends
// each framing its own copy of the JSON (bench/channel measures it).
import type { Logger } from 'pino';
import type { ChannelBus, Delivery, PublicEvent } from './bus.ts';
import { CLOSE, type Hello, type Viewers } from '../contracts/realtime.ts';
import { RealtimeError, type RealtimeDomain, type StoredView } from './domain.ts';
import { textFrame } from './frames.ts';
import type { Entry, Peer } from './peer.ts';
import { SnapshotCache } from './snapshot-cache.ts';
import { viewerView } from './views.ts';
import type { Static } from 'typebox';

export interface ChannelDeps {
  bus: ChannelBus;
  domain: RealtimeDomain;
  logger: Logger;
  maxBufferedBytes: number;
  heartbeatMs: number;
}

export class Channel {
  readonly broadcastId: string;
  readonly peers = new Set<Peer>();
  readonly #deps: ChannelDeps;
  #unsubscribe: (() => void) | undefined;
  /** Frames for the next tick, in the order they happened. */
  #entries: Entry[] = [];
  /** The seq of the latest public event this process delivered for the broadcast. */
  #delivered = 0;
  #baselined = false;
  /** Taps counted here since the last counts tick; the tick adds them to the stored total. */
  #pendingLikes = 0;
  #likes = -1;
  #viewers: Viewers = { now: 0, peak: 0, total: 0 };
  readonly #snapshots: SnapshotCache;
  /** Kept from the `bans` deliveries every process gets, so a join checks it without a query. */
  #banned = new Set<string>();
  #bansHeard = false;
  /** Devices that joined since the last counts tick, which records them in one statement. */
  #unrecorded = new Set<string>();
  #recorded = new Set<string>();
  #closed = false;

  private constructor(broadcastId: string, deps: ChannelDeps) {
    this.broadcastId = broadcastId;
    this.#deps = deps;
    this.#snapshots = new SnapshotCache(() => deps.domain.sharedView(broadcastId));
  }

  static async open(broadcastId: string, deps: ChannelDeps): Promise<Channel> {
    const channel = new Channel(broadcastId, deps);
    channel.#unsubscribe = await deps.bus.subscribe(broadcastId, (delivery) => channel.#deliver(delivery));
    // Subscribed first: a ban made while the list is read arrives as a delivery, which is the newer list.
    const banned = await deps.domain.bannedViewers(broadcastId);
    if (!channel.#bansHeard) channel.#banned = new Set(banned);
    channel.#delivered = Math.max(channel.#delivered, await deps.bus.lastSeq(broadcastId));
    channel.#baselined = true;
    return channel;
  }

  get size(): number {
    return this.peers.size;
  }

  addLikes(count: number): void {
    this.#pendingLikes += count;
  }

  /**
   * Sends `peer` its welcome and then a snapshot, or the events it missed, followed without a gap or
   * a repeat by the live stream. Live deliveries that arrive meanwhile wait in the peer's backlog;
   * those already covered by the snapshot's seq are dropped. The snapshot's seq is read before the
   * stored view, so the view holds at least every event up to it; events after it that the view
   * already shows arrive again and apply as the upserts they are (by question and message id). For
   * viewers the seq is the one this process last delivered and the view is shared by the joins at that
   * seq (snapshot-cache.ts): a later event reaches the peer through its backlog like any other.
   * Returns false, having done nothing, when the channel closed (its last socket left) before the
   * peer got here: the hub then opens a new one.
   */
  async join(peer: Peer, hello: Static<typeof Hello>): Promise<boolean> {
    if (this.#closed) return false;
    if (!peer.staff && this.#banned.has(peer.viewerId)) throw new RealtimeError('BANNED', 'You may no longer take part in this broadcast');
    if (!peer.open) return true;
    if (!this.#recorded.has(peer.viewerId)) this.#unrecorded.add(peer.viewerId);
    peer.phase = 'syncing';
    peer.backlog = [];
    this.peers.add(peer);
    const { bus, domain } = this.#deps;
    let after: number;
    const frames: Buffer[] = [];
    const replay = !peer.staff && hello.lastSeq !== undefined ? await bus.since(this.broadcastId, hello.lastSeq) : null;
    if (replay && hello.lastSeq !== undefined) {
      after = replay.length > 0 ? replay[replay.length - 1]!.seq : hello.lastSeq;
      frames.push(this.#welcome(peer, hello.lastSeq), ...replay.map((event) => textFrame(event)));
    } else {
      let view: StoredView;
      if (peer.staff) {
        after = await bus.lastSeq(this.broadcastId);
        view = await domain.view(this.broadcastId, peer.actor);
      } else {
        // The seq this process delivered last: events after it reach this peer through its backlog.
        const shared = await this.#snapshots.get(this.#delivered);
        const own = shared.view.nothingOwn ? { upvoted: [], pending: [] } : await domain.ownView(this.broadcastId, peer.viewerId);
        after = shared.seq;
        view = viewerView(shared.view, own);
      }
      const now = Math.max(this.#viewers.now, this.peers.size);
      const { likes: _likes, viewers, ...rest } = view;
      const total = Math.max(viewers.total, this.#viewers.total);
      frames.push(
        this.#welcome(peer, after),
        textFrame({
          type: 'snapshot',
          seq: after,
          ...rest,
          viewers: { now, peak: Math.max(viewers.peak, this.#viewers.peak, now), total },
          likes: { total: Math.max(view.likes, this.#likes) + this.#pendingLikes },
        }),
      );
    }
    if (peer.phase !== 'syncing' || !peer.backlog) {
      this.peers.delete(peer); // closed meanwhile
      return true;
    }
    let seq = after;
    for (const entry of peer.backlog) {
      if (!this.#wants(peer, entry, after)) continue;
      frames.push(entry.frame);
      seq = Math.max(seq, entry.seq);
    }
    peer.backlog = null;
    peer.after = after;
    peer.seq = seq;
    peer.phase = 'live';
    this.#write(peer, Buffer.concat(frames));
    return true;
  }

  leave(peer: Peer): boolean {
    return this.peers.delete(peer);
  }

  /** Writes the tick's frames: one buffer for viewers, one for staff, built once; each socket one write. */
  flush(): void {
    if (this.#entries.length === 0) return;
    const entries = this.#entries;
    this.#entries = [];
    let firstSeq = Infinity;
    let lastSeq = 0;
    for (const entry of entries) {
      if (entry.seq > 0) {
        firstSeq = Math.min(firstSeq, entry.seq);
        lastSeq = entry.seq;
      }
    }
    let forViewers: Buffer | undefined;
    let forStaff: Buffer | undefined;
    for (const peer of this.peers) {
      if (peer.phase === 'syncing') {
        peer.backlog?.push(...entries);
        continue;
      }
      if (!peer.open) continue;
      let bytes: Buffer;
      if (peer.after >= firstSeq) {
        // Joined during this tick: its snapshot or replay already covers the first events.
        bytes = Buffer.concat(entries.filter((entry) => this.#wants(peer, entry, peer.after)).map((entry) => entry.frame));
      } else if (peer.staff) {
        bytes = forStaff ??= Buffer.concat(entries.map((entry) => entry.frame));
      } else {
        bytes = forViewers ??= Buffer.concat(entries.filter((entry) => !entry.staffOnly).map((entry) => entry.frame));
      }
      if (lastSeq > peer.seq) peer.seq = lastSeq;
      if (bytes.length > 0) this.#write(peer, bytes);
    }
  }

  /** Once a second: adds this process's taps to the stored total, reports its sockets, sends counts that changed. */
  async countTick(): Promise<void> {
    const { bus, domain } = this.#deps;
    const likes = this.#pendingLikes;
    this.#pendingLikes = 0;
    let total: number;
    try {
      total = await domain.addLikes(this.broadcastId, likes);
    } catch (err) {
      this.#pendingLikes += likes;
      throw err;
    }
    await this.#recordViewers();
    if (total !== this.#likes) {
      this.#likes = total;
      this.#entries.push({ frame: textFrame({ type: 'likes', seq: this.#delivered, total }), seq: 0, staffOnly: false });
    }
    if (this.#closed) return;
    const now = await bus.reportViewers(this.broadcastId, this.peers.size);
    const stats = now > 0 ? await domain.recordAudience(this.broadcastId, now) : this.#viewers;
    const viewers = { now, peak: Math.max(stats.peak, now), total: stats.total };
    if (viewers.now !== this.#viewers.now || viewers.peak !== this.#viewers.peak || viewers.total !== this.#viewers.total) {
      this.#viewers = viewers;
      this.#entries.push({ frame: textFrame({ type: 'viewers', seq: this.#delivered, ...viewers }), seq: 0, staffOnly: false });
    }
  }

  /** The last socket left (or the hub closes): stores the taps still counted here and stops counting this process. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#unsubscribe?.();
    for (const peer of this.peers) peer.close(1001, 'server closing');
    this.peers.clear();
    const { bus, domain } = this.#deps;
    if (this.#pendingLikes > 0) await domain.addLikes(this.broadcastId, this.#pendingLikes);
    this.#pendingLikes = 0;
    await this.#recordViewers();
    await bus.reportViewers(this.broadcastId, 0);
  }

  #deliver(delivery: Delivery): void {
    if (delivery.kind === 'staff') {
      const event = delivery.event;
      this.#entries.push({ frame: textFrame({ ...event, seq: this.#delivered }), seq: 0, staffOnly: true });
      // A question waiting for review is news to its author's own part, and changes no seq.
      if (event.type === 'question.added') this.#snapshots.clear();
      if (event.type === 'bans') {
        this.#banned = new Set(event.bans.map((ban) => ban.viewerId));
        this.#bansHeard = true;
        this.#closeBanned(this.#banned);
      }
      return;
    }
    const event: PublicEvent = delivery.event;
    if (event.seq <= this.#delivered) return;
    if (this.#baselined && event.seq > this.#delivered + 1) {
      // The bus lost events (a Redis outage longer than it keeps): every socket here would miss them.
      // Closing as too slow makes clients reconnect with their lastSeq and get a snapshot.
      this.#deps.logger.warn({ broadcastId: this.broadcastId, from: this.#delivered, to: event.seq }, 'channel: events lost on the bus; clients resync');
      for (const peer of this.peers) peer.close(CLOSE.TOO_SLOW, 'resync');
      this.peers.clear();
    }
    this.#delivered = event.seq;
    this.#entries.push({ frame: textFrame(event), seq: event.seq, staffOnly: false });
  }

  /** One statement for every device that joined since the last tick; the database counts each once. */
  async #recordViewers(): Promise<void> {
    if (this.#unrecorded.size === 0) return;
    const ids = [...this.#unrecorded];
    this.#unrecorded = new Set();
    try {
      await this.#deps.domain.recordViewers(this.broadcastId, ids);
    } catch (err) {
      for (const id of ids) this.#unrecorded.add(id);
      throw err;
    }
    for (const id of ids) this.#recorded.add(id);
  }

  #closeBanned(banned: Set<string>): void {
    for (const peer of this.peers) {
      if (!peer.staff && banned.has(peer.viewerId)) {
        peer.send({ type: 'error', code: 'BANNED', message: 'You may no longer take part in this broadcast' });
        peer.close(CLOSE.BANNED, 'banned');
        this.peers.delete(peer);
      }
    }
  }

  #wants(peer: Peer, entry: Entry, after: number): boolean {
    if (entry.staffOnly) return peer.staff;
    return entry.seq === 0 || entry.seq > after;
  }

  #welcome(peer: Peer, seq: number): Buffer {
    return textFrame({ type: 'welcome', seq, viewerId: peer.viewerId, name: peer.name, role: peer.role, device: peer.device, heartbeatMs: this.#deps.heartbeatMs });
  }

  /** A socket whose unsent bytes pass the bound cannot keep up: closed, never buffered further. */
  #write(peer: Peer, bytes: Buffer): void {
    if (!peer.open) return;
    peer.raw.write(bytes);
    if (peer.ws.bufferedAmount > this.#deps.maxBufferedBytes) {
      peer.close(CLOSE.TOO_SLOW, 'too slow');
      this.peers.delete(peer);
    }
  }
}
