// `server/main.ts` run as `npm start` runs it, for tests of the whole process, and its process tree.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(import.meta.dirname, '..', '..');
const run = promisify(execFile);

/** Every process below `root`, with its command line. */
export async function descendants(root: number): Promise<{ pid: number; args: string }[]> {
  const { stdout } = await run('ps', ['-e', '-o', 'pid=,ppid=,args=']);
  const rows = stdout.trim().split('\n').map((line) => {
    const [, pid, ppid, args] = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line)!;
    return { pid: Number(pid), ppid: Number(ppid), args };
  });
  const found: { pid: number; args: string }[] = [];
  const parents = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const row of rows) {
      if (parents.has(row.ppid) && !parents.has(row.pid)) {
        parents.add(row.pid);
        found.push({ pid: row.pid, args: row.args });
        grew = true;
      }
    }
  }
  return found;
}

export const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * `server/main.ts` as `npm start` runs it, with the demo on, in `dataDir`. With `media: false` no
 * worker binary is passed, so the process runs without a media node (control plane only, faster).
 */
export function startLinbo(
  t: { teardown(fn: () => unknown): void },
  options: { dataDir: string; port: string; media?: boolean; env?: Record<string, string> },
) {
  const workerBin = process.env.MEDIASOUP_WORKER_BIN;
  const media = options.media ?? true;
  if (media && !workerBin) throw new Error('MEDIASOUP_WORKER_BIN is not set: npm test sets it; alone, use $(node scripts/mediasoup.mjs)');
  const child = spawn(process.execPath, [join(ROOT, 'server', 'main.ts')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...(media ? { MEDIASOUP_WORKER_BIN: workerBin } : {}),
      PORT: options.port, HOST: '127.0.0.1', LINBO_DATA_DIR: options.dataDir, LINBO_DEMO: '1', LOG_LEVEL: 'warn',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  // A failed run still stops cleanly (SIGKILL would leave the feed's ffmpeg orphaned).
  t.teardown(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(killer);
  });
  const feeds = async () => (await descendants(child.pid!)).filter((p) => p.args.includes('testsrc2'));
  return { child, exited, output: () => output, feeds };
}

export function tempDataDir(t: { teardown(fn: () => unknown): void }): string {
  const dataDir = mkdtempSync(join(tmpdir(), 'linbo-demo-live-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  return dataDir;
}

export const randomPort = () => String(20000 + Math.floor(Math.random() * 20000));
