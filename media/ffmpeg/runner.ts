// The one place ffmpeg is started: an argument array straight to execve (never a shell), progress from
// `-progress pipe:1`, a bounded tail of stderr for error reports, and a stop that always ends it.
import { spawn } from 'node:child_process';
import { progressReader, type FfmpegProgress } from './progress.ts';

export interface FfmpegExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** stop() was called: the exit was asked for, not a failure. */
  readonly stopped: boolean;
  readonly stderrTail: string;
}

export interface FfmpegProcess {
  readonly pid: number;
  readonly exited: Promise<FfmpegExit>;
  /** SIGTERM (ffmpeg finishes its files), SIGKILL if it has not exited in time; safe to call again. */
  stop(): Promise<FfmpegExit>;
  /** SIGKILL at once, for one that hangs (a stopped process never acts on SIGTERM); the exit is not a stop. */
  kill(): void;
  /** The last lines ffmpeg wrote to stderr. */
  stderrTail(): string;
}

export interface FfmpegOptions {
  readonly onProgress?: (progress: FfmpegProgress) => void;
  /** How long stop() waits after SIGTERM before SIGKILL. */
  readonly stopTimeoutMs?: number;
  readonly binary?: string;
  readonly tailLines?: number;
  readonly cwd?: string;
}

const MAX_LINE = 400;

/**
 * What the runner puts before the caller's arguments: no stdin (a prompt would hang a live transcode),
 * warnings and errors only on stderr, and machine-readable progress on stdout.
 */
export const runnerArgs = (args: readonly string[]): string[] => [
  '-hide_banner', '-nostdin', '-nostats', '-loglevel', 'warning', '-progress', 'pipe:1', ...args,
];

/** Keeps the last `limit` lines of a stream, each cut to MAX_LINE characters. */
function lineTail(limit: number): { push(chunk: string): void; text(): string } {
  const lines: string[] = [];
  let partial = '';
  const keep = (line: string) => {
    if (line.trim() === '') return;
    lines.push(line.slice(0, MAX_LINE));
    if (lines.length > limit) lines.shift();
  };
  return {
    push(chunk) {
      const parts = (partial + chunk).split(/\r?\n|\r/);
      partial = (parts.pop() ?? '').slice(-MAX_LINE);
      parts.forEach(keep);
    },
    text: () => [...lines, ...(partial.trim() ? [partial] : [])].join('\n'),
  };
}

export function startFfmpeg(args: readonly string[], options: FfmpegOptions = {}): FfmpegProcess {
  const binary = options.binary ?? 'ffmpeg';
  const child = spawn(binary, runnerArgs(args), { stdio: ['ignore', 'pipe', 'pipe'], cwd: options.cwd });
  if (child.pid === undefined) {
    child.once('error', () => {}); // reported by the throw below, not as an unhandled event
    throw new Error(`${binary} could not be started (is it installed?)`);
  }
  const pid = child.pid;
  const tail = lineTail(options.tailLines ?? 40);
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => tail.push(chunk));
  const onProgress = options.onProgress;
  if (onProgress) child.stdout.setEncoding('utf8').on('data', progressReader(onProgress));
  else child.stdout.resume();

  let stopping = false;
  let killTimer: NodeJS.Timeout | undefined;
  const exited = new Promise<FfmpegExit>((resolve) => {
    child.once('close', (code, signal) => {
      clearTimeout(killTimer);
      resolve({ code, signal, stopped: stopping, stderrTail: tail.text() });
    });
  });

  return {
    pid,
    exited,
    stderrTail: () => tail.text(),
    stop() {
      if (!stopping && child.exitCode === null && child.signalCode === null) {
        stopping = true;
        child.kill('SIGTERM');
        killTimer = setTimeout(() => child.kill('SIGKILL'), options.stopTimeoutMs ?? 5_000);
      }
      return exited;
    },
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
