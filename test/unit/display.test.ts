import t from 'tap';
import { formatStart, kindLabel } from '../../server/contracts/display.ts';

const zone = 'Asia/Shanghai';

t.test('a start this year reads "12月11日 星期五 09:30" in the installation zone', async (t) => {
  t.equal(formatStart('2026-12-11T01:30:00Z', { timeZone: zone, lang: 'zh-CN', now: '2026-12-01T00:00:00Z' }), '12月11日 星期五 09:30');
});

t.test('a start in another year carries the year', async (t) => {
  t.equal(formatStart('2027-01-08T01:30:00Z', { timeZone: zone, lang: 'zh-CN', now: '2026-12-01T00:00:00Z' }), '2027年1月8日 星期五 09:30');
  t.equal(formatStart('2027-01-08T01:30:00Z', { timeZone: zone, lang: 'en', now: '2026-12-01T00:00:00Z' }), 'Fri 8 Jan 2027, 09:30');
});

t.test('English reads "Fri 11 Dec, 09:30"', async (t) => {
  t.equal(formatStart('2026-12-11T01:30:00Z', { timeZone: zone, lang: 'en', now: '2026-12-01T00:00:00Z' }), 'Fri 11 Dec, 09:30');
});

t.test('the day and the year are those of the zone, not of UTC', async (t) => {
  // 16:30 UTC on 31 December is already 00:30 on 1 January in Shanghai.
  t.equal(formatStart('2026-12-31T16:30:00Z', { timeZone: zone, lang: 'zh-CN', now: '2027-01-01T00:00:00Z' }), '1月1日 星期五 00:30');
  t.equal(formatStart('2026-12-31T16:30:00Z', { timeZone: 'Europe/Berlin', lang: 'zh-CN', now: '2027-01-01T00:00:00Z' }), '2026年12月31日 星期四 17:30');
});

t.test('kinds have a label in both languages', async (t) => {
  t.same([kindLabel('lecture', 'zh-CN'), kindLabel('gala', 'zh-CN'), kindLabel('event', 'en')], ['讲座', '晚会', 'Event']);
});
