import t from 'tap';
import { DateTime } from 'luxon';
import { normaliseRrule, occurrencesBetween, validateRecurrence, type Recurrence } from '../../server/series/recurrence.ts';

const iso = (dates: Date[]) => dates.map((d) => d.toISOString());
const wallClock = (dates: Date[], zone: string) => dates.map((d) => DateTime.fromJSDate(d, { zone }).toFormat('ccc HH:mm'));

// Friday 19 December 2025, 09:30 in Shanghai (UTC+8, no DST).
const fridays: Recurrence = { rrule: 'FREQ=WEEKLY;BYDAY=FR', firstStart: new Date('2025-12-19T01:30:00Z'), timezone: 'Asia/Shanghai' };

t.test('every Friday 09:30 in Shanghai is 01:30Z on each Friday, across the turn of the year', async (t) => {
  const starts = occurrencesBetween(fridays, new Date('2025-12-15T00:00:00Z'), new Date('2026-01-20T00:00:00Z'));
  t.same(iso(starts), [
    '2025-12-19T01:30:00.000Z',
    '2025-12-26T01:30:00.000Z',
    '2026-01-02T01:30:00.000Z',
    '2026-01-09T01:30:00.000Z',
    '2026-01-16T01:30:00.000Z',
  ]);
});

t.test('the window is half-open and nothing comes before the first start', async (t) => {
  const starts = occurrencesBetween(fridays, new Date('2025-12-01T00:00:00Z'), new Date('2025-12-26T01:30:00Z'));
  t.same(iso(starts), ['2025-12-19T01:30:00.000Z'], 'the 26th starts exactly at the end and is left out');
  t.same(occurrencesBetween(fridays, new Date('2026-01-02T01:30:00Z'), new Date('2026-01-02T01:30:00Z')), []);
});

t.test('in Berlin the wall-clock time stays 09:30 across both DST changes', async (t) => {
  const berlin: Recurrence = { rrule: 'FREQ=WEEKLY;BYDAY=FR', firstStart: new Date('2026-03-20T08:30:00Z'), timezone: 'Europe/Berlin' };
  const spring = occurrencesBetween(berlin, new Date('2026-03-19T00:00:00Z'), new Date('2026-04-04T00:00:00Z'));
  t.same(iso(spring), ['2026-03-20T08:30:00.000Z', '2026-03-27T08:30:00.000Z', '2026-04-03T07:30:00.000Z'], 'UTC shifts by the hour DST adds');
  t.same(wallClock(spring, 'Europe/Berlin'), ['Fri 09:30', 'Fri 09:30', 'Fri 09:30']);
  const autumn = occurrencesBetween(berlin, new Date('2026-10-20T00:00:00Z'), new Date('2026-11-01T00:00:00Z'));
  t.same(iso(autumn), ['2026-10-23T07:30:00.000Z', '2026-10-30T08:30:00.000Z']);
  t.same(wallClock(autumn, 'Europe/Berlin'), ['Fri 09:30', 'Fri 09:30']);
});

t.test('UNTIL as a date includes that whole local day; COUNT counts from the first start', async (t) => {
  const until = occurrencesBetween({ ...fridays, rrule: 'FREQ=WEEKLY;BYDAY=FR;UNTIL=20260102' }, new Date('2025-12-01T00:00:00Z'), new Date('2026-03-01T00:00:00Z'));
  t.same(iso(until), ['2025-12-19T01:30:00.000Z', '2025-12-26T01:30:00.000Z', '2026-01-02T01:30:00.000Z']);
  const count = occurrencesBetween({ ...fridays, rrule: 'FREQ=WEEKLY;COUNT=3' }, new Date('2025-12-25T00:00:00Z'), new Date('2026-03-01T00:00:00Z'));
  t.same(iso(count), ['2025-12-26T01:30:00.000Z', '2026-01-02T01:30:00.000Z'], 'the third is the last, whatever the window');
});

t.test('monthly rules by weekday position work: the first Friday of each month', async (t) => {
  const starts = occurrencesBetween({ ...fridays, rrule: 'FREQ=MONTHLY;BYDAY=1FR' }, new Date('2025-12-01T00:00:00Z'), new Date('2026-04-01T00:00:00Z'));
  t.same(iso(starts), ['2026-01-02T01:30:00.000Z', '2026-02-06T01:30:00.000Z', '2026-03-06T01:30:00.000Z']);
});

t.test('a rule is normalised: case, a leading "RRULE:" and surrounding spaces do not matter', async (t) => {
  t.equal(normaliseRrule(' rrule:freq=weekly;byday=fr '), 'FREQ=WEEKLY;BYDAY=FR');
});

t.test('each invalid rule is INVALID_RRULE with a detail saying what is wrong', async (t) => {
  const cases: [string, RegExp][] = [
    ['BYDAY=FR', /FREQ is missing/],
    ['FREQ=FORTNIGHTLY', /FREQ=FORTNIGHTLY is not valid/],
    ['FREQ=HOURLY', /too frequent/],
    ['FREQ=MINUTELY', /too frequent/],
    ['FREQ=SECONDLY', /too frequent/],
    ['FREQ=WEEKLY;BYHOUR=9', /time of day comes from firstStart/],
    ['FREQ=WEEKLY;BYMINUTE=30', /time of day comes from firstStart/],
    ['FREQ=WEEKLY;BYSECOND=0', /time of day comes from firstStart/],
    ['FREQ=WEEKLY;DTSTART=20251219T013000Z', /leave DTSTART out/],
    ['DTSTART:20251219T013000Z\nRRULE:FREQ=WEEKLY', /one RRULE line/],
    ['FREQ=WEEKLY;TZID=Asia/Shanghai', /leave TZID out/],
    ['FREQ=WEEKLY;EXDATE=20251226T013000Z', /EXDATE is not supported: cancel the occurrence/],
    ['FREQ=WEEKLY;BYDAY=XX', /BYDAY=XX is not valid/],
    ['FREQ=WEEKLY;COUNT=abc', /COUNT=ABC is not valid/],
    ['FREQ=WEEKLY;COUNT=0', /from 1 to 9999/],
    ['FREQ=WEEKLY;INTERVAL=0', /from 1 to 999/],
    ['FREQ=WEEKLY;BYDAY=FR;', /Empty RRULE part/],
    ['FREQ=WEEKLY;FREQ=DAILY', /given twice/],
    ['FREQ=WEEKLY;COLOR=RED', /Unknown RRULE part "COLOR"/],
    ['FREQ=WEEKLY;COUNT=3;UNTIL=20260101', /COUNT or UNTIL, not both/],
    ['FREQ=WEEKLY;BYDAY=1FR', /numbered BYDAY/],
    ['FREQ=DAILY;BYSETPOS=1', /BYSETPOS needs/],
    ['FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30', /No month in the rule has day 30/],
    ['FREQ=WEEKLY;UNTIL=20250101', /no date in the 10 years/],
    ['FREQ=DAILY;INTERVAL=7;BYDAY=MO', /no date in the 10 years/],
  ];
  for (const [rrule, detail] of cases) {
    t.throws(() => validateRecurrence({ ...fridays, rrule }), { code: 'INVALID_RRULE', status: 400, message: detail }, JSON.stringify(rrule));
  }
});

t.test('a rule whose weekday never comes round is refused; a rare but real date is accepted', async (t) => {
  t.throws(() => validateRecurrence({ ...fridays, rrule: 'FREQ=DAILY;INTERVAL=14;BYDAY=MO;BYMONTH=2' }), { code: 'INVALID_RRULE' });
  t.doesNotThrow(() => validateRecurrence({ ...fridays, rrule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29' }), 'a leap day comes within ten years');
});
