// The broadcast as clients see it. Field names here are public contract (console, player, embedders).
import { Type, type Static } from 'typebox';
import { Body, Id, Nullable, Timestamp } from './common.ts';

/** `premiere`: a published clip (`clipId`) plays for everyone at once from its scheduled second, as if live. */
export const BroadcastKind = Type.Union([Type.Literal('lecture'), Type.Literal('gala'), Type.Literal('event'), Type.Literal('premiere')]);
export const BroadcastState = Type.Union([
  Type.Literal('draft'),
  Type.Literal('scheduled'),
  Type.Literal('live'),
  Type.Literal('ended'),
  Type.Literal('cancelled'),
]);
export const Visibility = Type.Union([Type.Literal('public'), Type.Literal('unlisted')]);
export const EndedReason = Type.Union(
  [Type.Literal('staff'), Type.Literal('no-media'), Type.Literal('transcoder-failed'), Type.Literal('media-node-lost'), Type.Literal('finished')],
  {
    description:
      'Why the broadcast ended: `staff` pressed end; `no-media`: the feed stopped and did not return within the grace period; ' +
      '`transcoder-failed`: the live transcoder could not go on; `media-node-lost`: the media node running it went away; `finished`: a premiere played its clip to the end. Null unless ended.',
  },
);
export type EndedReason = Static<typeof EndedReason>;

/** Absolute URLs; later issues add studio, whip and channel. */
export const BroadcastLinks = Type.Object({
  watch: Type.String({ format: 'uri' }),
  embed: Type.String({ format: 'uri' }),
  countdown: Type.String({ format: 'uri' }),
  poster: Type.String({ format: 'uri' }),
  ics: Type.String({ format: 'uri' }),
  /** The master HLS playlist: the live stream, and the replay at the same URL once it has ended. */
  hls: Type.String({ format: 'uri' }),
  /** The WHIP endpoint (RFC 9725): POST an SDP offer with `Authorization: Bearer <streamKey>`. */
  whip: Type.String({ format: 'uri' }),
  /** The studio page: the assigned host (or an editor/admin) publishes from the browser's camera. */
  studio: Type.String({ format: 'uri' }),
  /** The realtime channel (WebSocket, ws: or wss:): questions, likes, viewer counts, chat, state; protocol in docs/realtime.md. */
  channel: Type.String({ format: 'uri' }),
});

export const BroadcastSchema = Type.Object(
  {
    id: Id,
    channelId: Id,
    channel: Type.Object({ id: Id, name: Type.String(), slug: Type.String() }),
    seriesId: Nullable(Id),
    /** The occurrence's original start in its series (stable when it is moved). */
    occurrenceStart: Nullable(Timestamp),
    /** Edited alone: series-wide changes no longer touch it. */
    detached: Type.Boolean(),
    title: Type.String(),
    description: Type.String(),
    kind: BroadcastKind,
    /** The published clip a premiere plays; null for every other kind. */
    clipId: Nullable(Id),
    state: BroadcastState,
    scheduledStart: Timestamp,
    durationMinutes: Type.Integer(),
    theme: Type.String(),
    hostId: Nullable(Id),
    host: Nullable(Type.Object({ id: Id, displayName: Type.String() })),
    visibility: Visibility,
    coverImageId: Nullable(Id),
    coverUrl: Nullable(Type.String({ format: 'uri' })),
    /** Present for staff only. */
    streamKey: Type.Optional(Type.String()),
    startedAt: Nullable(Timestamp),
    endedAt: Nullable(Timestamp),
    endedReason: Nullable(EndedReason),
    replay: Type.Object(
      {
        ready: Type.Boolean({ description: 'Every rendition playlist at `links.hls` is closed (EXT-X-ENDLIST): the whole broadcast plays from the start.' }),
        readyAt: Nullable(Timestamp),
      },
      { description: 'The replay: the live window kept complete and closed when the broadcast ends, at the same URL (`links.hls`).' },
    ),
    version: Type.Integer(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    links: BroadcastLinks,
  },
  { $id: 'Broadcast' },
);
export type Broadcast = Static<typeof BroadcastSchema>;

const Title = Type.String({ minLength: 1, maxLength: 120 });
const Description = Type.String({ maxLength: 4000 });
const Duration = Type.Integer({ minimum: 1, maximum: 24 * 60 });
const Theme = Type.String({ maxLength: 60 });

export const CreateBroadcastBody = Body({
  channelId: Id,
  title: Title,
  description: Type.Optional(Description),
  kind: BroadcastKind,
  /** Required for kind `premiere` (a published clip), refused otherwise. */
  clipId: Type.Optional(Nullable(Id)),
  scheduledStart: Timestamp,
  /** Required, except for a premiere: it lasts as long as its clip. */
  durationMinutes: Type.Optional(Duration),
  theme: Type.Optional(Theme),
  hostId: Type.Optional(Nullable(Id)),
  visibility: Type.Optional(Visibility),
  coverImageId: Type.Optional(Nullable(Id)),
  /** `draft` keeps it off public lists until published; default `scheduled`. */
  state: Type.Optional(Type.Union([Type.Literal('draft'), Type.Literal('scheduled')])),
});
export type CreateBroadcast = Static<typeof CreateBroadcastBody>;

/** Edits one broadcast; on a series occurrence this detaches it from later series-wide changes. */
export const UpdateBroadcastBody = Body({
  channelId: Type.Optional(Id),
  title: Type.Optional(Title),
  description: Type.Optional(Description),
  kind: Type.Optional(BroadcastKind),
  clipId: Type.Optional(Nullable(Id)),
  scheduledStart: Type.Optional(Timestamp),
  durationMinutes: Type.Optional(Duration),
  theme: Type.Optional(Theme),
  hostId: Type.Optional(Nullable(Id)),
  visibility: Type.Optional(Visibility),
  coverImageId: Type.Optional(Nullable(Id)),
});
export type UpdateBroadcast = Static<typeof UpdateBroadcastBody>;

export const ListBroadcastsQuery = Type.Object(
  {
    from: Type.Optional(Timestamp),
    to: Type.Optional(Timestamp),
    channelId: Type.Optional(Id),
    seriesId: Type.Optional(Id),
    state: Type.Optional(BroadcastState),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  },
  { additionalProperties: false },
);
export type ListBroadcasts = Static<typeof ListBroadcastsQuery>;
