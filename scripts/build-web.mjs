// Bundles the browser code (player/ for residents, console/ for staff) into dist/web with esbuild.
import { build } from 'esbuild';
import { readdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const started = Date.now();
const counts = [];
// Residents' pages must run on old phones. The console is for staff on current browsers, and esbuild
// cannot lower destructuring for Safari before 14.1, which the console's code uses freely.
const TARGETS = { player: ['chrome80', 'safari13'], console: ['chrome80', 'safari14.1'] };
// Scripts other sites include with a plain <script src> (docs/embed.md): one self-contained file each, no chunks.
const STANDALONE = new Set(['linbo-player.ts']);
for (const app of ['player', 'console']) {
  const dir = join(ROOT, app, 'entries');
  if (!existsSync(dir)) continue;
  const files = readdirSync(dir).filter((f) => /\.(ts|css)$/.test(f) && !f.endsWith('.d.ts'));
  const entryPoints = files.filter((f) => !STANDALONE.has(f)).map((f) => join(dir, f));
  const standalone = files.filter((f) => STANDALONE.has(f)).map((f) => join(dir, f));
  await build({
    entryPoints,
    outdir: join(ROOT, 'dist', 'web', app),
    bundle: true,
    minify: true,
    format: 'esm',
    target: TARGETS[app],
    // The player's hls.js is a chunk the watch page imports only where native HLS will not do; hls.js
    // ships destructuring, which only browsers with MSE (never Safari 13 on iOS) ever run. The console's
    // is a chunk only its review queue loads.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    supported: app === 'player' ? { destructuring: true } : undefined,
    legalComments: 'none',
    logLevel: 'warning',
  });
  if (standalone.length) {
    await build({ entryPoints: standalone, outdir: join(ROOT, 'dist', 'web', app), bundle: true, minify: true, format: 'iife', target: TARGETS[app], legalComments: 'none', logLevel: 'warning' });
  }
  counts.push(`${app} (${entryPoints.length + standalone.length} entries)`);
}
console.log(`linbo: bundled ${counts.join(', ')} in ${Date.now() - started} ms`);
