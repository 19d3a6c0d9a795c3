// The two servers the upload benchmark sends to, each in its own process so its RSS is its own: Linbo
// (server/main.ts as `npm start` runs it, with its media node, PGlite in a temp data dir) and the
// baseline, a bare Node HTTP server piping each request body into a file.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../test/helpers/ports.ts';
import { until } from '../../test/helpers/until.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const ADMIN_PASSWORD = 'bench upload password';

export interface BenchServer {
  readonly url: string;
  readonly pid: number;
  readonly dir: string;
  stop(): Promise<void>;
}

function start(args: string[], env: Record<string, string>, dir: string, port: number, ready: string): Promise<BenchServer> {
  const child: ChildProcess = spawn(process.execPath, args, { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  return until(`${args.at(-1)} answers at ${url}${ready}`, () => fetch(`${url}${ready}`).then((r) => r.status < 500), 60_000, 100).then(
    () => ({ url, pid: child.pid!, dir, stop }),
    async (err) => {
      await stop();
      throw err;
    },
  );
}

export async function startLinbo(): Promise<BenchServer> {
  const dir = mkdtempSync(join(tmpdir(), 'linbo-bench-upload-'));
  const port = await freePort();
  const worker = process.env.MEDIASOUP_WORKER_BIN ?? execFileSync(process.execPath, ['scripts/mediasoup.mjs'], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n').at(-1)!;
  const env = { MEDIASOUP_WORKER_BIN: worker, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: `http://127.0.0.1:${port}`, LINBO_DATA_DIR: dir, LINBO_ADMIN_PASSWORD: ADMIN_PASSWORD, LOG_LEVEL: 'warn' };
  return start([join(ROOT, 'server', 'main.ts')], env, dir, port, '/readyz');
}

const BASELINE = `
const { createServer } = require('node:http');
const { createWriteStream } = require('node:fs');
const { pipeline } = require('node:stream/promises');
let n = 0;
createServer((req, res) => {
  if (req.method !== 'PUT') return res.end('ok');
  pipeline(req, createWriteStream(process.env.DIR + '/body-' + n++)).then(() => res.end('stored'), () => res.destroy());
}).listen(Number(process.env.PORT), '127.0.0.1');
`;

export async function startBaseline(): Promise<BenchServer> {
  const dir = mkdtempSync(join(tmpdir(), 'linbo-bench-baseline-'));
  const port = await freePort();
  return start(['-e', BASELINE, 'baseline'], { PORT: String(port), DIR: dir }, dir, port, '/');
}
