// What the watch page downloads before its video starts, gzipped: the page's script and the chunks it
// imports, its styles, and the hls.js chunk it then imports (the light build, or the full one when the
// ladder's sound is a separate rendition: player/watch/engine.ts). Builds first.
// Usage: node scripts/web-size.ts   (README "Watch page weight" states the figures)
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const PLAYER = join(ROOT, 'dist', 'web', 'player');

/** The budget for script and styles before the video starts (issue 6), gzip bytes. */
export const WATCH_BUDGET = 150 * 1024;

export interface WatchWeight {
  /** File (relative to dist/web/player) → gzip bytes. */
  files: Record<string, number>;
  /** Page script, its static chunks and styles, with hls.js's light build. */
  light: number;
  /** The same with hls.js's full build. */
  full: number;
  /** Where native HLS plays (no hls.js). */
  native: number;
}

const gzipped = (file: string) => gzipSync(readFileSync(join(PLAYER, file)), { level: 9 }).length;

/**
 * `file` (relative to `root`, the player's bundles by default) and every chunk it imports statically,
 * transitively (esbuild writes `from"./chunks/x.js"`): what a page loads before it runs.
 */
export function staticClosure(file: string, root = PLAYER, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const text = readFileSync(join(root, file), 'utf8');
  for (const m of text.matchAll(/(?:from|import)\s*"\.\/((?:chunks\/)?[\w.-]+\.js)"/g)) {
    staticClosure(join(dirname(file), m[1]).replace(/^\.\//, ''), root, seen);
  }
  return seen;
}

/** The chunk a dynamic import('…hls…') in the page's code resolves to. */
function hlsChunk(kind: 'light' | 'full'): string {
  const text = [...staticClosure('watch.js')].map((f) => readFileSync(join(PLAYER, f), 'utf8')).join('\n');
  const chunks = [...text.matchAll(/import\("\.\/((?:chunks\/)?hls[\w.-]*\.js)"\)/g)].map((m) => m[1].startsWith('chunks/') ? m[1] : `chunks/${m[1]}`);
  const found = chunks.find((c) => (kind === 'light' ? c.includes('hls.light') : !c.includes('hls.light')));
  if (!found) throw new Error(`no ${kind} hls.js chunk imported by the watch page (found ${chunks.join(', ') || 'none'})`);
  return found;
}

export function measureWatchWeight(build = true): WatchWeight {
  if (build) execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-web.mjs')], { stdio: 'ignore' });
  const page = [...staticClosure('watch.js'), 'watch.css'];
  const light = hlsChunk('light');
  const full = hlsChunk('full');
  const files = Object.fromEntries([...page, light, full].map((f) => [f, gzipped(f)]));
  const native = page.reduce((sum, f) => sum + files[f], 0);
  return { files, native, light: native + files[light], full: native + files[full] };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const w = measureWatchWeight();
  for (const [file, bytes] of Object.entries(w.files)) console.log(`${kb(bytes).padStart(9)}  ${file}`);
  console.log(`watch page before the video starts (gzip), budget ${kb(WATCH_BUDGET)}:`);
  console.log(`  native HLS (iPhone):              ${kb(w.native)}`);
  console.log(`  hls.js light (sound in the video): ${kb(w.light)} ${w.light <= WATCH_BUDGET ? 'within' : 'OVER'} budget`);
  console.log(`  hls.js full (separate sound):      ${kb(w.full)} ${w.full <= WATCH_BUDGET ? 'within' : 'OVER'} budget`);
}
