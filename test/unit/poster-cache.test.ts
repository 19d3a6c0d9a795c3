import t from 'tap';
import { PosterCache } from '../../server/posters/cache.ts';

const png = (bytes: number) => Promise.resolve(Buffer.alloc(bytes));

t.test('many requests for one poster at once render it once', async (t) => {
  const cache = new PosterCache(1000);
  let renders = 0;
  const render = () => {
    renders++;
    return png(10);
  };
  const all = await Promise.all([cache.get('a', render), cache.get('a', render), cache.get('a', render)]);
  t.equal(renders, 1);
  t.ok(all[0] === all[1] && all[1] === all[2]);
});

t.test('beyond its byte budget it forgets the least recently used poster first', async (t) => {
  const cache = new PosterCache(250);
  await cache.get('a', () => png(100));
  await cache.get('b', () => png(100));
  await cache.get('a', () => png(100)); // a is now the most recent
  await cache.get('c', () => png(100));
  let rerendered = '';
  await cache.get('b', () => ((rerendered += 'b'), png(100)));
  t.equal(rerendered, 'b', 'b was evicted');
  t.equal(cache.size, 2);
});

t.test('a failed render is not cached', async (t) => {
  const cache = new PosterCache(1000);
  await t.rejects(cache.get('a', () => Promise.reject(new Error('boom'))));
  t.equal(await cache.get('a', () => png(5)).then((b) => b.length), 5);
});
