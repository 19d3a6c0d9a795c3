import t from 'tap';
import { countdownParts, serverClock } from '../../player/lib/format.ts';

t.test('the time left splits into days, hours, minutes and seconds', async (t) => {
  const ms = ((2 * 24 + 3) * 3600 + 4 * 60 + 5) * 1000;
  t.same(countdownParts(ms), { days: 2, hours: 3, minutes: 4, seconds: 5 });
});

t.test('seconds round up, so zero shows only when the start is reached, and never goes negative', async (t) => {
  t.same(countdownParts(59_001), { days: 0, hours: 0, minutes: 1, seconds: 0 });
  t.same(countdownParts(1), { days: 0, hours: 0, minutes: 0, seconds: 1 });
  t.same(countdownParts(0), { days: 0, hours: 0, minutes: 0, seconds: 0 });
  t.same(countdownParts(-5000), { days: 0, hours: 0, minutes: 0, seconds: 0 });
});

t.test('the server clock corrects a phone that runs ten minutes fast', async (t) => {
  const phoneNow = Date.now();
  const serverNow = new Date(phoneNow - 10 * 60_000).toISOString();
  const now = serverClock(serverNow, phoneNow);
  const skew = Date.now() - now();
  t.ok(skew >= 10 * 60_000 - 5 && skew <= 10 * 60_000 + 5, `reads the server's time (off by ${skew} ms)`);
});
