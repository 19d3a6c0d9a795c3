// The one Drizzle schema. Times are stored in UTC (timestamptz) and shown in the installation's zone.
import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const roleEnum = pgEnum('role', ['admin', 'editor', 'host']);
export const broadcastKindEnum = pgEnum('broadcast_kind', ['lecture', 'gala', 'event']);
export const broadcastStateEnum = pgEnum('broadcast_state', ['draft', 'scheduled', 'live', 'ended', 'cancelled']);
export const visibilityEnum = pgEnum('visibility', ['public', 'unlisted']);
/** Why a live broadcast ended: staff pressed end, or its media did (see BroadcastSchema.endedReason). */
export const endedReasonEnum = pgEnum('ended_reason', ['staff', 'no-media', 'transcoder-failed', 'media-node-lost']);

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

export const accounts = pgTable('accounts', {
  id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
  username: text('username').notNull().unique(),
  displayName: text('display_name').notNull(),
  role: roleEnum('role').notNull(),
  passwordHash: text('password_hash').notNull(),
  disabled: boolean('disabled').notNull().default(false),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const sessions = pgTable(
  'sessions',
  {
    // sha256 of the token: a leaked table does not leak usable tokens.
    tokenHash: text('token_hash').primaryKey(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('sessions_account_idx').on(t.accountId)],
);

export const images = pgTable('images', {
  id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
  width: integer('width').notNull(),
  height: integer('height').notNull(),
  createdAt: createdAt(),
});

export const channels = pgTable('channels', {
  id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  avatarImageId: uuid('avatar_image_id').references(() => images.id, { onDelete: 'set null' }),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const series = pgTable('series', {
  id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
  channelId: uuid('channel_id')
    .notNull()
    .references(() => channels.id),
  title: text('title').notNull(),
  description: text('description').notNull().default(''),
  kind: broadcastKindEnum('kind').notNull(),
  /** RFC 5545 RRULE (without DTSTART), interpreted in `timezone` from `firstStart`. */
  rrule: text('rrule').notNull(),
  firstStart: timestamp('first_start', { withTimezone: true }).notNull(),
  timezone: text('timezone').notNull(),
  durationMinutes: integer('duration_minutes').notNull(),
  /** Theme per month, keyed "YYYY-MM". */
  themes: jsonb('themes').$type<Record<string, string>>().notNull().default({}),
  hostId: uuid('host_id').references(() => accounts.id, { onDelete: 'set null' }),
  coverImageId: uuid('cover_image_id').references(() => images.id, { onDelete: 'set null' }),
  visibility: visibilityEnum('visibility').notNull().default('public'),
  endedAt: timestamp('ended_at', { withTimezone: true }),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const broadcasts = pgTable(
  'broadcasts',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    channelId: uuid('channel_id')
      .notNull()
      .references(() => channels.id),
    seriesId: uuid('series_id').references(() => series.id, { onDelete: 'set null' }),
    /** The occurrence's original start in its series: stable when the occurrence is moved (the .ics UID). */
    occurrenceStart: timestamp('occurrence_start', { withTimezone: true }),
    /** Edited alone: later series-wide changes leave these fields as the staff set them. */
    detached: boolean('detached').notNull().default(false),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    kind: broadcastKindEnum('kind').notNull(),
    state: broadcastStateEnum('state').notNull().default('draft'),
    scheduledStart: timestamp('scheduled_start', { withTimezone: true }).notNull(),
    durationMinutes: integer('duration_minutes').notNull(),
    coverImageId: uuid('cover_image_id').references(() => images.id, { onDelete: 'set null' }),
    theme: text('theme').notNull().default(''),
    hostId: uuid('host_id').references(() => accounts.id, { onDelete: 'set null' }),
    visibility: visibilityEnum('visibility').notNull().default('public'),
    streamKey: text('stream_key').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    endedReason: endedReasonEnum('ended_reason'),
    /** When every rendition playlist of the broadcast carried ENDLIST in storage. */
    replayReadyAt: timestamp('replay_ready_at', { withTimezone: true }),
    /** Bumped on every change; posters and other renderings are cached per version. */
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('broadcasts_start_idx').on(t.scheduledStart),
    index('broadcasts_channel_idx').on(t.channelId),
    uniqueIndex('broadcasts_occurrence_idx').on(t.seriesId, t.occurrenceStart),
    uniqueIndex('broadcasts_stream_key_idx').on(t.streamKey),
    // Every end says why, whoever ended it.
    check('broadcasts_ended_reason_check', sql`(${t.state} = 'ended') = (${t.endedReason} is not null)`),
  ],
);

export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
});
