// Series made through the API, and their occurrences as the API lists them.
import pino from 'pino';
import { SeriesScheduler } from '../../server/series/scheduler.ts';
import type { TestApp } from './app.ts';

type Headers = { authorization: string };

/** Monday 15 December 2025, 10:00 in Shanghai: the clock series tests start at. */
export const SERIES_NOW = '2025-12-15T02:00:00.000Z';
/** Friday 19 December 2025, 09:30 in Shanghai. */
export const FIRST_FRIDAY = '2025-12-19T01:30:00.000Z';
export const THEMES = { '2025-12': '冬季安全', '2026-01': '家庭教育', '2026-02': '春节习俗' };

/** "Every Friday 9:30 for 45 minutes", a theme per month, with `fields` overriding. */
export async function createSeries(ctx: TestApp, headers: Headers, channelId: string, fields: Record<string, unknown> = {}) {
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/api/series',
    headers,
    payload: { channelId, title: '法律讲座', kind: 'lecture', rrule: 'FREQ=WEEKLY;BYDAY=FR', firstStart: FIRST_FRIDAY, durationMinutes: 45, themes: THEMES, ...fields },
  });
  if (res.statusCode !== 201) throw new Error(`create series: ${res.statusCode} ${res.body}`);
  return res.json();
}

export interface Occurrence {
  id: string;
  title: string;
  theme: string;
  state: string;
  scheduledStart: string;
  occurrenceStart: string;
  detached: boolean;
  version: number;
  streamKey: string;
}

/** Every occurrence of the series, earliest first, as staff see them. */
export async function occurrencesOf(ctx: TestApp, headers: Headers, seriesId: string): Promise<Occurrence[]> {
  const res = await ctx.app.inject({ url: `/api/broadcasts?seriesId=${seriesId}&limit=500`, headers });
  if (res.statusCode !== 200) throw new Error(`list occurrences: ${res.statusCode} ${res.body}`);
  return res.json();
}

/** One run of the hourly scheduler, as main.ts runs it. */
export async function runScheduler(ctx: TestApp): Promise<number> {
  const scheduler = new SeriesScheduler(ctx.services.series, pino({ level: 'silent' }));
  try {
    return await scheduler.runOnce();
  } finally {
    await scheduler.close();
  }
}
