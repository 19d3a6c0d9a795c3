// `npm test`: set up what the tests need (packages incl. Chromium and Ceph's S3 gateway, PostgreSQL), type-check, run the whole
// suite with tap under Node ≥ 22 and end with one line: `N passed, M failed`.
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { setup, ROOT } from './setup.mjs';
import { summarise } from './tap-report.mjs';

const node = await setup({ apt: ['fonts', 'browser', 's3', 'ffmpeg'], services: true, mediasoup: true });
const env = {
  ...process.env,
  PATH: `${dirname(node)}:${process.env.PATH}`,
  NODE_COMPILE_CACHE: join(ROOT, 'node_modules', '.cache', 'linbo', 'compile'),
  DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
};

const started = Date.now();
const tsc = spawnSync(node, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', ROOT], {
  stdio: 'inherit',
  cwd: ROOT,
});
if (tsc.status !== 0) {
  console.log('type check failed');
  console.log('0 passed, 1 failed');
  process.exit(1);
}
console.log(`linbo: type check passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);

const files = process.argv.slice(2);
const tap = spawn(node, [join(ROOT, 'node_modules', '.bin', 'tap'), '--reporter=tap', ...files], {
  cwd: ROOT,
  env,
  stdio: ['ignore', 'pipe', 'inherit'],
});
const { passed, failed } = await summarise(tap.stdout, process.stdout);
const code = await new Promise((resolve) => tap.on('close', resolve));
const failedTotal = failed + (code !== 0 && failed === 0 ? 1 : 0);
console.log(`${passed} passed, ${failedTotal} failed`);
process.exit(failedTotal === 0 ? 0 : 1);
