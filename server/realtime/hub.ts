// Every realtime channel this process holds: it owns the bus, the channels (opened on a broadcast's
// first socket, closed with its last), the per-address limits, and the only timers there are: the
// fan-out tick, the counts tick and the heartbeat sweep, one each for all sockets.
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { BroadcastService } from '../broadcasts/service.ts';
import { CLOSE, type ChannelRole, type ClientMessage } from '../contracts/realtime.ts';
import type { ChannelBus } from './bus.ts';
import { Channel } from './channel.ts';
import type { RealtimeDomain } from './domain.ts';
import { receive, type EdgeContext } from './edge.ts';
import type { UpgradeIdentity } from './identity.ts';
import { roleOf, viewerIdOf } from './identity.ts';
import { createBus } from './open-bus.ts';
import { Peer, TokenBucket } from './peer.ts';

/** Events are coalesced for this long: a fifth of a second is below what a viewer notices in Q&A. */
const TICK_MS = 200;
const COUNTS_MS = 1000;
const HELLO_WITHIN_MS = 10_000;

interface Address {
  sockets: number;
  bucket: TokenBucket;
}

export interface Admission {
  /** The broadcast exists and is not a draft. */
  found: boolean;
  role: ChannelRole;
}

export interface HubDeps {
  config: Config;
  domain: RealtimeDomain;
  broadcasts: BroadcastService;
  logger: Logger;
}

export class RealtimeHub {
  readonly #deps: HubDeps;
  readonly #channels = new Map<string, Promise<Channel>>();
  readonly #addresses = new Map<string, Address>();
  /** Sockets that have not said hello yet: the counts tick closes those past the deadline. */
  readonly #waiting = new Set<Peer>();
  readonly #all = new Set<Peer>();
  #edge: EdgeContext | undefined;
  #bus: ChannelBus | undefined;
  #timers: NodeJS.Timeout[] = [];
  #offStateChange: (() => void) | undefined;
  #counting = false;
  #closed = false;

  constructor(deps: HubDeps) {
    this.#deps = deps;
  }

  /** The bus the channels publish and hear events on; there once the hub is open. */
  get bus(): ChannelBus {
    if (!this.#bus) throw new Error('the realtime hub is not open');
    return this.#bus;
  }

  async open(): Promise<void> {
    const bus = (this.#bus = await createBus(this.#deps.config, this.#deps.logger));
    this.#edge = {
      domain: this.#deps.domain,
      bus,
      logger: this.#deps.logger,
      now: () => Date.now(),
      addressBucket: (peer) => this.#address(peer.ip).bucket,
      join: (peer, hello) => this.#join(peer, hello),
      like: (peer, count) => this.#withChannel(peer.broadcastId, (channel) => channel.addLikes(count)),
    };
    // Every process publishes the changes it makes; the bus numbers each once and tells every process.
    this.#offStateChange = this.#deps.broadcasts.onStateChange((id, state) => {
      bus.publish(id, { type: 'state', state }).catch((err) => this.#deps.logger.error({ err, broadcastId: id }, 'channel: state not published'));
    });
    const { heartbeatMs } = this.#deps.config.realtime;
    this.#timers = [
      setInterval(() => this.#tick(), TICK_MS),
      setInterval(() => void this.#countTick(), COUNTS_MS),
      setInterval(() => this.#heartbeat(), heartbeatMs),
    ];
    for (const timer of this.#timers) timer.unref();
  }

  /** What the upgrade needs to know before the socket opens (no message may arrive before its listener). */
  async admit(broadcastId: string, identity: UpgradeIdentity): Promise<Admission> {
    // A channel open here means the broadcast exists: a crowd reconnecting at once costs no queries.
    if (!identity.staff && this.#channels.has(broadcastId)) return { found: true, role: 'viewer' };
    const facts = await this.#deps.domain.facts(broadcastId);
    if (!facts) return { found: false, role: 'viewer' };
    const hostId = identity.staff ? ((await this.#deps.broadcasts.get(broadcastId).catch(() => null))?.hostId ?? null) : null;
    return { found: true, role: roleOf(identity.staff, hostId) };
  }

  /** A socket upgraded on the broadcast's channel path; synchronous, so its first message finds the listener. */
  accept(ws: WebSocket, raw: Duplex, ip: string, broadcastId: string, device: string, admission: Admission): void {
    const address = this.#address(ip);
    address.sockets++;
    const { realtime } = this.#deps.config;
    const peer = new Peer({ ws, raw, ip, broadcastId, device, role: admission.role, now: Date.now(), messagesPerSecond: realtime.messagesPerSecond });
    this.#all.add(peer);
    ws.on('close', () => this.#forget(peer));
    ws.on('error', () => ws.terminate());
    ws.on('pong', () => {
      peer.missedPongs = 0;
    });
    if (this.#closed || !this.#edge) return peer.close(1001, 'server closing');
    if (address.sockets > realtime.maxSocketsPerIp) return peer.close(CLOSE.TRY_LATER, 'too many sockets from this address');
    if (!admission.found) return peer.close(CLOSE.BROADCAST_NOT_FOUND, 'no such broadcast');
    this.#waiting.add(peer);
    const edge = this.#edge;
    ws.on('message', (data, isBinary) => receive(peer, data, isBinary, edge));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const timer of this.#timers) clearInterval(timer);
    this.#offStateChange?.();
    const opened = await Promise.allSettled(this.#channels.values());
    this.#channels.clear();
    const channels = opened.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    // What is still waiting for the next tick goes out first, so a client resuming elsewhere misses nothing.
    for (const channel of channels) channel.flush();
    for (const peer of this.#all) peer.close(1001, 'server closing');
    for (const channel of channels) await channel.close().catch((err) => this.#deps.logger.error({ err, broadcastId: channel.broadcastId }, 'channel: close failed'));
    for (const peer of this.#all) peer.ws.terminate();
    await this.#bus?.close();
  }

  async #join(peer: Peer, hello: Extract<ClientMessage, { type: 'hello' }>): Promise<void> {
    this.#waiting.delete(peer);
    const device = hello.device ?? peer.device;
    peer.device = device;
    peer.viewerId = viewerIdOf(device);
    peer.name = hello.name ?? null;
    if (!peer.open) return;
    // The channel checks bans and counts the device without a query (channel.ts). A channel whose last socket left while this one was on its way has closed: open a new one.
    while (!(await (await this.#channel(peer.broadcastId)).join(peer, hello)));
  }

  #channel(broadcastId: string): Promise<Channel> {
    let channel = this.#channels.get(broadcastId);
    if (!channel) {
      const bus = this.bus;
      const { domain, logger, config } = this.#deps;
      channel = Channel.open(broadcastId, { bus, domain, logger, maxBufferedBytes: config.realtime.maxBufferedBytes, heartbeatMs: config.realtime.heartbeatMs });
      this.#channels.set(broadcastId, channel);
      channel.catch(() => this.#channels.delete(broadcastId));
    }
    return channel;
  }

  #forget(peer: Peer): void {
    peer.phase = 'closed';
    this.#all.delete(peer);
    this.#waiting.delete(peer);
    const address = this.#addresses.get(peer.ip);
    if (address && --address.sockets <= 0) this.#addresses.delete(peer.ip);
    this.#withChannel(peer.broadcastId, (channel, pending) => {
      channel.leave(peer);
      // The last socket gone: the channel stores its taps and stops; the next socket opens a new one.
      if (channel.size === 0 && this.#channels.get(peer.broadcastId) === pending) {
        this.#channels.delete(peer.broadcastId);
        channel.close().catch((err) => this.#deps.logger.error({ err, broadcastId: peer.broadcastId }, 'channel: close failed'));
      }
    });
  }

  /** Runs `use` once the broadcast's channel here is open; a channel that failed to open has nobody to tell. */
  #withChannel(broadcastId: string, use: (channel: Channel, pending: Promise<Channel>) => void): void {
    const pending = this.#channels.get(broadcastId);
    pending?.then(
      (channel) => use(channel, pending),
      () => {},
    );
  }

  #address(ip: string): Address {
    let address = this.#addresses.get(ip);
    if (!address) {
      const rate = this.#deps.config.realtime.ipMessagesPerSecond;
      this.#addresses.set(ip, (address = { sockets: 0, bucket: new TokenBucket(rate, rate * 2, Date.now()) }));
    }
    return address;
  }

  #tick(): void {
    for (const broadcastId of this.#channels.keys()) {
      this.#withChannel(broadcastId, (channel) => {
        try {
          channel.flush();
        } catch (err) {
          this.#deps.logger.error({ err, broadcastId }, 'channel: fan-out failed');
        }
      });
    }
  }

  /** Counts for every channel, once a second; a tick still running (a slow database) is not overlapped. */
  async #countTick(): Promise<void> {
    const now = Date.now();
    for (const peer of this.#waiting) {
      if (now - peer.openedAt > HELLO_WITHIN_MS) {
        this.#waiting.delete(peer);
        peer.close(CLOSE.IDLE, 'no hello');
      }
    }
    if (this.#counting) return;
    this.#counting = true;
    try {
      // Broadcasts side by side: one slow channel's queries do not hold back the others' counts.
      await Promise.all(
        [...this.#channels.values()].map(async (pending) => {
          const channel = await pending.catch(() => undefined);
          await channel?.countTick().catch((err) => this.#deps.logger.error({ err, broadcastId: channel.broadcastId }, 'channel: counts failed'));
        }),
      );
    } finally {
      this.#counting = false;
    }
  }

  /** A socket that answered neither of the last two pings is gone (a phone that lost its signal). */
  #heartbeat(): void {
    for (const peer of this.#all) {
      if (peer.missedPongs >= 2) {
        peer.ws.terminate();
        continue;
      }
      peer.missedPongs++;
      peer.ws.ping();
    }
  }
}
