// One VOD job on a media node: probe the source, run the ladder and then the stills through ffmpeg at the
// lowest CPU priority (live transcodes come first), publish the staging folder to storage with the
// master playlist last. On failure or cancel the staging folder and everything under clips/<id>/ are
// removed: no partial rendition is ever left published.
import { setPriority } from 'node:os';
import { mkdir, rm, writeFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { ClipError } from '../../server/contracts/clips.ts';
import { clipPrefix, type VodResultSpec, type VodSourceSpec } from '../../server/contracts/media.ts';
import { startFfmpeg, type FfmpegProcess } from '../ffmpeg/runner.ts';
import { renditionCodecs } from '../publish/init-segment.ts';
import { MASTER_PLAYLIST, masterPlaylist } from '../publish/master-playlist.ts';
import type { MediaStorage } from '../storage/storage.ts';
import type { LadderPlan } from '../transcode/ladder.ts';
import { stillsArgs, THUMBNAILS_DIR, THUMBNAILS_VTT, thumbnailsVtt, vodLadderArgs } from './args.ts';
import { summariseStderr, VOD_CANCELLED, VodCancelled, vodFailed } from './failure.ts';
import { measuredPlan } from './measure.ts';
import { publishFolder } from './publish.ts';
import { planVod } from './plan.ts';
import { probeVodSource } from './source.ts';

/** The lowest scheduling priority (nice 19): a VOD encode only gets the CPU live transcoders leave. */
const VOD_NICENESS = 19;
/** Share of the percent the ladder's encode stands for; the stills and the upload take the rest. */
const LADDER_SHARE = 95;

export interface VodProgress {
  readonly percent: number;
  readonly etaSeconds: number | null;
}

export type VodOutcome = { readonly ok: true; readonly result: VodResultSpec } | { readonly ok: false; readonly error: ClipError };

export interface VodTranscodeOptions {
  readonly jobId: string;
  readonly clipId: string;
  readonly source: VodSourceSpec;
  /** The node's data dir: the job stages its files in `<dataDir>/vod/<jobId>` (nodes may share one; a re-run of the job clears what a killed run left). */
  readonly dataDir: string;
  readonly storage: MediaStorage;
  readonly logger: Logger;
  /** Called every `progressIntervalMs` while the job runs (also its sign of life), and with 100 at the end. */
  readonly onProgress: (progress: VodProgress) => void;
  readonly progressIntervalMs?: number;
}

export class VodTranscode {
  readonly #options: VodTranscodeOptions;
  readonly #staging: string;
  readonly outcome: Promise<VodOutcome>;
  #ffmpeg: FfmpegProcess | undefined;
  #cancelled = false;
  #progress: VodProgress = { percent: 0, etaSeconds: null };

  constructor(options: VodTranscodeOptions) {
    this.#options = options;
    this.#staging = join(options.dataDir, 'vod', options.jobId);
    this.outcome = this.#run();
  }

  /** Kills the running ffmpeg; the outcome is VOD_CANCELLED once everything is removed. Safe to call twice. */
  cancel(): void {
    this.#cancelled = true;
    this.#ffmpeg?.kill();
  }

  async #run(): Promise<VodOutcome> {
    const { clipId, storage, logger } = this.#options;
    const timer = setInterval(() => this.#options.onProgress(this.#progress), this.#options.progressIntervalMs ?? 1_000);
    try {
      const result = await this.#transcode();
      clearInterval(timer);
      this.#options.onProgress({ percent: 100, etaSeconds: 0 });
      return { ok: true, result };
    } catch (err) {
      clearInterval(timer);
      const error = err instanceof VodCancelled || this.#cancelled ? VOD_CANCELLED : vodFailed(err instanceof Error ? err.message : String(err));
      logger.warn({ clipId, code: error.code, reason: error.message.en }, 'VOD job stopped');
      // Whatever was already put under the clip's prefix goes too: nothing partial stays published.
      await storage.delete(clipPrefix(clipId)).catch((e) => logger.error({ err: e, clipId }, 'could not remove a stopped job’s files'));
      return { ok: false, error };
    } finally {
      await rm(this.#staging, { recursive: true, force: true });
    }
  }

  #checkCancelled(): void {
    if (this.#cancelled) throw new VodCancelled();
  }

  async #transcode(): Promise<VodResultSpec> {
    const { source, clipId, storage } = this.#options;
    const input = source.kind === 'file' ? source.path : source.url;
    await rm(this.#staging, { recursive: true, force: true });
    await mkdir(join(this.#staging, THUMBNAILS_DIR), { recursive: true });
    const info = await probeVodSource(input).catch((err: Error) => {
      throw new Error(`the source could not be read (${summariseStderr(String((err as { stderr?: string }).stderr ?? err.message))})`);
    });
    this.#checkCancelled();
    const plan = planVod(info);
    const duration = info.durationSeconds;
    await this.#ffmpegStep(vodLadderArgs(input, plan, this.#staging), 'the ladder', (seconds, speed) => {
      const percent = duration > 0 ? Math.min(LADDER_SHARE, (seconds / duration) * LADDER_SHARE) : 0;
      const etaSeconds = speed && speed > 0 && duration > 0 ? Math.max(0, Math.round((duration - seconds) / speed)) : null;
      this.#advance({ percent, etaSeconds });
    });
    await this.#ffmpegStep(stillsArgs(input, duration, this.#staging), 'the poster and thumbnails', () => {});
    this.#advance({ percent: LADDER_SHARE + 2, etaSeconds: null });
    const thumbnails = (await readdir(join(this.#staging, THUMBNAILS_DIR))).length;
    await writeFile(join(this.#staging, THUMBNAILS_VTT), thumbnailsVtt(thumbnails, duration));
    const codecs = await renditionCodecs(this.#staging, plan);
    const measured = await measuredPlan(this.#staging, plan);
    await writeFile(join(this.#staging, MASTER_PLAYLIST), masterPlaylist(measured, codecs));
    await publishFolder(this.#staging, storage, clipPrefix(clipId), () => this.#checkCancelled());
    return resultOf(measured, duration, codecs);
  }

  /** Percent never goes back (the stills step restarts ffmpeg's clock). */
  #advance(progress: VodProgress): void {
    this.#progress = { percent: Math.max(this.#progress.percent, Math.round(progress.percent * 10) / 10), etaSeconds: progress.etaSeconds };
  }

  async #ffmpegStep(args: string[], what: string, onTime: (seconds: number, speed: number | null) => void): Promise<void> {
    this.#checkCancelled();
    const ffmpeg = startFfmpeg(args, { onProgress: (p) => p.outTimeUs !== null && onTime(p.outTimeUs / 1e6, p.speed) });
    this.#ffmpeg = ffmpeg;
    try {
      setPriority(ffmpeg.pid, VOD_NICENESS);
    } catch (err) {
      this.#options.logger.warn({ err, pid: ffmpeg.pid }, 'could not lower a VOD ffmpeg’s priority');
    }
    const exit = await ffmpeg.exited;
    this.#ffmpeg = undefined;
    this.#checkCancelled();
    if (exit.code !== 0) {
      const how = exit.signal ? `ffmpeg was killed (${exit.signal})` : `ffmpeg exited with ${exit.code}`;
      const said = summariseStderr(exit.stderrTail);
      throw new Error(`${what}: ${how}${said ? `: ${said}` : ''}`);
    }
  }
}

function resultOf(plan: LadderPlan, durationSeconds: number, codecs: Record<string, readonly string[] | undefined>): VodResultSpec {
  const audioBits = plan.audio?.bitrate ?? 0;
  return {
    durationSeconds,
    segmentSeconds: plan.segmentSeconds,
    renditions: plan.rungs.map((rung) => ({
      name: rung.name,
      width: rung.width,
      height: rung.height,
      bandwidth: rung.maxBitrate + audioBits,
      averageBandwidth: rung.bitrate + audioBits,
      codecs: (codecs[rung.name] ?? []).join(','),
      passthrough: rung.passthrough,
    })),
  };
}
