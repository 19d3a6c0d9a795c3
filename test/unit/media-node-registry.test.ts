// Which media node takes a new broadcast, and that a broadcast stays on the node its feed arrives on.
import t from 'tap';
import { MediaNodeRegistry } from '../../server/media-nodes/registry.ts';

const STALE_MS = 30_000;

function registry() {
  const r = new MediaNodeRegistry(STALE_MS);
  r.register({ nodeId: 'a', cores: 2, ip: '10.0.0.1' }, 0);
  r.register({ nodeId: 'b', cores: 8, ip: '10.0.0.2' }, 0);
  return r;
}

t.test('a new broadcast goes to the node with the fewest broadcasts per core', async (t) => {
  const r = registry();
  r.reportLoad('a', { broadcasts: 1, cpu: 0.1 }, 1_000);
  r.reportLoad('b', { broadcasts: 2, cpu: 0.1 }, 1_000);
  t.equal(r.nodeFor('x', 1_000)?.nodeId, 'b', '2 on 8 cores is lighter than 1 on 2');
});

t.test('a pinned broadcast stays on its node whatever the load says', async (t) => {
  const r = registry();
  r.pin('x', 'a');
  r.reportLoad('a', { broadcasts: 5, cpu: 0.9 }, 1_000);
  t.equal(r.nodeFor('x', 1_000)?.nodeId, 'a');
  r.unpin('x');
  t.equal(r.nodeFor('x', 1_000)?.nodeId, 'b', 'once unpinned it is placed afresh');
});

t.test('a node that stopped reporting gets no new broadcasts', async (t) => {
  const r = registry();
  r.reportLoad('a', { broadcasts: 0, cpu: 0 }, STALE_MS + 5_000);
  t.equal(r.nodeFor('x', STALE_MS + 5_000)?.nodeId, 'a', 'b has been silent for longer than the stale limit');
  t.equal(r.nodeFor('x', 3 * STALE_MS), undefined, 'with every node silent there is none');
});

t.test('load from a node that never registered is ignored', async (t) => {
  const r = registry();
  r.reportLoad('ghost', { broadcasts: 1, cpu: 1 }, 1_000);
  t.same(r.nodes().map((n) => n.nodeId), ['a', 'b']);
});

t.test('removing a node that went away hands back the broadcasts pinned to it', async (t) => {
  const r = registry();
  r.pin('x', 'a');
  r.pin('y', 'b');
  t.same(r.remove('a'), ['x']);
  t.equal(r.pinnedNode('x'), undefined);
  t.equal(r.pinnedNode('y'), 'b');
  t.same(r.nodes().map((n) => n.nodeId), ['b']);
});
