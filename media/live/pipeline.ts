// One live broadcast's transcode: mediasoup consumers on PlainTransports toward one ffmpeg, which
// writes the ABR ladder into a working dir, and the publisher that moves it to media storage.
// Consumers are created paused and resumed once ffmpeg has bound its ports, so the first keyframe is not
// lost; the master playlist is ours (CODECS and FRAME-RATE), written once every rendition's init
// section tells its codec. finish() stops ffmpeg, closes every playlist with ENDLIST and stores the rest.
import { EventEmitter } from 'node:events';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { types } from 'mediasoup';
import type { Logger } from 'pino';
import type { SourceVideo } from '../../server/contracts/media.ts';
import { plainReceiverCapabilities, videoSourceCodec } from '../codecs.ts';
import { startFfmpeg, type FfmpegProcess } from '../ffmpeg/runner.ts';
import { renditionCodecs } from '../publish/init-segment.ts';
import { MASTER_PLAYLIST, masterPlaylist } from '../publish/master-playlist.ts';
import { HlsPublisher } from '../publish/publisher.ts';
import { restoreStoredPlaylists, StoredLadderMismatch } from '../publish/stored-playlists.ts';
import { watchPlaylists } from '../publish/watch.ts';
import type { MediaStorage } from '../storage/storage.ts';
import { argv, buildLadderArgs, renditionPlaylist } from '../transcode/hls-args.ts';
import { MAX_TARGET_DURATION, planLadder, type LadderPlan } from '../transcode/ladder.ts';
import { buildSdp, type SdpTrack } from '../transcode/sdp.ts';
import { udpPortsBound } from '../transcode/udp-ports.ts';
import { freePortPairs } from './ports.ts';
import { StallWatch } from './stall-watch.ts';

const LOOPBACK = '127.0.0.1';
/** ffmpeg's input: where the consumers of the current publisher's producers send. */
const INPUT_SDP = 'input.sdp';
/** How long ffmpeg may take to open its input before the transcode counts as failed. */
const LISTEN_TIMEOUT_MS = 10_000;
/** More crashes than this within RESTART_WINDOW_MS and the transcode has failed for good. */
const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 60_000;
/**
 * No new segment for this many target durations (the longest a segment may be) while media flows in:
 * the transcoder hangs, and is killed so that the crash path replaces it.
 */
const STALL_SEGMENTS = 3;
const STALL_CHECK_MS = 1_000;

/**
 * The same command for an ffmpeg taking over from one that died: with append_list it reads each
 * rendition's playlist, goes on numbering segments after the last one, and marks the seam with
 * EXT-X-DISCONTINUITY. Not discont_start: that also puts one before the first segment, so the
 * segments a player already has change discontinuity sequence and hls.js stops with a fatal error.
 */
export function continuingArgs(args: readonly string[]): string[] {
  return args.map((arg, i) => (args[i - 1] === '-hls_flags' ? `${arg}+append_list` : arg));
}

export interface LivePipelineOptions {
  readonly router: types.Router;
  readonly video: types.Producer;
  readonly audio: types.Producer;
  readonly source: SourceVideo;
  /** ffmpeg's output folder (emptied by the caller). */
  readonly workDir: string;
  readonly storage: MediaStorage;
  /** Where the broadcast lives in storage: `live/<broadcastId>`. */
  readonly prefix: string;
  readonly logger: Logger;
}

interface LivePipelineEvents {
  /** The master playlist is stored (every playlist it names was stored before it). */
  hlsReady: [masterKey: string];
  /** ffmpeg exited without being asked to. */
  failed: [error: Error];
}

interface Leg {
  readonly transport: types.PlainTransport;
  readonly consumer: types.Consumer;
  readonly sdp: SdpTrack;
}

export class LivePipeline extends EventEmitter<LivePipelineEvents> {
  readonly plan: LadderPlan;
  readonly masterKey: string;
  readonly #options: LivePipelineOptions;
  #legs: Leg[];
  readonly #publisher: HlsPublisher;
  readonly #stopWatching: () => void;
  readonly #stallWatch: StallWatch;
  readonly #args: readonly string[];
  #ffmpeg: FfmpegProcess;
  readonly #restarts: number[] = [];
  #keyframeTimer: NodeJS.Timeout | undefined;
  #masterWritten = false;
  #masterPending = false;
  #finishing: Promise<void> | undefined;
  /** switchTo() is replacing ffmpeg: the one it stops is not a crash. */
  #switching = false;

  static async create(options: LivePipelineOptions): Promise<LivePipeline> {
    const { router, source, workDir } = options;
    // The producer's own codec: H.264 passes through to the top rung, VP8 is re-encoded on every rung.
    const video = videoSourceCodec(options.video.rtpParameters);
    const plan = planLadder({ width: source.width, height: source.height, fps: source.fps, codec: video.codec });
    await mkdir(workDir, { recursive: true });
    for (const name of plan.rungs.map((r) => r.name)) await mkdir(join(workDir, name), { recursive: true });
    // Storage may hold an earlier part of this broadcast, written by a node that died: go on after it.
    const stored = await restoreStoredPlaylists(options.storage, options.prefix, workDir, plan).catch((err) => {
      if (err instanceof StoredLadderMismatch) throw err;
      // Storage unreachable: a broadcast starting now is far likelier new than returning, and its
      // segments are spooled until storage is back; refusing it would take it off the air.
      options.logger.warn({ err }, 'storage could not be read for an earlier part of the broadcast; starting new playlists');
      return undefined;
    });
    if (stored) options.logger.info({ storedFiles: stored.length }, 'continuing the playlists storage holds');
    const sdpPath = join(workDir, INPUT_SDP);
    const legs = await openLegs(router, options.video, options.audio, sdpPath);
    try {
      return new LivePipeline(options, plan, legs, argv(buildLadderArgs({ kind: 'rtp', sdpPath }, plan, workDir)), stored);
    } catch (err) {
      for (const { transport } of legs) transport.close();
      throw err;
    }
  }

  private constructor(options: LivePipelineOptions, plan: LadderPlan, legs: Leg[], args: readonly string[], stored: readonly string[] | undefined) {
    super();
    this.#options = options;
    this.plan = plan;
    this.masterKey = `${options.prefix}/${MASTER_PLAYLIST}`;
    this.#legs = legs;
    this.#args = args;
    // What storage holds is never written again: players and CDNs keep it as immutable, the init sections too.
    this.#publisher = new HlsPublisher({ storage: options.storage, dir: options.workDir, prefix: options.prefix, stored });
    this.#publisher.on('stored', (key) => this.#stored(key));
    this.#publisher.on('retrying', (error, delayMs) => options.logger.warn({ err: error, delayMs }, 'media storage failed; retrying'));
    this.#stallWatch = new StallWatch({
      stallMs: STALL_SEGMENTS * MAX_TARGET_DURATION * 1000,
      startMs: LISTEN_TIMEOUT_MS,
      everyMs: STALL_CHECK_MS,
      fed: async () => (await this.#legs[0].consumer.getStats()).filter((s) => s.type === 'outbound-rtp').reduce((sum, s) => sum + s.packetCount, 0),
      onStall: (stalledMs) => this.#stalled(stalledMs),
    });
    // ffmpeg rewrites a rendition's playlist each time it finishes a segment.
    const videoPlaylists = new Set(plan.rungs.map((rung) => join(options.workDir, renditionPlaylist(rung.name))));
    this.#stopWatching = watchPlaylists(options.workDir, {
      playlistWritten: (path) => {
        this.#publisher.playlistWritten(path);
        if (videoPlaylists.has(path)) this.#stallWatch.segmentWritten();
      },
    });
    this.#ffmpeg = this.#run(stored ? continuingArgs(args) : args);
  }

  #run(args: readonly string[]): FfmpegProcess {
    let written: number | null = null;
    const ffmpeg = startFfmpeg(args, {
      onProgress: ({ outTimeUs }) => {
        if (outTimeUs !== null && outTimeUs !== written) this.#stallWatch.progressed();
        written = outTimeUs;
      },
    });
    void ffmpeg.exited.then((exit) => {
      if (exit.stopped || this.#finishing || this.#switching) return;
      const error = new Error(`ffmpeg exited (code ${exit.code}, signal ${exit.signal}): ${exit.stderrTail}`);
      const now = Date.now();
      this.#restarts.push(now);
      while (this.#restarts[0] < now - RESTART_WINDOW_MS) this.#restarts.shift();
      if (this.#restarts.length > MAX_RESTARTS) {
        this.#options.logger.error({ err: error }, 'live transcoder keeps failing; giving up');
        this.emit('failed', error);
        return;
      }
      this.#options.logger.warn({ err: error }, 'live transcoder stopped; restarting it under the same playlists');
      this.#stallWatch.restarted();
      this.#ffmpeg = this.#run(continuingArgs(this.#args));
      this.#listening()
        .then(() => this.#legs[0].consumer.requestKeyFrame())
        .catch((err) => this.#options.logger.warn({ err }, 'the restarted transcoder did not listen'));
    });
    return ffmpeg;
  }

  #stalled(stalledMs: number): void {
    this.#options.logger.warn({ stalledMs, pid: this.#ffmpeg.pid }, 'live transcoder wrote neither a segment nor a frame while media flowed in; killing it');
    this.#ffmpeg.kill();
  }

  /** Resolves once the current ffmpeg has bound every RTP and RTCP port of the SDP. */
  async #listening(): Promise<void> {
    const ports = this.#legs.flatMap(({ sdp }) => [sdp.port, sdp.port + 1]);
    const deadline = Date.now() + LISTEN_TIMEOUT_MS;
    const ffmpeg = this.#ffmpeg;
    while (!(await udpPortsBound(ports))) {
      const exited = await Promise.race([ffmpeg.exited, new Promise((resolve) => setTimeout(resolve, 50, undefined))]);
      if (exited) throw new Error(`ffmpeg stopped before it listened: ${ffmpeg.stderrTail()}`);
      if (Date.now() > deadline) throw new Error(`ffmpeg did not open its RTP ports within ${LISTEN_TIMEOUT_MS} ms`);
    }
  }

  /** Resolves once ffmpeg listens and the consumers are sending to it. */
  async start(): Promise<void> {
    await this.#feedListeningFfmpeg();
    // A passthrough rung cuts segments only on the source's keyframes: ask for one every segment
    // (a WebRTC sender answers; an RTP sender such as ffmpeg keeps its own cadence, see the ingest contract).
    if (this.plan.keyframeRequestMs) {
      this.#keyframeTimer = setInterval(() => void this.#legs[0].consumer.requestKeyFrame().catch(() => {}), this.plan.keyframeRequestMs);
    }
  }

  async #feedListeningFfmpeg(): Promise<void> {
    await this.#listening();
    for (const { consumer } of this.#legs) await consumer.resume();
    await this.#legs[0].consumer.requestKeyFrame();
  }

  /** Whether a returning publisher's video can continue this ladder: a copied top rung takes only H.264. */
  takes(video: types.RtpParameters): boolean {
    return !this.plan.rungs.some((rung) => rung.passthrough) || videoSourceCodec(video).codec === 'h264';
  }

  /**
   * Moves the transcode onto a returning publisher's producers, keeping the plan and the playlists: the
   * old consumers go, the old ffmpeg is killed, new paused consumers send to new ports, and an ffmpeg
   * continuing the playlists as after a crash (numbering goes on after an EXT-X-DISCONTINUITY, no stored
   * name reused) reads them once it listens.
   */
  async switchTo(video: types.Producer, audio: types.Producer): Promise<void> {
    if (this.#finishing || this.#switching) throw new Error('the transcoder is finishing or already moving');
    this.#switching = true;
    try {
      for (const { transport } of this.#legs) transport.close();
      // Its input went quiet with the old publisher, and ffmpeg heeds SIGTERM only between packets (a
      // second one would make it truncate the playlists it then writes): killed, it leaves them as they
      // were, and the segment it had begun, never listed, is written again by its successor.
      this.#ffmpeg.kill();
      await this.#ffmpeg.exited;
      const legs = await openLegs(this.#options.router, video, audio, join(this.#options.workDir, INPUT_SDP));
      if (this.#finishing) {
        for (const { transport } of legs) transport.close();
        return;
      }
      this.#legs = legs;
      this.#stallWatch.restarted();
      this.#ffmpeg = this.#run(continuingArgs(this.#args));
    } finally {
      this.#switching = false;
    }
    await this.#feedListeningFfmpeg();
  }

  #stored(key: string): void {
    if (key === this.masterKey) {
      this.emit('hlsReady', key);
      return;
    }
    void this.#writeMasterWhenReady();
  }

  /** The master playlist names each rendition's codec, known once its init section is written. */
  async #writeMasterWhenReady(): Promise<boolean> {
    if (this.#masterWritten || this.#masterPending) return this.#masterWritten;
    this.#masterPending = true;
    try {
      const codecs = await renditionCodecs(this.#options.workDir, this.plan);
      if (Object.values(codecs).some((codec) => !codec)) return false;
      const path = join(this.#options.workDir, MASTER_PLAYLIST);
      await writeFile(path, masterPlaylist(this.plan, codecs));
      this.#masterWritten = true;
      this.#publisher.playlistWritten(path);
      return true;
    } finally {
      this.#masterPending = false;
    }
  }

  /** Stops the transcoder, then stores every playlist closed with ENDLIST: the replay. Safe to call twice. */
  finish(): Promise<void> {
    this.#finishing ??= this.#finish();
    return this.#finishing;
  }

  async #finish(): Promise<void> {
    clearInterval(this.#keyframeTimer);
    this.#stallWatch.close();
    // ffmpeg stopped while packets still reach it acts on SIGTERM at the next one and writes its last
    // segment; blocked on an input gone quiet it ignores the first signal (SIGKILL after the timeout).
    await this.#ffmpeg.stop();
    for (const { transport } of this.#legs) transport.close();
    this.#stopWatching();
    await this.#writeMasterWhenReady();
    try {
      await this.#publisher.finish();
    } finally {
      this.#publisher.close();
    }
  }
}

/** Paused consumers of a publisher's producers toward free ports, and the SDP at `sdpPath` telling ffmpeg where. */
async function openLegs(router: types.Router, video: types.Producer, audio: types.Producer, sdpPath: string): Promise<Leg[]> {
  const [videoPort, audioPort] = await freePortPairs(LOOPBACK, 2);
  const legs: Leg[] = [];
  try {
    legs.push(await leg(router, video, videoSourceCodec(video.rtpParameters).mimeType, videoPort));
    legs.push(await leg(router, audio, 'audio/opus', audioPort));
    await writeFile(sdpPath, buildSdp({ ip: LOOPBACK, video: legs[0].sdp, audio: legs[1].sdp }));
    return legs;
  } catch (err) {
    for (const { transport } of legs) transport.close();
    throw err;
  }
}

/** A paused consumer of `producer` on a PlainTransport that sends to ffmpeg's `port` (RTCP to port + 1). */
async function leg(router: types.Router, producer: types.Producer, mimeType: string, port: number): Promise<Leg> {
  const transport = await router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: LOOPBACK }, rtcpMux: false, comedia: false });
  try {
    await transport.connect({ ip: LOOPBACK, port, rtcpPort: port + 1 });
    const consumer = await transport.consume({ producerId: producer.id, rtpCapabilities: plainReceiverCapabilities(router, mimeType), paused: true });
    const codec = consumer.rtpParameters.codecs[0];
    const sdp: SdpTrack = {
      port,
      payloadType: codec.payloadType,
      codec: codec.mimeType.split('/')[1],
      clockRate: codec.clockRate,
      ...(codec.channels ? { channels: codec.channels } : {}),
      parameters: Object.fromEntries(Object.entries(codec.parameters ?? {}).filter((e): e is [string, string | number] => ['string', 'number'].includes(typeof e[1]))),
    };
    return { transport, consumer, sdp };
  } catch (err) {
    transport.close();
    throw err;
  }
}
