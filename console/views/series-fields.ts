// The two controls only a series has: which weekdays it repeats on, and a theme per month.
import { h } from '../lib/dom.ts';
import { t, weekdayName } from '../lib/i18n.ts';
import { addMonths } from '../lib/time.ts';

/** Seven big toggles, Monday first (as Chinese calendars are). */
export function weekdayPicker(selected: number[], onChange: () => void): { el: HTMLElement; value(): number[] } {
  const boxes = [1, 2, 3, 4, 5, 6, 0].map((day) =>
    h(
      'label',
      { class: 'chip' },
      h('input', { type: 'checkbox', name: 'weekday', value: day, checked: selected.includes(day), onchange: onChange }),
      h('span', { 'aria-label': weekdayName(day, 'long') }, weekdayName(day)),
    ),
  );
  const el = h('fieldset', { class: 'weekdays' }, h('legend', null, t('series.weekdays')), h('div', { class: 'chips' }, boxes));
  const value = () => [...el.querySelectorAll<HTMLInputElement>('input:checked')].map((i) => Number(i.value));
  return { el, value };
}

export function themeEditor(themes: Record<string, string>, defaultMonth: () => string): { el: HTMLElement; value(): Record<string, string> } {
  const rows = h('div', { class: 'theme-rows' });
  const addRow = (month: string, theme: string) => {
    const row: HTMLElement = h(
      'div',
      { class: 'theme-row' },
      h('input', { type: 'month', name: 'themeMonth', value: month, 'aria-label': t('series.themeMonth') }),
      h('input', { name: 'themeText', value: theme, maxlength: 60, 'aria-label': t('form.theme'), placeholder: t('form.theme') }),
      h('button', { type: 'button', class: 'plain', onclick: (): void => row.remove() }, t('series.removeTheme')),
    );
    rows.append(row);
  };
  const entries = Object.entries(themes).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) addRow(defaultMonth(), '');
  for (const [month, theme] of entries) addRow(month, theme);
  const el = h(
    'fieldset',
    { class: 'themes' },
    h('legend', null, t('series.themes')),
    rows,
    h('button', { type: 'button', onclick: () => addRow(nextMonth(rows) ?? defaultMonth(), '') }, t('series.addTheme')),
  );
  const value = () => {
    const out: Record<string, string> = {};
    for (const row of rows.children) {
      const [month, text] = [...row.querySelectorAll('input')].map((i) => i.value.trim());
      if (/^\d{4}-\d{2}$/.test(month) && text) out[month] = text;
    }
    return out;
  };
  return { el, value };
}

/** The month after the last row's, so adding rows walks forward through the year. */
function nextMonth(rows: HTMLElement): string | null {
  const last = rows.lastElementChild?.querySelector('input')?.value;
  if (!last || !/^\d{4}-\d{2}$/.test(last)) return null;
  return addMonths(last, 1);
}
