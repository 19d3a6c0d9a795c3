// The demo broadcast's synthetic feed: once a media node has registered, it opens the broadcast's
// plain-RTP ingest through the same service the API route uses and runs ffmpeg's test pattern into it,
// so the broadcast goes live through the real path. ffmpeg is restarted when it dies (from the same
// local ports: the ingest has latched onto them); a broadcast ended by staff stops the feed for good.
// Its pid is kept in a file: a control plane that died without shutting down (SIGKILL, a crash) leaves
// the feed running, and the next start ends it.
import { createSocket } from 'node:dgram';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DateTime } from 'luxon';
import type { Logger } from 'pino';
import { startFfmpeg, type FfmpegProcess } from '../../media/ffmpeg/runner.ts';
import { DEMO_LABEL, demoFeedArgs, type DemoLocalPorts } from '../../media/transcode/demo-feed-args.ts';
import type { Account } from '../accounts/service.ts';
import type { BroadcastService } from '../broadcasts/service.ts';
import type { Clock } from '../clock.ts';
import { ApiError } from '../http/errors.ts';
import type { MediaNodeService, OpenedRtpIngest } from '../media-nodes/service.ts';

const SOURCE = { width: 1280, height: 720, fps: 30 };
/** A feed that ran this long before dying restarts at once; one dying sooner backs off up to the maximum. */
const STEADY_MS = 10_000;
const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 30_000;
/** How often to ask again while no media node has registered yet, and after a node failed to open. */
const NODE_POLL_MS = 500;
const OPEN_RETRY_MS = 5_000;

export interface DemoFeedDeps {
  readonly mediaNodes: MediaNodeService;
  readonly broadcasts: BroadcastService;
  /** Who opens the ingest: the admin, as a person pressing the API would. */
  readonly actor: Account;
  readonly broadcastId: string;
  /** The clock is burnt in as local time here. */
  readonly timezone: string;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Where the running feed's pid is kept (in the data dir). */
  readonly pidFile: string;
}

export class DemoFeed {
  readonly #deps: DemoFeedDeps;
  readonly #log: Logger;
  #running: Promise<void> | undefined;
  #offEnded: (() => void) | undefined;
  #ffmpeg: FfmpegProcess | undefined;
  #wake: (() => void) | undefined;
  #ports: DemoLocalPorts | undefined;
  #closed = false;

  constructor(deps: DemoFeedDeps) {
    this.#deps = deps;
    this.#log = deps.logger.child({ demoFeed: deps.broadcastId });
  }

  start(): void {
    if (this.#running || this.#closed) return;
    this.#offEnded = this.#deps.broadcasts.onEnded((id) => {
      if (id !== this.#deps.broadcastId) return;
      this.#log.info('the demo broadcast ended; its feed stops');
      void this.close();
    });
    this.#running = endOrphan(this.#deps.pidFile, this.#log)
      .then(() => this.#run())
      .catch((err) => this.#log.error({ err }, 'the demo feed failed'));
  }

  async #run(): Promise<void> {
    let retryMs = FIRST_RETRY_MS;
    while (!this.#closed) {
      const ingest = await this.#open();
      if (!ingest) return;
      this.#ports ??= await freeUdpPorts();
      if (this.#closed) return;
      const startedAt = this.#deps.clock.now();
      const local = DateTime.fromJSDate(startedAt, { zone: this.#deps.timezone });
      const clockOffsetSeconds = local.diff(local.startOf('day')).as('seconds');
      const args = demoFeedArgs({ target: ingest, localPorts: this.#ports, ...SOURCE, clockOffsetSeconds });
      const ffmpeg = startFfmpeg(args);
      this.#ffmpeg = ffmpeg;
      await mkdir(dirname(this.#deps.pidFile), { recursive: true });
      await writeFile(this.#deps.pidFile, String(ffmpeg.pid));
      this.#log.info({ pid: ffmpeg.pid, nodeId: ingest.nodeId }, 'demo feed sending');
      const exit = await ffmpeg.exited;
      this.#ffmpeg = undefined;
      if (this.#closed || exit.stopped) return;
      retryMs = this.#deps.clock.now().getTime() - startedAt.getTime() >= STEADY_MS ? FIRST_RETRY_MS : Math.min(retryMs * 2, MAX_RETRY_MS);
      this.#log.warn({ code: exit.code, signal: exit.signal, stderr: exit.stderrTail, retryMs }, 'the demo feed stopped; restarting it');
      await this.#pause(retryMs);
    }
  }

  /** Opens (or gets back) the ingest, waiting for a media node; undefined once there is nothing to feed. */
  async #open(): Promise<OpenedRtpIngest | undefined> {
    let waited = false;
    while (!this.#closed) {
      try {
        return await this.#deps.mediaNodes.openRtpIngest(this.#deps.actor, this.#deps.broadcastId, SOURCE);
      } catch (err) {
        if (err instanceof ApiError && (err.code === 'INGEST_NOT_ALLOWED' || err.code === 'BROADCAST_NOT_FOUND')) {
          this.#log.warn({ code: err.code }, 'the demo broadcast takes no feed any more');
          return undefined;
        }
        if (err instanceof ApiError && err.code === 'NO_MEDIA_NODE') {
          if (!waited) this.#log.info('the demo feed waits for a media node');
          waited = true;
          await this.#pause(NODE_POLL_MS);
        } else {
          this.#log.error({ err }, 'could not open the demo ingest; trying again');
          await this.#pause(OPEN_RETRY_MS);
        }
      }
    }
    return undefined;
  }

  /** Waits `ms`, or less when the feed is closed meanwhile. */
  #pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    });
  }

  /** Stops ffmpeg and every restart; safe to call twice. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#offEnded?.();
    this.#offEnded = undefined;
    this.#wake?.();
    await this.#ffmpeg?.stop();
    await this.#running;
    await rm(this.#deps.pidFile, { force: true });
  }
}

/** Ends the feed a previous control plane left running, if that pid is still a demo feed. */
async function endOrphan(pidFile: string, log: Logger): Promise<void> {
  const pid = Number.parseInt(await readFile(pidFile, 'utf8').catch(() => ''), 10);
  if (!(pid > 0)) return;
  const command = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  if (!command.includes('testsrc2') || !command.includes(DEMO_LABEL)) return;
  log.warn({ pid }, 'ending the demo feed a previous run left behind');
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // gone meanwhile
  }
}

/** Four UDP ports free on this machine now, for the sender's own sockets. */
async function freeUdpPorts(): Promise<DemoLocalPorts> {
  const sockets = [0, 1, 2, 3].map(() => createSocket('udp4'));
  try {
    const ports = await Promise.all(sockets.map((s) => new Promise<number>((resolve, reject) => {
      s.once('error', reject);
      s.bind(0, () => resolve(s.address().port));
    })));
    return { videoRtp: ports[0], videoRtcp: ports[1], audioRtp: ports[2], audioRtcp: ports[3] };
  } finally {
    for (const s of sockets) s.close();
  }
}
