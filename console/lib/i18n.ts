// The console's language: the switch's choice (remembered in localStorage) wins over what the server
// guessed from the browser; Chinese when neither says otherwise.
import { boot } from './boot.ts';
import { en, zh, type Key } from './strings.ts';

export type Lang = 'zh-CN' | 'en';
export type { Key };

const STORAGE_KEY = 'linbo.console.lang';
const tables: Record<Lang, { [K in Key]: string }> = { 'zh-CN': zh, en };

function stored(): Lang | null {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return value === 'en' || value === 'zh-CN' ? value : null;
  } catch {
    return null; // storage blocked (private mode in some WebViews)
  }
}

let current: Lang = stored() ?? boot.lang ?? 'zh-CN';

export const lang = (): Lang => current;

export function setLang(next: Lang): void {
  current = next;
  document.documentElement.lang = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // the choice then lasts for this page only
  }
}

export function t(key: Key, vars: Record<string, string | number> = {}): string {
  return tables[current][key].replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? ''));
}

export const isKey = (key: string): key is Key => key in zh;

/** A weekday name (0 = Sunday), short ("五" / "Fri") or long ("周五" / "Friday"). */
export const weekdayName = (day: number, form: 'short' | 'long' = 'short'): string => t(`weekday.${form}`).split(',')[day];
