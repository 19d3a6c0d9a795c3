// The in-process channel bus: gap-free numbering, delivery in order, and what a resuming client gets.
import t from 'tap';
import { LocalBus } from '../../server/realtime/local-bus.ts';
import type { Delivery } from '../../server/realtime/bus.ts';

const B = 'b1';

t.test('numbers public events per broadcast and delivers them, staff frames unnumbered', async (t) => {
  const bus = new LocalBus();
  const seen: Delivery[] = [];
  const off = await bus.subscribe(B, (d) => seen.push(d));
  t.equal((await bus.publish(B, { type: 'state', state: 'live' })).seq, 1);
  t.equal((await bus.publish('other', { type: 'state', state: 'live' })).seq, 1, 'each broadcast counts on its own');
  await bus.publishStaff(B, { type: 'bans', bans: [] });
  t.equal((await bus.publish(B, { type: 'state', state: 'ended' })).seq, 2);
  t.same(
    seen.map((d) => (d.kind === 'public' ? d.event.seq : d.kind)),
    [1, 'staff', 2],
  );
  off();
  await bus.publish(B, { type: 'state', state: 'ended' });
  t.equal(seen.length, 3, 'nothing after unsubscribing');
  t.equal(await bus.lastSeq(B), 3);
});

t.test('since: exactly the events after a seq, or null when they are not all kept or the seq is unknown', async (t) => {
  const bus = new LocalBus();
  t.same(await bus.since(B, 0), [], 'nothing yet');
  for (let i = 0; i < 1005; i++) await bus.publish(B, { type: 'state', state: 'live' });
  t.same(
    (await bus.since(B, 1000))!.map((e) => e.seq),
    [1001, 1002, 1003, 1004, 1005],
  );
  t.same(await bus.since(B, 1005), []);
  t.equal((await bus.since(B, 5))!.length, 1000, 'the oldest kept');
  t.equal(await bus.since(B, 4), null, 'one further back is gone');
  t.equal(await bus.since(B, 2000), null, 'a seq this bus never gave (it restarted)');
});
