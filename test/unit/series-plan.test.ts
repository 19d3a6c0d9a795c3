import t from 'tap';
import { fieldsFor, planOccurrences, type PlannedSeries, type StoredOccurrence } from '../../server/series/plan.ts';

// Every Friday 09:30 in Shanghai (01:30Z) from 19 December 2025, a theme for January.
const lecture: PlannedSeries = {
  rrule: 'FREQ=WEEKLY;BYDAY=FR',
  firstStart: new Date('2025-12-19T01:30:00Z'),
  timezone: 'Asia/Shanghai',
  title: '法律讲座',
  description: '',
  kind: 'lecture',
  durationMinutes: 45,
  themes: { '2026-01': '家庭教育' },
  hostId: null,
  visibility: 'public',
  coverImageId: null,
  endedAt: null,
};
const now = new Date('2025-12-15T00:00:00Z');
const window = { now, from: now, to: new Date('2026-01-12T00:00:00Z') }; // four Fridays: 19, 26 Dec, 2, 9 Jan

let nextId = 0;
/** What the store holds after the plan's inserts were written. */
function stored(series: PlannedSeries, start: string, extra: Partial<StoredOccurrence> = {}): StoredOccurrence {
  return { id: `b${++nextId}`, version: 1, state: 'scheduled', detached: false, ...fieldsFor(series, new Date(start)), ...extra };
}
const materialised = (series: PlannedSeries) => planOccurrences(series, [], window).inserts.map((f) => stored(series, f.scheduledStart.toISOString()));

t.test('a new series gets one occurrence per Friday in the window, themed by its local month', async (t) => {
  const plan = planOccurrences(lecture, [], window);
  t.same(
    plan.inserts.map((f) => [f.scheduledStart.toISOString(), f.theme]),
    [
      ['2025-12-19T01:30:00.000Z', ''],
      ['2025-12-26T01:30:00.000Z', ''],
      ['2026-01-02T01:30:00.000Z', '家庭教育'],
      ['2026-01-09T01:30:00.000Z', '家庭教育'],
    ],
  );
  t.ok(plan.inserts.every((f) => f.occurrenceStart.getTime() === f.scheduledStart.getTime() && f.title === '法律讲座' && f.durationMinutes === 45));
  t.same([plan.updates, plan.cancellations], [[], []]);
});

t.test('planning again over what is stored changes nothing', async (t) => {
  t.same(planOccurrences(lecture, materialised(lecture), window), { inserts: [], updates: [], cancellations: [] });
});

t.test('a retitle updates the occurrences that follow the series and leaves the detached one alone', async (t) => {
  const rows = materialised(lecture);
  rows[1] = { ...rows[1], detached: true, title: '改期的讲座', scheduledStart: new Date('2025-12-27T01:30:00Z') };
  const plan = planOccurrences({ ...lecture, title: '普法讲座' }, rows, window);
  t.same(plan.updates, [rows[0], rows[2], rows[3]].map((r) => ({ id: r.id, version: r.version, changes: { title: '普法讲座' } })));
  t.same([plan.inserts, plan.cancellations], [[], []], 'the moved one is neither re-created nor cancelled');
});

t.test('occurrences before `from`, live, ended or cancelled are never touched', async (t) => {
  const rows = materialised(lecture);
  rows[1] = { ...rows[1], state: 'live' };
  rows[2] = { ...rows[2], state: 'cancelled' };
  rows[3] = { ...rows[3], state: 'ended' };
  const plan = planOccurrences({ ...lecture, title: '普法讲座', rrule: 'FREQ=WEEKLY;BYDAY=TH' }, rows, { ...window, from: new Date('2025-12-20T00:00:00Z') });
  t.same([plan.updates, plan.cancellations], [[], []], 'only the first is free to change, and it is before `from`');
  t.same(
    plan.inserts.map((f) => f.scheduledStart.toISOString()),
    ['2025-12-25T01:30:00.000Z', '2026-01-01T01:30:00.000Z', '2026-01-08T01:30:00.000Z'],
    'the new Thursdays are added beside them',
  );
});

t.test('a new time of day re-times the same occurrences instead of replacing them', async (t) => {
  const rows = materialised(lecture);
  const plan = planOccurrences({ ...lecture, firstStart: new Date('2025-12-19T02:00:00Z') }, rows, window);
  t.same(
    plan.updates.map((u) => [u.id, u.changes.scheduledStart?.toISOString(), u.changes.occurrenceStart?.toISOString()]),
    rows.map((r) => [r.id, new Date(r.scheduledStart.getTime() + 30 * 60_000).toISOString(), new Date(r.scheduledStart.getTime() + 30 * 60_000).toISOString()]),
  );
  t.same([plan.inserts, plan.cancellations], [[], []]);
});

t.test('a new weekday cancels the old occurrences and creates the new ones, but no cancelled date comes back', async (t) => {
  const rows = materialised(lecture);
  rows[2] = { ...rows[2], state: 'cancelled' }; // 2 January: a holiday week, skipped
  const thursdays = { ...lecture, rrule: 'FREQ=WEEKLY;BYDAY=TH,FR' };
  const plan = planOccurrences(thursdays, rows, window);
  t.same(plan.cancellations, [], 'every stored Friday is still wanted');
  t.same(
    plan.inserts.map((f) => f.scheduledStart.toISOString()),
    ['2025-12-25T01:30:00.000Z', '2026-01-01T01:30:00.000Z', '2026-01-08T01:30:00.000Z'],
    'the Thursdays from the first start on are added, and the cancelled Friday is not re-created',
  );
  const onlyThursdays = planOccurrences({ ...lecture, rrule: 'FREQ=WEEKLY;BYDAY=TH' }, rows, window);
  t.same(
    onlyThursdays.cancellations,
    [rows[0], rows[1], rows[3]].map((r) => ({ id: r.id, version: r.version })),
    'the Fridays still scheduled are cancelled; the cancelled one is not touched again',
  );
});

t.test('changing the month themes updates the theme of the occurrences in that month only', async (t) => {
  const rows = materialised(lecture);
  const plan = planOccurrences({ ...lecture, themes: { '2025-12': '冬季安全', '2026-01': '家庭教育' } }, rows, window);
  t.same(plan.updates, [rows[0], rows[1]].map((r) => ({ id: r.id, version: r.version, changes: { theme: '冬季安全' } })));
});

t.test('an ended series cancels what follows it from its end on', async (t) => {
  const rows = materialised(lecture);
  const plan = planOccurrences({ ...lecture, endedAt: new Date('2025-12-27T00:00:00Z') }, rows, window);
  t.same(plan.cancellations, [rows[2], rows[3]].map((r) => ({ id: r.id, version: r.version })));
  t.same(plan.inserts, []);
});

t.test('when the new time of today falls in the past, today is left as it was', async (t) => {
  const rows = materialised(lecture);
  // On 19 December at 01:15Z an editor moves the series to 09:00 local (01:00Z), which has passed today.
  const at = new Date('2025-12-19T01:15:00Z');
  const plan = planOccurrences({ ...lecture, firstStart: new Date('2025-12-19T01:00:00Z') }, rows, { now: at, from: at, to: window.to });
  t.notOk([...plan.updates, ...plan.cancellations].some((c) => c.id === rows[0].id), 'today is neither moved into the past nor cancelled');
  t.same(plan.updates.map((u) => u.id), [rows[1].id, rows[2].id, rows[3].id]);
  t.same(plan.inserts, []);
});

t.test('"this and following" from an occurrence re-times that occurrence too, even to an earlier hour', async (t) => {
  const rows = materialised(lecture);
  const plan = planOccurrences({ ...lecture, firstStart: new Date('2025-12-19T01:00:00Z') }, rows, { ...window, from: rows[1].scheduledStart });
  t.same(
    plan.updates.map((u) => [u.id, u.changes.scheduledStart?.toISOString()]),
    [rows[1], rows[2], rows[3]].map((r) => [r.id, new Date(r.scheduledStart.getTime() - 30 * 60_000).toISOString()]),
    'the first Friday, before `from`, keeps 09:30',
  );
  t.same([plan.inserts, plan.cancellations], [[], []]);
});
