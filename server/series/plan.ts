// What a series' occurrences should look like from a moment on, compared with what is stored. Pure:
// the service reads the rows, asks here, and writes the answer in one transaction.
//
// An occurrence is identified by its calendar date in the series' zone (a rule without BYHOUR gives at
// most one start a day). So a new time of day re-times the same broadcast (same id, links and calendar
// UID) instead of cancelling it and creating another, and a cancelled or detached occurrence keeps its
// date taken: the series never re-creates or changes it.
import type { broadcasts, series } from '../store/schema.ts';
import { localDate, localMonth, occurrencesBetween } from './recurrence.ts';

type SeriesRow = typeof series.$inferSelect;
type BroadcastRow = typeof broadcasts.$inferSelect;

/** The series as the plan reads it. */
export type PlannedSeries = Pick<
  SeriesRow,
  'rrule' | 'firstStart' | 'timezone' | 'title' | 'description' | 'kind' | 'durationMinutes' | 'themes' | 'hostId' | 'visibility' | 'coverImageId' | 'endedAt'
>;

/** A stored occurrence as the plan reads it. */
export type StoredOccurrence = Pick<
  BroadcastRow,
  | 'id'
  | 'version'
  | 'state'
  | 'detached'
  | 'occurrenceStart'
  | 'scheduledStart'
  | 'title'
  | 'description'
  | 'kind'
  | 'durationMinutes'
  | 'hostId'
  | 'visibility'
  | 'coverImageId'
  | 'theme'
>;

/** The fields an occurrence takes from its series. */
export type SeriesFields = Pick<
  BroadcastRow,
  'occurrenceStart' | 'scheduledStart' | 'title' | 'description' | 'kind' | 'durationMinutes' | 'hostId' | 'visibility' | 'coverImageId' | 'theme'
> & { occurrenceStart: Date };

export interface OccurrencePlan {
  inserts: SeriesFields[];
  /** `version` is the one read: the write applies only if nobody changed the row since. */
  updates: { id: string; version: number; changes: Partial<SeriesFields> }[];
  cancellations: { id: string; version: number }[];
}

export interface PlanWindow {
  /** Nothing is moved to a start before this. */
  now: Date;
  /** Occurrences starting before this are not touched, nor new ones added before it; at or after `now`. */
  from: Date;
  /** New occurrences are created up to here (exclusive): now plus the horizon. */
  to: Date;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function fieldsFor(plan: PlannedSeries, start: Date): SeriesFields {
  return {
    occurrenceStart: start,
    scheduledStart: start,
    title: plan.title,
    description: plan.description,
    kind: plan.kind,
    durationMinutes: plan.durationMinutes,
    hostId: plan.hostId,
    visibility: plan.visibility,
    coverImageId: plan.coverImageId,
    theme: plan.themes[localMonth(start, plan.timezone)] ?? '',
  };
}

function changesOf(row: StoredOccurrence, wanted: SeriesFields): Partial<SeriesFields> {
  const changes: Partial<Record<keyof SeriesFields, unknown>> = {};
  for (const key of Object.keys(wanted) as (keyof SeriesFields)[]) {
    const [have, want] = [row[key], wanted[key]];
    const same = have instanceof Date && want instanceof Date ? have.getTime() === want.getTime() : have === want;
    if (!same) changes[key] = want;
  }
  return changes as Partial<SeriesFields>;
}

/** Only a scheduled occurrence nobody edited alone, not yet started, follows its series. */
const followsSeries = (row: StoredOccurrence, from: Date): boolean =>
  !row.detached && row.state === 'scheduled' && row.scheduledStart >= from;

/**
 * Plans the occurrences of `plannedSeries` in the window. `stored` must hold every occurrence of the
 * series whose original start is at or after a day before `window.from` (earlier ones cannot share a
 * date with anything planned).
 */
export function planOccurrences(plannedSeries: PlannedSeries, stored: readonly StoredOccurrence[], window: PlanWindow): OccurrencePlan {
  const { now, from, to } = window;
  const zone = plannedSeries.timezone;
  const rows = stored.filter((row): row is StoredOccurrence & { occurrenceStart: Date } => row.occurrenceStart !== null);
  const lastStored = Math.max(0, ...rows.map((row) => row.occurrenceStart.getTime()));
  // A day early: a stored occurrence at or after `from` may share its date with a new start just before it.
  const horizon = new Date(Math.max(to.getTime(), lastStored + DAY_MS));
  const end = plannedSeries.endedAt && plannedSeries.endedAt < horizon ? plannedSeries.endedAt : horizon;
  const wanted = new Map<string, Date>();
  for (const start of occurrencesBetween(plannedSeries, new Date(from.getTime() - DAY_MS), end)) wanted.set(localDate(start, zone), start);

  const plan: OccurrencePlan = { inserts: [], updates: [], cancellations: [] };
  const taken = new Set<string>();
  for (const row of rows) {
    const date = localDate(row.occurrenceStart, zone);
    taken.add(date);
    if (!followsSeries(row, from)) continue;
    const start = wanted.get(date);
    if (!start) plan.cancellations.push({ id: row.id, version: row.version });
    // The rule now puts this day's occurrence in the past: it is not moved there.
    else if (start < now) continue;
    else {
      const changes = changesOf(row, fieldsFor(plannedSeries, start));
      if (Object.keys(changes).length > 0) plan.updates.push({ id: row.id, version: row.version, changes });
    }
  }
  for (const [date, start] of wanted) {
    if (start >= from && start < to && !taken.has(date)) plan.inserts.push(fieldsFor(plannedSeries, start));
  }
  return plan;
}
