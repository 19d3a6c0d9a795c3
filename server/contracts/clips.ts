// Recorded clips as clients see them: the console's uploads and review queue, the submission page, the
// channel feed. Field names here are public contract (console, player, embedders): never rename one.
import { Type, type Static } from 'typebox';
import { Body, Id, Nullable, Timestamp } from './common.ts';
import { BroadcastSchema } from './broadcasts.ts';

/**
 * uploaded → processing → in_review → published, or rejected (with a reason) by a reviewer, or failed
 * (with an error) when the file could not be transcoded. A channel that does not review staff uploads
 * publishes them straight from processing.
 */
export const ClipState = Type.Union([
  Type.Literal('uploaded'),
  Type.Literal('processing'),
  Type.Literal('in_review'),
  Type.Literal('published'),
  Type.Literal('rejected'),
  Type.Literal('failed'),
]);
export type ClipState = Static<typeof ClipState>;

/** `staff`: uploaded in the console; `resident`: sent from the channel's submission page. */
export const ClipSource = Type.Union([Type.Literal('staff'), Type.Literal('resident')]);
export type ClipSource = Static<typeof ClipSource>;

/** A message shown to people, in both of the product's languages. */
export const Bilingual = Type.Object({ 'zh-CN': Type.String(), en: Type.String() });
export type Bilingual = Static<typeof Bilingual>;

/** Why a clip failed (or why its upload was refused): a stable code and a message for people. */
export const ClipError = Type.Object({ code: Type.String(), message: Bilingual });
export type ClipError = Static<typeof ClipError>;

export const ClipLinks = Type.Object({
  /** The clip's own page (residents: published clips; the sending device and staff: before that too). */
  watch: Type.String({ format: 'uri' }),
  /** The master HLS playlist (VOD); answers 404 until the clip has been transcoded. */
  hls: Type.String({ format: 'uri' }),
  /** A JPEG frame from the clip; 404 until transcoded. */
  poster: Type.String({ format: 'uri' }),
  /** WebVTT track of thumbnail images over the clip's timeline; 404 until transcoded. */
  thumbnails: Type.String({ format: 'uri' }),
});

export const ClipSchema = Type.Object(
  {
    id: Id,
    channelId: Id,
    channel: Type.Object({ id: Id, name: Type.String(), slug: Type.String() }),
    title: Type.String(),
    filename: Type.String(),
    source: ClipSource,
    /** Who sent it: the uploader's display name, or the name a resident gave. */
    submitterName: Nullable(Type.String()),
    state: ClipState,
    /** Transcode progress in percent (0–100); 100 once transcoded. */
    progress: Type.Number({ minimum: 0, maximum: 100 }),
    /** Estimated seconds until the transcode is done, while processing. */
    etaSeconds: Nullable(Type.Integer({ minimum: 0 })),
    sizeBytes: Type.Integer({ minimum: 0 }),
    durationSeconds: Nullable(Type.Number({ minimum: 0 })),
    width: Nullable(Type.Integer()),
    height: Nullable(Type.Integer()),
    /** Why it failed (state `failed`). */
    error: Nullable(ClipError),
    /** The reviewer's reason (state `rejected`). */
    rejectReason: Nullable(Type.String()),
    reviewedAt: Nullable(Timestamp),
    publishedAt: Nullable(Timestamp),
    likes: Type.Integer({ minimum: 0 }),
    views: Type.Integer({ minimum: 0 }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    links: ClipLinks,
  },
  { $id: 'Clip' },
);
export type Clip = Static<typeof ClipSchema>;

export const ListClipsQuery = Type.Object(
  {
    channelId: Type.Optional(Id),
    state: Type.Optional(ClipState),
    source: Type.Optional(ClipSource),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);
export type ListClips = Static<typeof ListClipsQuery>;

export const RejectClipBody = Body({ reason: Type.String({ minLength: 1, maxLength: 500 }) });
export type RejectClip = Static<typeof RejectClipBody>;

/** What the like and view routes answer: the clip's totals and whether this device likes it. */
export const ClipCounts = Type.Object({ likes: Type.Integer(), views: Type.Integer(), liked: Type.Boolean() });

/** One entry of a channel's feed: a published clip, or an ended broadcast's replay. */
export const FeedItem = Type.Union([
  /** `liked`: this device likes the clip (the heart is drawn filled). */
  Type.Object({ kind: Type.Literal('clip'), at: Timestamp, clip: ClipSchema, liked: Type.Boolean() }),
  Type.Object({ kind: Type.Literal('replay'), at: Timestamp, broadcast: BroadcastSchema }),
]);
export type FeedItem = Static<typeof FeedItem>;

export const ChannelFeed = Type.Object({
  channel: Type.Object({ id: Id, name: Type.String(), slug: Type.String(), description: Type.String(), avatarUrl: Nullable(Type.String()) }),
  followers: Type.Integer({ minimum: 0 }),
  /** This device follows the channel. */
  following: Type.Boolean(),
  /** Scheduled and live broadcasts, soonest first: shown above the feed. */
  upcoming: Type.Array(BroadcastSchema),
  /** Newest first. */
  items: Type.Array(FeedItem),
  /** Pass as `before` for the next page; null at the end. */
  nextCursor: Nullable(Type.String()),
});
export type ChannelFeed = Static<typeof ChannelFeed>;

export const FeedQuery = Type.Object(
  { before: Type.Optional(Type.String({ maxLength: 200 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 12 })) },
  { additionalProperties: false },
);

export const FollowState = Type.Object({ followers: Type.Integer({ minimum: 0 }), following: Type.Boolean() });

/** tus `Upload-Metadata` keys (base64 values, tus 1.0 §Upload-Metadata) the upload endpoint reads. */
export const UPLOAD_METADATA = {
  filename: 'filename',
  channelId: 'channelId',
  title: 'title',
  /** Resident submissions only: the name shown to reviewers. */
  displayName: 'displayName',
} as const;
