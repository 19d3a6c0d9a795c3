// When a series happens. Pure. The rule runs on "floating" wall-clock times (local time written as if
// it were UTC), so "every Friday 09:30" stays 09:30 in the series' zone across DST changes; each
// floating time is then turned into a real instant with luxon.
import { DateTime } from 'luxon';
import rrulePackage from 'rrule';
import { ApiError } from '../http/errors.ts';

// rrule ships CommonJS with no named exports Node's ESM loader can see.
const { RRule } = rrulePackage;
type RRuleInstance = InstanceType<typeof RRule>;

export interface Recurrence {
  /** RFC 5545 RRULE value without DTSTART, e.g. "FREQ=WEEKLY;BYDAY=FR". */
  rrule: string;
  /** The series' first start; its wall-clock time in `timezone` is every occurrence's time. */
  firstStart: Date;
  /** IANA zone the wall-clock time and month themes are read in. */
  timezone: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** A rule that yields nothing for this long is a mistake, and looking further would be slow. */
const FIRST_OCCURRENCE_WITHIN_YEARS = 10;

const WEEKDAY = '(SU|MO|TU|WE|TH|FR|SA)';
const list = (item: string) => new RegExp(`^${item}(,${item})*$`);
const signed = (digits: number) => `[+-]?\\d{1,${digits}}`;

// RFC 5545 §3.3.10 value grammar, checked here because rrule's own parser accepts nonsense silently
// ("BYDAY=XX", "COUNT=abc").
const SYNTAX: Record<string, { pattern: RegExp; range?: [number, number] }> = {
  FREQ: { pattern: /^(SECONDLY|MINUTELY|HOURLY|DAILY|WEEKLY|MONTHLY|YEARLY)$/ },
  UNTIL: { pattern: /^\d{8}(T\d{6}Z?)?$/ },
  COUNT: { pattern: /^\d{1,4}$/, range: [1, 9999] },
  INTERVAL: { pattern: /^\d{1,3}$/, range: [1, 999] },
  BYDAY: { pattern: list(`([+-]?\\d{1,2})?${WEEKDAY}`), range: [1, 53] },
  BYMONTHDAY: { pattern: list(signed(2)), range: [1, 31] },
  BYYEARDAY: { pattern: list(signed(3)), range: [1, 366] },
  BYWEEKNO: { pattern: list(signed(2)), range: [1, 53] },
  BYMONTH: { pattern: list('\\d{1,2}'), range: [1, 12] },
  BYSETPOS: { pattern: list(signed(3)), range: [1, 366] },
  WKST: { pattern: new RegExp(`^${WEEKDAY}$`) },
};

/** Parts that are valid iCalendar but not here, with why. */
const REFUSED: Record<string, string> = {
  DTSTART: 'leave DTSTART out: the series\' firstStart is the start',
  TZID: 'leave TZID out: the series\' time zone applies',
  BYHOUR: 'leave BYHOUR out: the time of day comes from firstStart',
  BYMINUTE: 'leave BYMINUTE out: the time of day comes from firstStart',
  BYSECOND: 'leave BYSECOND out: the time of day comes from firstStart',
  EXDATE: 'EXDATE is not supported: cancel the occurrence instead',
  RDATE: 'RDATE is not supported: schedule a one-off broadcast instead',
};

/** 29 for February: a rule's day must exist in some year. */
const MONTH_LENGTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The magnitudes in a list like "-1,15" or "1FR,-2MO" (weekday names dropped). */
const numbers = (value: string): number[] =>
  value.split(',').map((v) => Math.abs(parseInt(v.replace(/[A-Z]+$/, ''), 10))).filter((n) => !Number.isNaN(n));

const invalid = (detail: string) => new ApiError('INVALID_RRULE', detail);

/**
 * Checks the rule's text and returns it normalised (upper case, no "RRULE:" prefix), the form stored.
 * Throws INVALID_RRULE saying what is wrong.
 */
export function normaliseRrule(text: string): string {
  const rule = text.trim().toUpperCase().replace(/^RRULE:/, '');
  if (/[\r\n]/.test(rule)) throw invalid('Give one RRULE line without DTSTART, e.g. "FREQ=WEEKLY;BYDAY=FR"');
  const seen = new Map<string, string>();
  for (const part of rule.split(';')) {
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? '' : part.slice(eq + 1);
    if (REFUSED[name]) throw invalid(REFUSED[name]);
    const syntax = SYNTAX[name];
    if (!syntax) throw invalid(name ? `Unknown RRULE part "${name}"` : 'Empty RRULE part (a stray ";"?)');
    if (seen.has(name)) throw invalid(`${name} is given twice`);
    if (!syntax.pattern.test(value)) throw invalid(`${name}=${value} is not valid`);
    if (syntax.range) {
      const [min, max] = syntax.range;
      for (const n of numbers(value)) {
        if (n < min || n > max) throw invalid(`${name}=${value}: each value must be from ${min} to ${max}`);
      }
    }
    seen.set(name, value);
  }
  const freq = seen.get('FREQ');
  if (!freq) throw invalid('FREQ is missing, e.g. "FREQ=WEEKLY;BYDAY=FR"');
  if (['SECONDLY', 'MINUTELY', 'HOURLY'].includes(freq)) throw invalid(`FREQ=${freq} is too frequent: a series repeats daily at most`);
  if (seen.has('COUNT') && seen.has('UNTIL')) throw invalid('Give COUNT or UNTIL, not both');
  // §3.3.10 restrictions on which parts go with which frequency.
  if (/\d/.test(seen.get('BYDAY') ?? '') && freq !== 'MONTHLY' && freq !== 'YEARLY') {
    throw invalid('A numbered BYDAY (e.g. 1FR) needs FREQ=MONTHLY or FREQ=YEARLY');
  }
  if (seen.has('BYMONTHDAY') && freq === 'WEEKLY') throw invalid('BYMONTHDAY does not go with FREQ=WEEKLY');
  if (seen.has('BYYEARDAY') && freq !== 'YEARLY') throw invalid('BYYEARDAY needs FREQ=YEARLY');
  if (seen.has('BYWEEKNO') && freq !== 'YEARLY') throw invalid('BYWEEKNO needs FREQ=YEARLY');
  const monthDays = numbers(seen.get('BYMONTHDAY') ?? '');
  const months = seen.has('BYMONTH') ? numbers(seen.get('BYMONTH')!) : [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  if (monthDays.length > 0 && !months.some((m) => monthDays.some((d) => d <= MONTH_LENGTH[m - 1]))) {
    throw invalid(`No month in the rule has day ${monthDays.join(' or ')}`);
  }
  if (seen.has('BYSETPOS') && freq !== 'MONTHLY' && freq !== 'YEARLY') throw invalid('BYSETPOS needs FREQ=MONTHLY or FREQ=YEARLY');
  return rule;
}

/** The wall-clock time of `instant` in `zone`, written as a UTC date (what rrule computes on). */
function toFloating(instant: Date, zone: string): Date {
  const local = DateTime.fromJSDate(instant, { zone });
  return new Date(Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second));
}

/** The instant a floating wall-clock time happens in `zone` (in a DST gap, luxon moves it forward). */
function fromFloating(floating: Date, zone: string): Date {
  return DateTime.fromObject(
    {
      year: floating.getUTCFullYear(),
      month: floating.getUTCMonth() + 1,
      day: floating.getUTCDate(),
      hour: floating.getUTCHours(),
      minute: floating.getUTCMinutes(),
      second: floating.getUTCSeconds(),
    },
    { zone },
  ).toJSDate();
}

/** UNTIL as a floating time: a date means through that whole local day; "Z" is a real instant. */
function floatingUntil(value: string, zone: string): Date {
  const [, y, m, d, hh = '23', mm = '59', ss = '59'] = /^(\d{4})(\d\d)(\d\d)(?:T(\d\d)(\d\d)(\d\d))?/.exec(value) ?? [];
  const floating = new Date(Date.UTC(+y, +m - 1, +d, +hh, +mm, +ss));
  return value.endsWith('Z') ? toFloating(floating, zone) : floating;
}

function buildRule(recurrence: Recurrence): RRuleInstance {
  if (!DateTime.local().setZone(recurrence.timezone).isValid) throw new Error(`unknown time zone ${recurrence.timezone}`);
  const rule = normaliseRrule(recurrence.rrule);
  const options = RRule.parseString(rule);
  const until = /(?:^|;)UNTIL=([^;]+)/.exec(rule)?.[1];
  return new RRule({
    ...options,
    dtstart: toFloating(recurrence.firstStart, recurrence.timezone),
    until: until ? floatingUntil(until, recurrence.timezone) : null,
    tzid: null,
  });
}

/** Gregorian dates, weekdays included, repeat every 400 years. */
const CYCLE_YEARS = 400;
/** rrule gives up on a rule at this year. */
const RRULE_LAST_YEAR = 9999;

/** `date` moved by whole Gregorian cycles: the same month, day and weekday. */
function shiftCycles(date: Date, cycles: number): Date {
  const shifted = new Date(date);
  shifted.setUTCFullYear(date.getUTCFullYear() + cycles * CYCLE_YEARS);
  return shifted;
}

/**
 * Checks that the rule is valid and yields at least one occurrence within ten years of `firstStart`.
 * Throws INVALID_RRULE otherwise.
 */
export function validateRecurrence(recurrence: Recurrence): void {
  const rule = buildRule(recurrence);
  const { dtstart, until } = rule.options;
  // rrule checks its bounds only on dates it yields, so a rule that yields nothing ("Feb 30 daily")
  // scans every day up to year 9999: seconds of blocked event loop. The same rule a whole number of
  // 400-year cycles later yields the same pattern and hits that wall within about 400 years.
  const cycles = Math.floor((RRULE_LAST_YEAR - FIRST_OCCURRENCE_WITHIN_YEARS - dtstart.getUTCFullYear()) / CYCLE_YEARS);
  const probe = new RRule({
    ...rule.origOptions,
    dtstart: shiftCycles(dtstart, cycles),
    until: until ? shiftCycles(until, cycles) : null,
  });
  const start = probe.options.dtstart;
  const limit = new Date(start.getTime() + FIRST_OCCURRENCE_WITHIN_YEARS * 366 * DAY_MS);
  if (probe.between(start, limit, true, (_date, i) => i < 1).length === 0) {
    throw invalid(`The rule gives no date in the ${FIRST_OCCURRENCE_WITHIN_YEARS} years from the first start`);
  }
}

/** The occurrence starts (real instants) in [from, to), in order. */
export function occurrencesBetween(recurrence: Recurrence, from: Date, to: Date): Date[] {
  if (to <= from) return [];
  const rule = buildRule(recurrence);
  // Floating and real times differ by the zone's offset (under a day): widen, convert, then cut exactly.
  const floatingFrom = new Date(from.getTime() - DAY_MS);
  const floatingTo = new Date(to.getTime() + DAY_MS);
  return rule
    .between(floatingFrom, floatingTo, true)
    .map((floating) => fromFloating(floating, recurrence.timezone))
    .filter((start) => start >= from && start < to);
}

/** The calendar date ("YYYY-MM-DD") of `instant` in `zone`: an occurrence's identity within its series. */
export const localDate = (instant: Date, zone: string): string => DateTime.fromJSDate(instant, { zone }).toFormat('yyyy-MM-dd');

/** The month key ("YYYY-MM") that picks an occurrence's theme. */
export const localMonth = (instant: Date, zone: string): string => DateTime.fromJSDate(instant, { zone }).toFormat('yyyy-MM');
