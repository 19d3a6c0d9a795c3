// What the channel feed and clip pages weigh on an old phone over mobile data (script and styles,
// gzip, before any video), and that the upload library stays on the submission page only.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { staticClosure } from '../../scripts/web-size.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PLAYER = join(ROOT, 'dist', 'web', 'player');
execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-web.mjs')], { stdio: 'ignore' });

const files = (entry: string) => [...staticClosure(`${entry}.js`), `${entry}.css`];
const gzipped = (entry: string) => files(entry).reduce((sum, f) => sum + gzipSync(readFileSync(join(PLAYER, f)), { level: 9 }).length, 0);
// tus-js-client's protocol header, in its code whatever the minifier does to names.
const hasTus = (entry: string) => files(entry).some((f) => readFileSync(join(PLAYER, f), 'utf8').includes('Tus-Resumable'));

t.test('the feed and clip pages load under 30 KB gzip before any video (hls.js comes only when a clip plays)', async (t) => {
  for (const entry of ['feed', 'clip']) {
    const bytes = gzipped(entry);
    t.ok(bytes < 30 * 1024, `${entry}: ${(bytes / 1024).toFixed(1)} KB`);
  }
});

t.test('tus-js-client is in the submission page only', async (t) => {
  t.ok(hasTus('submit'), 'the submission page uploads with it');
  t.notOk(hasTus('feed'), 'not in the feed');
  t.notOk(hasTus('clip'), 'not in the clip page');
  const bytes = gzipped('submit');
  t.ok(bytes < 40 * 1024, `submit: ${(bytes / 1024).toFixed(1)} KB`);
});
