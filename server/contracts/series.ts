// A weekly (or any RRULE) series whose occurrences are materialised as broadcasts.
import { Type, type Static } from 'typebox';
import { Body, Id, Nullable, Timestamp } from './common.ts';
import { BroadcastKind, Visibility } from './broadcasts.ts';

/** What a series repeats: a premiere plays one clip once, so it is never a series' kind. */
const SeriesKind = Type.Union([Type.Literal('lecture'), Type.Literal('gala'), Type.Literal('event')]);

/** Theme per month: keys "YYYY-MM" in the installation's time zone. */
export const Themes = Type.Record(Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$' }), Type.String({ maxLength: 60 }));

export const SeriesSchema = Type.Object(
  {
    id: Id,
    channelId: Id,
    title: Type.String(),
    description: Type.String(),
    kind: BroadcastKind,
    /** RFC 5545 RRULE without DTSTART, e.g. "FREQ=WEEKLY;BYDAY=FR". */
    rrule: Type.String(),
    /** The first occurrence; its wall-clock time in `timezone` is kept for every occurrence. */
    firstStart: Timestamp,
    timezone: Type.String(),
    durationMinutes: Type.Integer(),
    themes: Themes,
    hostId: Nullable(Id),
    visibility: Visibility,
    coverImageId: Nullable(Id),
    endedAt: Nullable(Timestamp),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    links: Type.Object({ ics: Type.String({ format: 'uri' }) }),
  },
  { $id: 'Series' },
);
export type Series = Static<typeof SeriesSchema>;

export const CreateSeriesBody = Body({
  channelId: Id,
  title: Type.String({ minLength: 1, maxLength: 120 }),
  description: Type.Optional(Type.String({ maxLength: 4000 })),
  kind: SeriesKind,
  rrule: Type.String({ minLength: 5, maxLength: 500 }),
  firstStart: Timestamp,
  durationMinutes: Type.Integer({ minimum: 1, maximum: 24 * 60 }),
  themes: Type.Optional(Themes),
  hostId: Type.Optional(Nullable(Id)),
  visibility: Type.Optional(Visibility),
  coverImageId: Type.Optional(Nullable(Id)),
});
export type CreateSeries = Static<typeof CreateSeriesBody>;

/**
 * Changes the series and every occurrence starting at or after `from` (default: now) that was not
 * edited alone. A new `rrule` or time of day re-plans those occurrences.
 */
export const UpdateSeriesBody = Body({
  from: Type.Optional(Timestamp),
  title: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
  description: Type.Optional(Type.String({ maxLength: 4000 })),
  kind: Type.Optional(SeriesKind),
  rrule: Type.Optional(Type.String({ minLength: 5, maxLength: 500 })),
  firstStart: Type.Optional(Timestamp),
  durationMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 24 * 60 })),
  themes: Type.Optional(Themes),
  hostId: Type.Optional(Nullable(Id)),
  visibility: Type.Optional(Visibility),
  coverImageId: Type.Optional(Nullable(Id)),
});
export type UpdateSeries = Static<typeof UpdateSeriesBody>;
