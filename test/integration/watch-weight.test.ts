// The watch page's weight before the video starts (script + styles, gzip), measured on the real bundles.
import t from 'tap';
import { measureWatchWeight, WATCH_BUDGET } from '../../scripts/web-size.ts';

const weight = measureWatchWeight();

t.test('with hls.js light the watch page stays within 150 KB gzip before the video starts', async (t) => {
  t.ok(weight.light <= WATCH_BUDGET, `${(weight.light / 1024).toFixed(1)} KB: ${JSON.stringify(weight.files)}`);
});

t.test('where native HLS plays, hls.js is not loaded at all', async (t) => {
  t.ok(weight.native < 30 * 1024, `${(weight.native / 1024).toFixed(1)} KB without hls.js`);
  t.ok(Object.keys(weight.files).every((f) => f === 'watch.css' || f === 'watch.js' || f.startsWith('chunks/')), 'only the page, its chunks and hls.js');
});
