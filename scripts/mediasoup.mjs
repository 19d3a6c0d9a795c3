// mediasoup's worker (C++) built from the sources in its own npm package against Debian's libraries.
// Its install script downloads a prebuilt binary from GitHub, or else lets meson download the worker's
// dependencies; no such host is reachable here, so the package is installed with its scripts off.
// The binary is cached outside the repository, keyed by mediasoup version and platform; mediasoup runs
// the one MEDIASOUP_WORKER_BIN names. Why and how: docs/decisions.md.
//   node scripts/mediasoup.mjs   prints the worker's path, building it when missing
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync,
  renameSync, rmSync, writeFileSync, writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureDebianPackages } from './apt.mjs';
import { ensureMesonCommand } from './mediasoup/meson.mjs';
import { CACHE_DIR } from './node-runtime.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const MEDIASOUP = join(ROOT, 'node_modules', 'mediasoup');
// One local subproject per wrap mediasoup would download, named like the wrap (see README there).
const RECIPE = join(ROOT, 'scripts', 'mediasoup');
const SUBPROJECTS = join(RECIPE, 'subprojects');
const MESON_ARGS = ['--wrap-mode=nodownload', '--buildtype=release', '-Db_ndebug=true'];

// mediasoup's DTLS BIO callback answers 1 to every control query on the outgoing BIO, including
// "is kernel TLS active?"; Debian's KTLS-enabled libssl believes it and the worker crashes on the
// first handshake. Testing the bit is the fix (docs/decisions.md).
const DTLS_SOURCE = join('src', 'RTC', 'DtlsTransport.cpp');
const DTLS_BUG = 'const long resultOfcallback = (operationType == BIO_CB_RETURN) ? static_cast<long>(ret) : 1;';
const DTLS_FIX = DTLS_BUG.replace('operationType == BIO_CB_RETURN', 'operationType & BIO_CB_RETURN');

// What the build needs, each named by the Debian package that provides it.
const PKG_CONFIG_MODULES = {
  libuv: 'libuv1-dev', openssl: 'libssl-dev', libsrtp2: 'libsrtp2-dev', flatbuffers: 'libflatbuffers-dev',
  absl_flat_hash_map: 'libabsl-dev',
};
const TOOLS = { 'c++': 'build-essential', strip: 'build-essential', ninja: 'ninja-build', flatc: 'flatbuffers-compiler' };

const defaultLog = (msg) => console.error(`linbo: ${msg}`);

/** Absolute path of a mediasoup worker binary for the installed mediasoup, building it when missing. */
export async function ensureMediasoupWorker({ log = defaultLog } = {}) {
  const given = process.env.MEDIASOUP_WORKER_BIN;
  if (given) return startsOrThrow(given);
  const version = installedVersion();
  const dir = join(CACHE_DIR, `mediasoup-worker-${version}-${process.platform}-${process.arch}`);
  const bin = join(dir, 'mediasoup-worker');
  const recipe = recipeKey();
  if (isCached(dir, recipe)) return bin;
  if (process.platform !== 'linux') {
    throw new Error(`no mediasoup worker for ${process.platform}: it is built only on Debian; set MEDIASOUP_WORKER_BIN to a worker binary`);
  }
  ensureDebianPackages(['mediasoup'], log);
  if (isCached(dir, recipe)) return bin; // the runtime libraries were what was missing
  await build({ version, dir, recipe, log });
  return bin;
}

function installedVersion() {
  const manifest = join(MEDIASOUP, 'package.json');
  if (!existsSync(join(MEDIASOUP, 'worker', 'meson.build'))) {
    throw new Error(`mediasoup's worker sources are missing from ${relative(ROOT, MEDIASOUP)} (run npm ci)`);
  }
  return JSON.parse(readFileSync(manifest, 'utf8')).version;
}

/** A change to the subprojects, the meson options or the patch must not reuse an old binary. */
function recipeKey() {
  const hash = createHash('sha256').update(JSON.stringify({ MESON_ARGS, DTLS_FIX }));
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else hash.update(relative(RECIPE, path)).update(readFileSync(path));
    }
  };
  walk(SUBPROJECTS);
  return hash.digest('hex');
}

function isCached(dir, recipe) {
  const stamp = join(dir, 'recipe');
  return existsSync(stamp) && readFileSync(stamp, 'utf8') === recipe && starts(join(dir, 'mediasoup-worker')).ok;
}

/** Without MEDIASOUP_VERSION in its environment the worker exits with 41 once it has loaded its libraries. */
function starts(bin) {
  const env = { ...process.env };
  delete env.MEDIASOUP_VERSION;
  const r = spawnSync(bin, [], { env, encoding: 'utf8', timeout: 10_000 });
  return { ok: r.status === 41, detail: r.error?.message ?? (r.stderr.trim() || `exit ${r.status ?? r.signal}`) };
}

function startsOrThrow(bin) {
  const { ok, detail } = starts(bin);
  if (!ok) throw new Error(`the mediasoup worker ${bin} does not start: ${detail}`);
  return bin;
}

function checkBuildPieces() {
  const missing = [];
  for (const [module, pkg] of Object.entries(PKG_CONFIG_MODULES)) {
    if (spawnSync('pkg-config', ['--exists', module]).status !== 0) missing.push(`${pkg} (pkg-config ${module})`);
  }
  for (const [tool, pkg] of Object.entries(TOOLS)) {
    if (spawnSync(tool, ['--version'], { stdio: 'ignore' }).error) missing.push(`${pkg} (${tool})`);
  }
  if (missing.length) throw new Error(`cannot build the mediasoup worker, missing: ${missing.join(', ')}`);
}

async function build({ version, dir, recipe, log }) {
  checkBuildPieces();
  const meson = ensureMesonCommand(log);
  const started = Date.now();
  log(`building the mediasoup ${version} worker from its npm sources (about 5 minutes on 2 cores)…`);
  const work = mkdtempSync(join(tmpdir(), `linbo-mediasoup-${version}-`));
  const logFile = join(work, 'build.log');
  const worker = join(work, 'worker');
  const env = { ...process.env, ...meson.env }; // ninja re-runs meson when a meson.build changes
  try {
    cpSync(join(MEDIASOUP, 'worker'), worker, { recursive: true, filter: (src) => !src.endsWith(join('worker', 'out')) });
    placeSubprojects(worker);
    fixDtlsCallback(worker, version);
    await logged(meson.cmd, ['setup', 'build', ...MESON_ARGS], { cwd: worker, env, logFile }, () => {});
    let shown = 0;
    await logged(['ninja'], ['-C', 'build', 'mediasoup-worker'], { cwd: worker, env, logFile }, (line) => {
      const step = /^\[(\d+)\/(\d+)\]/.exec(line);
      const quarter = step ? Math.floor((4 * Number(step[1])) / Number(step[2])) : 0;
      if (quarter > shown && quarter < 4) log(`mediasoup worker: ${(shown = quarter) * 25}% (${step[1]}/${step[2]} build steps)`);
    });
    const built = join(worker, 'build', 'mediasoup-worker');
    await logged(['strip'], [built], { cwd: worker, env, logFile }, () => {});
    startsOrThrow(built);
    install({ built, dir, recipe });
  } catch (err) {
    if (!existsSync(logFile)) throw err;
    throw new Error(`${err.message}\n  build log (kept): ${logFile}\n${tail(logFile)}`);
  }
  rmSync(work, { recursive: true, force: true });
  const seconds = Math.round((Date.now() - started) / 1000);
  log(`built the mediasoup worker in ${Math.floor(seconds / 60)} min ${seconds % 60} s: ${join(dir, 'mediasoup-worker')}`);
}

/** Meson uses an existing `subprojects/<directory>` (the wrap's `directory =`) as it is and downloads nothing. */
function placeSubprojects(worker) {
  for (const wrap of readdirSync(SUBPROJECTS)) {
    const wrapFile = join(worker, 'subprojects', `${wrap}.wrap`);
    const directory = existsSync(wrapFile) && /^directory\s*=\s*(\S+)/m.exec(readFileSync(wrapFile, 'utf8'))?.[1];
    if (!directory) throw new Error(`mediasoup's worker no longer has subprojects/${wrap}.wrap; update scripts/mediasoup/subprojects`);
    cpSync(join(SUBPROJECTS, wrap), join(worker, 'subprojects', directory), { recursive: true });
  }
}

function fixDtlsCallback(worker, version) {
  const file = join(worker, DTLS_SOURCE);
  const source = readFileSync(file, 'utf8');
  if (source.split(DTLS_BUG).length !== 2) {
    throw new Error(
      `mediasoup ${version}: the DTLS BIO callback line to fix is not in worker/${DTLS_SOURCE} ` +
        `(expected "${DTLS_BUG}"). Check whether this version fixed or moved it, then update scripts/mediasoup.mjs.`,
    );
  }
  writeFileSync(file, source.replace(DTLS_BUG, DTLS_FIX));
}

/** Runs a build step with its output in the build log, passing each output line to `onLine`. */
function logged([cmd, ...pre], args, { cwd, env, logFile }, onLine) {
  const fd = openSync(logFile, 'a');
  writeSync(fd, `\n$ ${[cmd, ...pre, ...args].join(' ')}\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, [...pre, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => (writeSync(fd, `${line}\n`), onLine(line)));
    }
    child.on('error', (err) => (closeSync(fd), reject(new Error(`${cmd}: ${err.message}`))));
    child.on('close', (code, signal) => {
      closeSync(fd);
      if (code === 0) resolve();
      else reject(new Error(`building the mediasoup worker failed: ${cmd} ${args[0]} exited with ${code ?? signal}`));
    });
  });
}

function tail(file, lines = 30) {
  if (!existsSync(file)) return '';
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).map((l) => `    ${l}`).join('\n');
}

/** Built in a temporary folder, moved into the cache in one rename: a half-written binary is never cached. */
function install({ built, dir, recipe }) {
  // Another setup (npm test next to npm start) may have finished the same build first.
  if (isCached(dir, recipe)) return;
  mkdirSync(CACHE_DIR, { recursive: true });
  const stage = `${dir}.partial-${process.pid}`;
  const stale = `${dir}.stale-${process.pid}`;
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage);
  copyFileSync(built, join(stage, 'mediasoup-worker'));
  writeFileSync(join(stage, 'recipe'), recipe);
  if (existsSync(dir)) renameSync(dir, stale);
  try {
    renameSync(stage, dir);
  } catch (err) {
    rmSync(stage, { recursive: true, force: true });
    if (!isCached(dir, recipe)) throw err;
  }
  rmSync(stale, { recursive: true, force: true });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    console.log(await ensureMediasoupWorker());
  } catch (err) {
    console.error(`linbo: ${err.message}`);
    process.exit(1);
  }
}
