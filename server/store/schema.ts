// The one Drizzle schema. Times are stored in UTC (timestamptz) and shown in the installation's zone.
import { sql } from 'drizzle-orm';
import { type AnyPgColumn, bigint, boolean, check, doublePrecision, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const roleEnum = pgEnum('role', ['admin', 'editor', 'host']);
/** `premiere`: a published clip played as if live at its scheduled second (server/premieres). */
export const broadcastKindEnum = pgEnum('broadcast_kind', ['lecture', 'gala', 'event', 'premiere']);
export const broadcastStateEnum = pgEnum('broadcast_state', ['draft', 'scheduled', 'live', 'ended', 'cancelled']);
export const visibilityEnum = pgEnum('visibility', ['public', 'unlisted']);
/** Why a live broadcast ended: staff pressed end, or its media did (see BroadcastSchema.endedReason). */
/** `finished`: a premiere's clip played to its end. */
export const endedReasonEnum = pgEnum('ended_reason', ['staff', 'no-media', 'transcoder-failed', 'media-node-lost', 'finished']);

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
  /** Staff uploads wait for an editor's approval too (resident submissions always do). */
  reviewStaffUploads: boolean('review_staff_uploads').notNull().default(true),
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
    /** A premiere's clip (kind `premiere` only). */
    clipId: uuid('clip_id').references((): AnyPgColumn => clips.id, { onDelete: 'restrict' }),
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

// ── realtime channel (server/realtime): everything accepted on a broadcast's channel is kept here,
// so a restart or another replica loses none of it.
/** What a broadcast's channel kept goes with the broadcast. */
const broadcastRef = () =>
  uuid('broadcast_id')
    .notNull()
    .references(() => broadcasts.id, { onDelete: 'cascade' });

export const questionStateEnum = pgEnum('question_state', ['pending', 'open', 'answered', 'hidden']);

export const realtimeQuestions = pgTable(
  'realtime_questions',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    broadcastId: broadcastRef(),
    /** The asking device's public viewer id and the display name it had then. */
    authorId: text('author_id').notNull(),
    authorName: text('author_name').notNull(),
    text: text('text').notNull(),
    state: questionStateEnum('state').notNull(),
    upvotes: integer('upvotes').notNull().default(0),
    pinned: boolean('pinned').notNull().default(false),
    askedAt: timestamp('asked_at', { withTimezone: true }).notNull(),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
  },
  (t) => [
    index('realtime_questions_broadcast_idx').on(t.broadcastId, t.state),
    // One pinned question per broadcast, whichever replica pins it.
    uniqueIndex('realtime_questions_pinned_idx').on(t.broadcastId).where(sql`${t.pinned}`),
  ],
);

export const realtimeUpvotes = pgTable(
  'realtime_upvotes',
  {
    questionId: uuid('question_id')
      .notNull()
      .references(() => realtimeQuestions.id, { onDelete: 'cascade' }),
    broadcastId: broadcastRef(),
    viewerId: text('viewer_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.questionId, t.viewerId] }), index('realtime_upvotes_viewer_idx').on(t.broadcastId, t.viewerId)],
);

export const realtimeChatMessages = pgTable(
  'realtime_chat_messages',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    broadcastId: broadcastRef(),
    authorId: text('author_id').notNull(),
    authorName: text('author_name').notNull(),
    text: text('text').notNull(),
    hidden: boolean('hidden').notNull().default(false),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('realtime_chat_broadcast_idx').on(t.broadcastId, t.sentAt)],
);

export const realtimeBans = pgTable(
  'realtime_bans',
  {
    broadcastId: broadcastRef(),
    viewerId: text('viewer_id').notNull(),
    reason: text('reason').notNull().default(''),
    bannedAt: timestamp('banned_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.broadcastId, t.viewerId] })],
);

/** A broadcast without a row has the defaults: chat on, no slow mode, no pre-review. */
export const realtimeSettings = pgTable('realtime_settings', {
  broadcastId: broadcastRef().primaryKey(),
  chat: boolean('chat').notNull().default(true),
  slowModeSeconds: integer('slow_mode_seconds').notNull().default(0),
  preReview: boolean('pre_review').notNull().default(false),
});

/** The numbers staff read after the broadcast. Every replica adds to the same row in SQL. */
export const broadcastAudience = pgTable('broadcast_audience', {
  broadcastId: broadcastRef().primaryKey(),
  likes: bigint('likes', { mode: 'number' }).notNull().default(0),
  viewersPeak: integer('viewers_peak').notNull().default(0),
  viewersTotal: integer('viewers_total').notNull().default(0),
});

/** Each device that opened the broadcast's channel, once: the total unique viewers, names for the ban list, slow mode. */
export const broadcastViewers = pgTable(
  'broadcast_viewers',
  {
    broadcastId: broadcastRef(),
    viewerId: text('viewer_id').notNull(),
    /** The display name it last asked or chatted under. */
    name: text('name'),
    /** When its last chat message was accepted: slow mode holds across replicas and restarts. */
    lastChatAt: timestamp('last_chat_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.broadcastId, t.viewerId] })],
);

/** The site-wide word filter for questions and chat, edited by editors and admins. */
export const moderationWords = pgTable('moderation_words', {
  word: text('word').primaryKey(),
  createdAt: createdAt(),
});

// ── recorded clips (server/uploads, server/clips, server/vod): an upload becomes a clip under the
// upload's own id; a VOD job turns it into HLS; a reviewer publishes or rejects it.
export const clipStateEnum = pgEnum('clip_state', ['uploaded', 'processing', 'in_review', 'published', 'rejected', 'failed']);
/** Who sent it: staff through the console, or a resident through the channel's submission page. */
export const clipSourceEnum = pgEnum('clip_source', ['staff', 'resident']);

export const clips = pgTable(
  'clips',
  {
    /** The tus upload's id (the last segment of its URL). */
    id: uuid('id').primaryKey(),
    channelId: uuid('channel_id')
      .notNull()
      .references(() => channels.id),
    title: text('title').notNull(),
    /** The name the file had on the sender's device. */
    filename: text('filename').notNull(),
    source: clipSourceEnum('source').notNull(),
    /** The staff member who uploaded it (source `staff`). */
    uploaderId: uuid('uploader_id').references(() => accounts.id, { onDelete: 'set null' }),
    /** The sending device's public viewer id (viewerIdOf) and the name it gave (source `resident`). */
    submitterViewerId: text('submitter_viewer_id'),
    submitterName: text('submitter_name'),
    /** The sender's address, for the per-address submission limit. */
    submitterIp: text('submitter_ip'),
    state: clipStateEnum('state').notNull(),
    sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
    durationSeconds: doublePrecision('duration_seconds'),
    width: integer('width'),
    height: integer('height'),
    /** What ffprobe found (ClipProbe, server/clips/ports.ts). */
    probe: jsonb('probe'),
    /** Transcode progress, 0–100, and the estimated seconds left while processing. */
    progress: doublePrecision('progress').notNull().default(0),
    etaSeconds: integer('eta_seconds'),
    /** Why it failed: { code, message: { 'zh-CN', en } }. */
    error: jsonb('error'),
    rejectReason: text('reject_reason'),
    reviewedBy: uuid('reviewed_by').references(() => accounts.id, { onDelete: 'set null' }),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    /** What the VOD job published (VodResult, server/clips/ports.ts); null until it has. */
    renditions: jsonb('renditions'),
    likes: integer('likes').notNull().default(0),
    views: integer('views').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('clips_feed_idx').on(t.channelId, t.state, t.publishedAt),
    index('clips_state_idx').on(t.state, t.createdAt),
    index('clips_submitter_idx').on(t.submitterViewerId, t.createdAt),
    index('clips_submitter_ip_idx').on(t.submitterIp, t.createdAt),
    // A rejected clip says why.
    check('clips_reject_reason_check', sql`(${t.state} = 'rejected') = (${t.rejectReason} is not null)`),
  ],
);

/** One like per device per clip. */
export const clipLikes = pgTable(
  'clip_likes',
  {
    clipId: uuid('clip_id')
      .notNull()
      .references(() => clips.id, { onDelete: 'cascade' }),
    viewerId: text('viewer_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.clipId, t.viewerId] })],
);

/** Each device that played a clip, once: the clip's view count. */
export const clipViews = pgTable(
  'clip_views',
  {
    clipId: uuid('clip_id')
      .notNull()
      .references(() => clips.id, { onDelete: 'cascade' }),
    viewerId: text('viewer_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.clipId, t.viewerId] })],
);

/** Devices that follow a channel (residents have no account). */
export const channelFollows = pgTable(
  'channel_follows',
  {
    channelId: uuid('channel_id')
      .notNull()
      .references(() => channels.id, { onDelete: 'cascade' }),
    viewerId: text('viewer_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.channelId, t.viewerId] })],
);

export const vodJobStateEnum = pgEnum('vod_job_state', ['queued', 'running', 'done', 'failed', 'cancelled']);

/** Durable VOD transcode jobs: a restart re-queues what was running; any replica may dispatch them. */
export const vodJobs = pgTable(
  'vod_jobs',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    clipId: uuid('clip_id')
      .notNull()
      .references(() => clips.id, { onDelete: 'cascade' }),
    state: vodJobStateEnum('state').notNull().default('queued'),
    /** The media node running it. */
    nodeId: text('node_id'),
    attempts: integer('attempts').notNull().default(0),
    progress: doublePrecision('progress').notNull().default(0),
    etaSeconds: integer('eta_seconds'),
    error: jsonb('error'),
    createdAt: createdAt(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    /** Last sign of life from its node; a running job whose heartbeat stops is re-queued. */
    heartbeatAt: timestamp('heartbeat_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    index('vod_jobs_state_idx').on(t.state, t.createdAt),
    index('vod_jobs_clip_idx').on(t.clipId),
    // One unfinished job per clip.
    uniqueIndex('vod_jobs_active_clip_idx').on(t.clipId).where(sql`${t.state} in ('queued', 'running')`),
  ],
);
