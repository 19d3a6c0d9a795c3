// Times are UTC on the wire and shown, typed and grouped in the installation's time zone (not the
// browser's: a staff member travelling still schedules in the street office's local time).
// Dates are plain "YYYY-MM-DD" strings; arithmetic on them is done in UTC where days never skip.

const partsFormats = new Map<string, Intl.DateTimeFormat>();

function partsIn(zone: string, at: number): Record<string, number> {
  let format = partsFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    partsFormats.set(zone, format);
  }
  const out: Record<string, number> = {};
  for (const p of format.formatToParts(new Date(at))) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return out;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Milliseconds the zone's wall clock is ahead of UTC at the instant `at`. */
function offsetAt(zone: string, at: number): number {
  const p = partsIn(zone, at);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour % 24, p.minute, p.second);
  return wall - Math.floor(at / 1000) * 1000;
}

export interface Wall {
  /** YYYY-MM-DD */
  date: string;
  /** HH:MM */
  time: string;
}

export function toWall(instant: string | number, zone: string): Wall {
  const p = partsIn(zone, new Date(instant).getTime());
  return { date: `${p.year}-${pad(p.month)}-${pad(p.day)}`, time: `${pad(p.hour % 24)}:${pad(p.minute)}` };
}

/** The UTC instant (ISO) at which the zone's clock shows `date` `time`. */
export function fromWall(date: string, time: string, zone: string): string {
  const [y, m, d] = date.split('-').map(Number);
  const [hh, mm] = time.split(':').map(Number);
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  let utc = wall - offsetAt(zone, wall);
  // Near a DST change the offset at the guess differs from the offset at the answer.
  const second = offsetAt(zone, utc);
  if (wall - second !== utc) utc = wall - second;
  return new Date(utc).toISOString();
}

export const today = (zone: string): string => toWall(Date.now(), zone).date;

export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday, like Date#getDay. */
export function weekdayOf(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

/** The Monday of the week holding `date` (weeks start on Monday in China). */
export const mondayOf = (date: string): string => addDays(date, -((weekdayOf(date) + 6) % 7));

export const monthOf = (date: string): string => date.slice(0, 7);

export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number);
  const d = new Date(Date.UTC(y, m - 1 + n, 1));
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}`;
}

export function formatDate(date: string, lang: string, options: Intl.DateTimeFormatOptions): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Intl.DateTimeFormat(lang, { timeZone: 'UTC', ...options }).format(new Date(Date.UTC(y, m - 1, d)));
}

/** e.g. "3月8日周五 09:30" / "Fri, Mar 8, 09:30", in the installation's zone. */
export function formatWhen(instant: string, lang: string, zone: string): string {
  return new Intl.DateTimeFormat(lang, {
    timeZone: zone,
    month: 'short',
    day: 'numeric',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(instant));
}
