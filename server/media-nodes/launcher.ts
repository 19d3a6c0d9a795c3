// Starts the embedded media node: a child process of the control plane on this machine, talking over
// Node's IPC channel. `npm start` thus runs both; scaled out, nodes run elsewhere and join over another bus.
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { availableParallelism, hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { MediaNodeSettings } from '../contracts/media.ts';
import { IpcControlBus } from './ipc-bus.ts';

const MEDIA_MAIN = fileURLToPath(new URL('../../media/main.ts', import.meta.url));

export interface LaunchOptions {
  /** Address RTP senders reach this machine at; defaults to the host of PUBLIC_URL. */
  readonly announcedIp?: string;
  readonly loadIntervalMs?: number;
  readonly workers?: number;
  readonly logLevel?: string;
}

export interface LaunchedMediaNode {
  readonly bus: IpcControlBus;
  readonly nodeId: string;
  readonly pid: number | undefined;
  /** Settles when the node's process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Forks one media node on a bus of its own (tests; server/main.ts supervises it, see supervisor.ts). */
export function launchMediaNode(config: Config, logger: Logger, options: LaunchOptions = {}): LaunchedMediaNode {
  return forkMediaNode(config, logger, new IpcControlBus(logger), options);
}

/** Forks one media node, with a fresh node id, and attaches it to `bus`. */
export function forkMediaNode(config: Config, logger: Logger, bus: IpcControlBus, options: LaunchOptions = {}): LaunchedMediaNode {
  const nodeId = `${hostname()}-${randomUUID().slice(0, 8)}`;
  const announcedIp = options.announcedIp ?? new URL(config.publicUrl).hostname.replace(/^localhost$/, '127.0.0.1');
  const settings: MediaNodeSettings = {
    nodeId,
    dataDir: config.dataDir,
    publicUrl: config.publicUrl,
    announcedIp,
    // Loopback-only when senders are on this machine; otherwise every interface.
    listenIp: announcedIp === '127.0.0.1' ? '127.0.0.1' : '0.0.0.0',
    rtcPorts: { ...config.rtcPorts },
    workers: options.workers ?? availableParallelism(),
    loadIntervalMs: options.loadIntervalMs ?? 5_000,
    logLevel: options.logLevel ?? config.logLevel,
    ...(config.s3 ? { s3: { ...config.s3 } } : {}),
  };
  const child = fork(MEDIA_MAIN, [], {
    serialization: 'json',
    execArgv: [],
    env: { ...process.env, MEDIA_NODE_SETTINGS: JSON.stringify(settings) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    // A process group of its own, so that what a node killed outright leaves behind (its mediasoup
    // workers, transcoders blocked on an input that went silent with it) can be ended with it.
    detached: true,
  });
  bus.attach(nodeId, child);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      if (code !== 0) logger.error({ nodeId, code, signal }, 'media node exited');
      if (child.pid) endGroup(child.pid);
      resolve({ code, signal });
    });
  });
  return { bus, nodeId, pid: child.pid, exited };
}

function endGroup(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // nothing of the group is left: a node that stopped cleanly has ended its children itself
  }
}
