// Debian packages Linbo needs, by purpose, and the installer that adds whatever is missing through apt-get.
import { spawnSync } from 'node:child_process';

export const APT_PACKAGES = {
  // Chinese glyphs on e-posters: sharp's bundled fontconfig finds Noto CJK under /usr/share/fonts.
  fonts: ['fonts-noto-cjk'],
  // Headless browser for the end-to-end tests (playwright-core drives Debian's chromium; no browser download).
  browser: ['chromium'],
  // A real S3 server for the storage tests: Ceph's RADOS Gateway over a one-node cluster (test/helpers/s3.ts).
  s3: ['radosgw', 'ceph-mon', 'ceph-osd'],
  // The scaled-out realtime channel's tests run against a real Redis (scripts/setup.mjs starts it).
  redis: ['redis-server'],
  // The live transcoder and probes (media/ffmpeg/): Debian's ffmpeg 5.1 with libx264, ffprobe beside it.
  ffmpeg: ['ffmpeg'],
  // Building mediasoup's worker from its npm sources against Debian's libraries (scripts/mediasoup.mjs).
  mediasoup: [
    'build-essential', 'pkg-config', 'python3', 'ninja-build', 'libuv1-dev', 'libssl-dev', 'libsrtp2-dev',
    'flatbuffers-compiler', 'libflatbuffers-dev', 'libabsl-dev',
  ],
};

export function packagesFor(purposes) {
  return [...new Set(purposes.flatMap((p) => APT_PACKAGES[p]))];
}

function missingDebianPackages(names) {
  return names.filter((name) => {
    const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
    return !(r.stdout ?? '').includes('install ok installed');
  });
}

export function ensureDebianPackages(purposes, log = (msg) => console.log(`linbo: ${msg}`)) {
  const missing = missingDebianPackages(packagesFor(purposes));
  if (missing.length === 0) return;
  log(`installing Debian packages: ${missing.join(' ')}…`);
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // Another apt run (a parallel setup, unattended upgrades) may hold the dpkg lock: wait for it.
  const apt = (args) => {
    const cmd = [...sudo, 'apt-get', '-o', 'DPkg::Lock::Timeout=900', ...args];
    // Progress on stderr: `node scripts/mediasoup.mjs` prints only the worker's path on stdout.
    const r = spawnSync(cmd[0], cmd.slice(1), { stdio: ['ignore', 2, 2], env });
    if (r.status !== 0) throw new Error(`${cmd.join(' ')} failed (exit ${r.status ?? r.signal}); missing: ${missing.join(' ')}`);
  };
  apt(['update', '-qq']);
  apt(['install', '-y', '-qq', '--no-install-recommends', ...missing]);
}
