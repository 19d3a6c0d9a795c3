// How residents read a broadcast's start and kind. One wording for every rendering (poster, countdown
// and watch pages), so what is printed on the noticeboard is what the phone shows. Intl only: this
// runs in Node and in old phone browsers alike.
import type { Broadcast } from './broadcasts.ts';

export type Lang = 'zh-CN' | 'en';

const KIND_LABELS: Record<Lang, Record<Broadcast['kind'], string>> = {
  'zh-CN': { lecture: '讲座', gala: '晚会', event: '活动', premiere: '首映' },
  en: { lecture: 'Lecture', gala: 'Gala', event: 'Event', premiere: 'Premiere' },
};

export const kindLabel = (kind: Broadcast['kind'], lang: Lang): string => KIND_LABELS[lang][kind];

interface Parts {
  year: string;
  month: string;
  day: string;
  weekday: string;
  hour: string;
  minute: string;
}

function partsIn(date: Date, timeZone: string, lang: Lang): Parts {
  const format = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'zh-CN', {
    timeZone,
    year: 'numeric',
    month: lang === 'en' ? 'short' : 'numeric',
    day: 'numeric',
    weekday: lang === 'en' ? 'short' : 'long',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const parts = { year: '', month: '', day: '', weekday: '', hour: '', minute: '' };
  for (const p of format.formatToParts(date)) if (p.type in parts) parts[p.type as keyof Parts] = p.value;
  return parts;
}

/**
 * "12月11日 星期五 09:30" (or "2027年1月8日 星期五 09:30" outside the current year), or in English
 * "Fri 11 Dec, 09:30" / "Fri 8 Jan 2027, 09:30". The current year is `now`'s, in the same zone.
 */
export function formatStart(start: Date | string, options: { timeZone: string; lang: Lang; now: Date | string }): string {
  // Written without destructuring: player bundles target Safari 13, where esbuild cannot lower it.
  const lang = options.lang;
  const p = partsIn(new Date(start), options.timeZone, lang);
  const showYear = p.year !== partsIn(new Date(options.now), options.timeZone, lang).year;
  if (lang === 'en') return `${p.weekday} ${p.day} ${p.month}${showYear ? ` ${p.year}` : ''}, ${p.hour}:${p.minute}`;
  return `${showYear ? `${p.year}年` : ''}${p.month}月${p.day}日 ${p.weekday} ${p.hour}:${p.minute}`;
}
