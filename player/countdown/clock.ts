// The four big boxes: days, hours, minutes, seconds. Digits are updated in place so nothing reflows.
import { h } from '../lib/dom.ts';
import { countdownParts, twoDigits, type CountdownParts } from '../lib/format.ts';
import type { Strings } from '../lib/i18n.ts';

const UNITS = ['days', 'hours', 'minutes', 'seconds'] as const;

export interface CountdownClock {
  el: HTMLElement;
  /** Shows `ms` left; returns false once it has run out. */
  show(ms: number): boolean;
}

export function countdownClock(t: Strings): CountdownClock {
  const digits = {} as Record<keyof CountdownParts, HTMLElement>;
  const boxes = UNITS.map((unit) => {
    digits[unit] = h('span', { class: 'clock-digits' }, '--');
    return h('div', { class: `clock-box clock-${unit}` }, digits[unit], h('span', { class: 'clock-unit' }, t[unit]));
  });
  // role=timer is not announced every second (implicit aria-live off); the label says what it counts to.
  const el = h('div', { class: 'clock', role: 'timer', 'aria-label': t.countdownLabel }, ...boxes);
  return {
    el,
    show(ms) {
      const parts = countdownParts(ms);
      for (const unit of UNITS) {
        const text = unit === 'days' ? String(parts.days) : twoDigits(parts[unit]);
        if (digits[unit].textContent !== text) digits[unit].textContent = text;
      }
      return ms > 0;
    },
  };
}
