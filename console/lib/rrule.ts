// The weekly subset of RFC 5545 RRULE the series form edits (FREQ=WEEKLY;BYDAY=...). Other parts of
// an existing rule (INTERVAL, UNTIL...) are kept as they were.
const DAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];

function parts(rule: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const part of rule.replace(/^RRULE:/i, '').split(';')) {
    const [k, v] = part.split('=');
    if (k && v !== undefined) map.set(k.toUpperCase(), v);
  }
  return map;
}

/** Weekdays (0 = Sunday) the rule repeats on. */
export function weekdaysOf(rule: string): number[] {
  const byday = parts(rule).get('BYDAY') ?? '';
  return byday
    .split(',')
    .map((d) => DAYS.indexOf(d.slice(-2).toUpperCase()))
    .filter((d) => d >= 0);
}

/** A weekly rule on `days`, keeping any other parts of `base`. Days are written Monday first. */
export function weeklyRule(days: number[], base = 'FREQ=WEEKLY'): string {
  const map = parts(base);
  map.delete('FREQ');
  map.delete('BYDAY');
  const ordered = [...new Set(days)].sort((a, b) => ((a + 6) % 7) - ((b + 6) % 7));
  return ['FREQ=WEEKLY', `BYDAY=${ordered.map((d) => DAYS[d]).join(',')}`, ...[...map].map(([k, v]) => `${k}=${v}`)].join(';');
}
