// The two servers the channel benchmark compares, each started as its own process pinned to one core
// with the open-files limit raised to what the machine allows (20,000 here), and what /proc says about them.
import { execFileSync, spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const PASSWORD = 'bench channel password';
const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

export const OPEN_FILES = Number(execFileSync('bash', ['-c', 'ulimit -Hn'], { encoding: 'utf8' }).trim());

export interface Started {
  name: string;
  child: ChildProcess;
  /** What the load generator's dialect builds viewer URLs from. */
  base: string;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Scheduling priority of both benchmark processes, so that other work on a shared machine takes what
 * they leave of their cores, not the reverse. With autogroup scheduling (Linux's default for desktops
 * and these machines) nice(1) only ranks processes within one session, so each process gets a session
 * of its own (detached) and the nice value goes to that session's group (sched(7), "autogroup"; a
 * negative value needs root, without which it stays 0).
 */
let niceness = 0;
export const setNiceness = (n: number) => (niceness = n);

/** `node script args…` on CPU `core`, through bash for `ulimit -n`, nice, and taskset for the pinning (exec keeps the pid). */
export function pinned(core: number, script: string, args: string[], env: NodeJS.ProcessEnv, stdio: StdioOptions = ['ignore', 'pipe', 'pipe'], nodeFlags: string[] = []): ChildProcess {
  const line = `ulimit -n ${OPEN_FILES} && { echo ${niceness} > /proc/self/autogroup; } 2>/dev/null; exec nice -n ${niceness} taskset -c ${core} "$@"`;
  const child = spawn('bash', ['-c', line, 'bash', process.execPath, ...nodeFlags, script, ...args], { cwd: ROOT, env, stdio, detached: true });
  // Detached, it would outlive this process: stop it when this one ends, however it ends.
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  child.once('exit', () => process.removeListener('exit', kill));
  return child;
}

function collect(child: ChildProcess): () => string {
  let output = '';
  child.stdout?.on('data', (d) => (output = (output + d).slice(-20_000)));
  child.stderr?.on('data', (d) => (output = (output + d).slice(-20_000)));
  return () => output;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(killer);
}

async function poll<T>(what: string, fn: () => Promise<T | undefined>, output: () => string, ms = 60_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await fn().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`${what} within ${ms} ms; server output:\n${output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function startSocketIo(core: number, port: number, nodeFlags: string[] = []): Promise<Started> {
  const child = pinned(core, 'bench/channel/socketio-server.ts', [String(port)], { PATH: process.env.PATH ?? '' }, undefined, nodeFlags);
  const output = collect(child);
  await poll('socket.io listening', async () => (output().includes('listening') ? true : undefined), output, 20_000);
  return { name: 'Socket.IO 4', child, base: `http://127.0.0.1:${port}`, output, stop: () => stopChild(child) };
}

/**
 * Linbo's control plane as `npm start` runs it (server/main.ts, embedded PGlite, no demo), with the
 * given settings, and one published (scheduled) broadcast made through the REST API as staff would.
 */
export async function startLinbo(core: number, port: number, env: Record<string, string>, nodeFlags: string[] = []): Promise<Started> {
  const dataDir = mkdtempSync(join(tmpdir(), 'linbo-bench-channel-'));
  const base = `http://127.0.0.1:${port}`;
  const child = pinned(core, 'server/main.ts', [], {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: base,
    LINBO_DATA_DIR: dataDir,
    LINBO_ADMIN_PASSWORD: PASSWORD,
    LINBO_DEMO: 'off',
    LOG_LEVEL: 'warn',
    // The embedded media node idles (no broadcast goes live); without its worker it would be relaunched every 30 s on the server's core.
    ...(process.env.MEDIASOUP_WORKER_BIN ? { MEDIASOUP_WORKER_BIN: process.env.MEDIASOUP_WORKER_BIN } : {}),
    ...env,
  }, undefined, nodeFlags);
  const output = collect(child);
  const stop = async () => {
    await stopChild(child);
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await poll('linbo ready', async () => ((await fetch(`${base}/readyz`)).ok ? true : undefined), output);
    const api = async (path: string, body: unknown, token?: string) => {
      const res = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
      return res.json();
    };
    const { token } = await api('/api/auth/login', { username: 'admin', password: PASSWORD });
    const channel = await api('/api/channels', { slug: 'bench-channel', name: '幸福街道' }, token);
    const start = new Date(Date.now() + 3600_000).toISOString();
    const broadcast = await api('/api/broadcasts', { channelId: channel.id, title: '家庭教育讲座', kind: 'lecture', scheduledStart: start, durationMinutes: 90 }, token);
    return { name: 'Linbo', child, base: broadcast.links.channel, output, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** utime and stime of `pid` in seconds (proc(5), fields 14 and 15): the process's own code, and the kernel working for it. */
export function cpuSeconds(pid: number): { user: number; system: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(fields[11]) / TICKS_PER_SECOND, system: Number(fields[12]) / TICKS_PER_SECOND };
}

/** Seconds CPU `core` spent busy, in all, and in softirq (loopback's receive path) since boot (proc(5), /proc/stat): what else ran on the server's core. */
export function coreTime(core: number): { busy: number; total: number; softirq: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n').find((l) => l.startsWith(`cpu${core} `))!;
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.split(/\s+/).slice(1).map(Number);
  const busy = user + nice + system + irq + softirq + steal;
  return { busy: busy / TICKS_PER_SECOND, total: (busy + idle + iowait) / TICKS_PER_SECOND, softirq: softirq / TICKS_PER_SECOND };
}

/** Resident set size of `pid` in KB. */
export function rssKb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
}
