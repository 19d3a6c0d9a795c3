// The process `npm start` runs: embedded database, demo broadcast, console and countdown page served.
import t from 'tap';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { until } from '../helpers/until.ts';

const ROOT = join(import.meta.dirname, '..', '..');

function startProcess(t: { teardown(fn: () => unknown): void }, env: Record<string, string>) {
  const child = spawn(process.execPath, [join(ROOT, 'server', 'main.ts')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  t.teardown(async () => {
    child.kill('SIGTERM');
    await exited;
  });
  return { output: () => output, exited };
}

t.test('a first start migrates PGlite, prints a generated admin password once and a demo countdown that serves', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'linbo-main-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const port = String(20000 + Math.floor(Math.random() * 20000));
  const env = { PORT: port, HOST: '127.0.0.1', LINBO_DATA_DIR: dataDir, LINBO_DEMO: '1', LOG_LEVEL: 'warn' };
  const first = startProcess(t, env);
  await until('the process prints the demo countdown URL', () => /Demo broadcast countdown: (\S+)/.exec(first.output()), 60_000, 100);
  const password = /Admin login: admin \/ (\S+)/.exec(first.output())?.[1];
  t.ok(password && password.length >= 12, 'a generated password is printed');
  const countdown = /Demo broadcast countdown: (\S+)/.exec(first.output())![1];
  t.match(countdown, new RegExp(`^http://localhost:${port}/countdown/`));
  const page = await fetch(countdown.replace('localhost', '127.0.0.1'));
  t.equal(page.status, 200);
  t.match(await page.text(), /<html lang="zh-CN"/);
  const consolePage = await fetch(`http://127.0.0.1:${port}/console`);
  t.equal(consolePage.status, 200);
  const login = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password }),
  });
  t.equal(login.status, 200, 'the printed password logs in');
});

t.test('an unknown LINBO_ setting stops the process with a message naming it', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'linbo-main-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const proc = startProcess(t, { LINBO_DATA_DIR: dataDir, LINBO_TIMEZON: 'Asia/Shanghai' });
  t.equal(await proc.exited, 2);
  t.match(proc.output(), /LINBO_TIMEZON/);
});
