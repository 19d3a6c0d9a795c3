// Meson ≥ 1.1 for building mediasoup's worker. Debian 12 ships meson 1.0.1; bookworm-backports has 1.7.
// The system's apt sources stay untouched: a private apt configuration downloads the backports .deb,
// and `dpkg -x` unpacks it into the cache (meson is pure Python: its modules only need PYTHONPATH).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CACHE_DIR } from '../node-runtime.mjs';

const MINIMUM = [1, 1];
const BACKPORTS = 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm-backports main';
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

const versionOf = (cmd, env = {}) => {
  const r = spawnSync(cmd[0], [...cmd.slice(1), '--version'], { encoding: 'utf8', env: { ...process.env, ...env } });
  return r.status === 0 ? r.stdout.trim() : null;
};

const recentEnough = (version) => {
  const [major, minor] = (version ?? '0.0').split('.').map(Number);
  return major > MINIMUM[0] || (major === MINIMUM[0] && minor >= MINIMUM[1]);
};

/** `{ cmd, env }`: how to run meson ≥ 1.1, with the environment it (and ninja's regenerate rule) needs. */
export function ensureMesonCommand(log) {
  if (recentEnough(versionOf(['meson']))) return { cmd: ['meson'], env: {} };
  const dir = join(CACHE_DIR, 'meson-bookworm-backports');
  if (!existsSync(join(dir, 'usr', 'bin', 'meson'))) fetchFromBackports(dir, log);
  const pythonPath = [join(dir, 'usr', 'lib', 'python3', 'dist-packages'), process.env.PYTHONPATH].filter(Boolean).join(':');
  const found = { cmd: [PYTHON, join(dir, 'usr', 'bin', 'meson')], env: { PYTHONPATH: pythonPath } };
  const version = versionOf(found.cmd, found.env);
  if (!recentEnough(version)) throw new Error(`meson 1.1+ not found in bookworm-backports (${dir} has ${version ?? 'a meson that does not run'})`);
  return found;
}

function fetchFromBackports(dir, log) {
  log('fetching meson from bookworm-backports (Debian 12 has 1.0; mediasoup needs 1.1+)…');
  const work = mkdtempSync(join(tmpdir(), 'linbo-meson-'));
  try {
    mkdirSync(join(work, 'lists', 'partial'), { recursive: true });
    mkdirSync(join(work, 'cache', 'archives', 'partial'), { recursive: true });
    writeFileSync(join(work, 'sources.list'), `${BACKPORTS}\n`);
    const privateApt = [
      '-o', `Dir::Etc::SourceList=${join(work, 'sources.list')}`,
      '-o', 'Dir::Etc::SourceParts=/dev/null',
      '-o', `Dir::State::Lists=${join(work, 'lists')}`,
      '-o', `Dir::Cache=${join(work, 'cache')}`,
      // As root apt hands downloads to its `_apt` user, which cannot write into this folder.
      ...(process.getuid?.() === 0 ? ['-o', 'APT::Sandbox::User=root'] : []),
    ];
    step(['apt-get', ...privateApt, '-qq', 'update'], work, 'cannot read the bookworm-backports index from deb.debian.org');
    step(['apt-get', ...privateApt, '-qq', 'download', 'meson/bookworm-backports'], work, 'meson 1.1+ not found in bookworm-backports');
    const deb = readdirSync(work).find((f) => f.startsWith('meson_') && f.endsWith('.deb'));
    if (!deb) throw new Error('meson 1.1+ not found in bookworm-backports (apt-get download left no .deb)');
    const stage = `${dir}.partial-${process.pid}`;
    rmSync(stage, { recursive: true, force: true });
    step(['dpkg', '-x', join(work, deb), stage], work, `cannot unpack ${deb}`);
    rmSync(dir, { recursive: true, force: true });
    renameSync(stage, dir);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function step([cmd, ...args], cwd, failure) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${failure}: ${r.error?.message ?? r.stderr.trim().split('\n').slice(-3).join(' / ')}`);
}
