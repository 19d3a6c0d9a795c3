// Clip numbers in the staff member's language: durations, time left, why a file was refused.
import { ApiProblem } from '../lib/api.ts';
import { h } from '../lib/dom.ts';
import { lang, t } from '../lib/i18n.ts';
import type { Bilingual, Clip } from '../../server/contracts/clips.ts';
import { durationParts, megabytes } from './progress.ts';
import type { Refusal } from './refusal.ts';

export function duration(seconds: number): string {
  const { h, m, s } = durationParts(seconds);
  if (h > 0) return t('clips.hoursMins', { h, m });
  if (m > 0) return t('clips.minsSecs', { m, s });
  return t('clips.secs', { s });
}

/** The server's own bilingual words when it gave them, else the console's words for its code. */
export function refusalText(r: Refusal): string {
  if (r.messages) return bilingual(r.messages);
  return new ApiProblem(r.status, { code: r.code === 'OTHER' ? undefined : r.code, detail: r.detail ?? undefined }).localized();
}

export const bilingual = (m: Bilingual): string => (lang() === 'en' ? m.en : m['zh-CN']);

/** "0:06 · 640×360 · 1.2 MB": what a reviewer or uploader wants to know of the file. */
export function clipFacts(c: Clip): string {
  return [
    c.durationSeconds !== null ? duration(c.durationSeconds) : null,
    c.width && c.height ? `${c.width}×${c.height}` : null,
    `${megabytes(c.sizeBytes)} MB`,
  ].filter(Boolean).join(' · ');
}

export const clipBadge = (state: Clip['state']): HTMLElement => h('span', { class: `badge clip-${state}` }, t(`clipState.${state}`));
