// Broadcasts as an RFC 5545 calendar. Pure. Each broadcast row is one event whose UID is its id, so
// an occurrence moved or re-timed updates the entry already in a resident's calendar (SEQUENCE is the
// row's version) instead of adding a second one, and a cancelled one is marked, not dropped.
import ical, { ICalAlarmType, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { broadcastLinks } from '../broadcasts/links.ts';
import type { CalendarBroadcast } from './store.ts';

/** Subscribed calendar apps re-fetch a feed this often. */
const REFRESH_SECONDS = 60 * 60;
const REMIND_BEFORE_SECONDS = 15 * 60;

export const eventUid = (broadcastId: string, publicUrl: string): string => `${broadcastId}@${new URL(publicUrl).host}`;

export function renderCalendar(name: string, rows: readonly CalendarBroadcast[], publicUrl: string): string {
  const calendar = ical({
    name,
    prodId: { company: 'Linbo', product: 'Linbo', language: 'ZH' },
    method: ICalCalendarMethod.PUBLISH,
    ttl: REFRESH_SECONDS,
  });
  for (const row of rows) {
    const { countdown } = broadcastLinks(publicUrl, row.id);
    const summary = row.theme ? `${row.title} · ${row.theme}` : row.title;
    const cancelled = row.state === 'cancelled';
    calendar.createEvent({
      id: eventUid(row.id, publicUrl),
      sequence: row.version,
      start: row.scheduledStart,
      end: new Date(row.scheduledStart.getTime() + row.durationMinutes * 60_000),
      summary,
      description: [row.description, `观看 Watch: ${countdown}`].filter(Boolean).join('\n\n'),
      url: countdown,
      status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      created: row.createdAt,
      lastModified: row.updatedAt,
      stamp: row.updatedAt,
      // No reminder for something that will not happen.
      alarms: cancelled ? [] : [{ type: ICalAlarmType.display, trigger: REMIND_BEFORE_SECONDS, description: summary }],
    });
  }
  return calendar.toString();
}
