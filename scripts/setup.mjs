// Brings a fresh clone to a runnable state, doing only what is missing so a second run takes seconds:
// Node ≥ 22, npm dependencies, Debian packages, tap's plugin build, the browser bundles and, for the
// tests, the PostgreSQL and Redis servers.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDebianPackages } from './apt.mjs';
import { ensureMediasoupWorker } from './mediasoup.mjs';
import { ensureNode } from './node-runtime.mjs';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const STAMPS = join(ROOT, 'node_modules', '.cache', 'linbo');
const log = (msg) => console.log(`linbo: ${msg}`);

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: ROOT, ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
}

function stamp(name, key, work) {
  const file = join(STAMPS, `${name}.stamp`);
  if (existsSync(file) && readFileSync(file, 'utf8') === key) return;
  work();
  mkdirSync(STAMPS, { recursive: true });
  writeFileSync(file, key);
}

const hashOf = (...files) => {
  const h = createHash('sha256');
  for (const f of files) h.update(existsSync(join(ROOT, f)) ? readFileSync(join(ROOT, f)) : '');
  return h.digest('hex');
};

function ensureNpmDependencies() {
  const key = hashOf('package-lock.json', 'package.json');
  if (!existsSync(join(ROOT, 'node_modules'))) mkdirSync(join(STAMPS), { recursive: true });
  stamp('npm', key, () => {
    log('installing npm dependencies…');
    run('npm', ['ci', '--no-audit', '--no-fund']);
    mkdirSync(STAMPS, { recursive: true });
  });
}

function ensureTapBuild(node) {
  // tap compiles its runner for the plugin list in package.json (we drop @tapjs/typescript: Node strips types).
  const key = hashOf('package-lock.json', 'package.json');
  stamp('tap', key, () => {
    log('building tap with the plugins package.json asks for…');
    run(node, [join(ROOT, 'node_modules', '.bin', 'tap'), 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
  });
}

function buildWeb(node) {
  run(node, [join(ROOT, 'scripts', 'build-web.mjs')]);
}

const reachable = (port) =>
  new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

async function waitFor(port, what) {
  for (let i = 0; i < 100; i++) {
    if (await reachable(port)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not start listening on 127.0.0.1:${port}`);
}

/** PostgreSQL on 127.0.0.1:5432 with trust auth and a `test` database, as the tests expect. */
async function ensurePostgres() {
  if (await reachable(5432)) return;
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  const sh = (cmd, args) => run(sudo[0] ?? cmd, [...(sudo.length ? [cmd] : []), ...args]);
  if (!existsSync('/etc/postgresql')) {
    log('PostgreSQL is not installed; installing it for the tests…');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    run(sudo[0] ?? 'apt-get', [...(sudo.length ? ['apt-get'] : []), 'install', '-y', '-qq', 'postgresql'], { env });
  }
  const version = readFileSyncDir('/etc/postgresql');
  const hba = `/etc/postgresql/${version}/main/pg_hba.conf`;
  const rules = readFileSync(hba, 'utf8');
  if (!rules.includes('# linbo tests')) {
    writeFileSync(hba, `# linbo tests\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n${rules}`);
  }
  log('starting PostgreSQL…');
  sh('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start']);
  await waitFor(5432, 'PostgreSQL');
  spawnSync('createdb', ['-h', '127.0.0.1', '-U', 'postgres', 'test'], { stdio: 'ignore' });
}

/** Redis on 127.0.0.1:6379 for the scaled-out realtime channel's tests (no systemd here: it runs daemonized). */
async function ensureRedis() {
  if (await reachable(6379)) return;
  ensureDebianPackages(['redis']);
  log('starting Redis…');
  run('redis-server', ['--daemonize', 'yes', '--port', '6379', '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']);
  await waitFor(6379, 'Redis');
}

function readFileSyncDir(dir) {
  return execFileSync('ls', [dir], { encoding: 'utf8' }).trim().split('\n').sort().pop();
}

/**
 * @param {{ apt: string[], services?: boolean, mediasoup?: boolean }} what
 * @returns {Promise<string>} the Node ≥ 22 binary to run the service and the tests with
 */
export async function setup({ apt, services = false, mediasoup = false }) {
  const started = Date.now();
  const node = ensureNode(console.log);
  ensureNpmDependencies();
  ensureDebianPackages(apt);
  ensureTapBuild(node);
  buildWeb(node);
  if (services) await ensurePostgres();
  if (services) await ensureRedis();
  // Children (the service, tap) inherit it; mediasoup reads it when first imported.
  if (mediasoup) process.env.MEDIASOUP_WORKER_BIN = await ensureMediasoupWorker({ log });
  log(`set up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return node;
}
