// The realtime channel's public protocol (docs/realtime.md): one WebSocket per broadcast at
// `links.channel`, JSON text frames with a `type`. Embedders and other clients speak it, so names
// and fields only ever grow. Inbound frames are validated against ClientMessage at the socket edge;
// outbound frames are built from the types below.
import { Type, type Static, type TProperties } from 'typebox';
import { BroadcastState } from './broadcasts.ts';

/** Closed objects: a field the protocol does not know is an error, not silently dropped. */
const Msg = <T extends string, P extends TProperties>(type: T, properties: P) =>
  Type.Object({ type: Type.Literal(type), ...properties }, { additionalProperties: false });

/** Public, opaque and stable per device: derived from the device token, never the token itself. */
export const ViewerId = Type.String({ minLength: 1, maxLength: 40 });
export const QuestionId = Type.String({ format: 'uuid' });
export const ChatMessageId = Type.String({ format: 'uuid' });
/** Display names and texts are plain text: clients render them as text, never as HTML. */
export const DisplayName = Type.String({ minLength: 1, maxLength: 20 });
export const QuestionText = Type.String({ minLength: 1, maxLength: 300 });
export const ChatText = Type.String({ minLength: 1, maxLength: 200 });

// ── client → server ──────────────────────────────────────────────────────────────────────────────
// Viewers
export const Hello = Msg('hello', {
  /** The last `seq` this client saw: the server replays what came after it, or sends a fresh snapshot. */
  lastSeq: Type.Optional(Type.Integer({ minimum: 0 })),
  name: Type.Optional(DisplayName),
  /** The device token from an earlier `welcome`, for clients where cookies do not stick (third-party frames). */
  device: Type.Optional(Type.String({ minLength: 16, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' })),
});
export const QuestionAsk = Msg('question.ask', { text: QuestionText });
export const QuestionUpvote = Msg('question.upvote', { questionId: QuestionId });
/** Taps batched by the client: send at most a few per second, each carrying the taps since the last. */
export const Like = Msg('like', { count: Type.Integer({ minimum: 1, maximum: 50 }) });
export const ChatSend = Msg('chat.send', { text: ChatText });
// Host and moderators (staff signed in: the broadcast's host, editors, admins)
export const QuestionAnswer = Msg('question.answer', { questionId: QuestionId });
/** Pins one question (the pinned one before it is unpinned); `questionId: null` unpins. */
export const QuestionPin = Msg('question.pin', { questionId: Type.Union([QuestionId, Type.Null()]) });
export const QuestionHide = Msg('question.hide', { questionId: QuestionId });
/** Publishes a question waiting for review, or brings back a hidden one. */
export const QuestionApprove = Msg('question.approve', { questionId: QuestionId });
export const ChatHide = Msg('chat.hide', { messageId: ChatMessageId });
export const ViewerBan = Msg('viewer.ban', { viewerId: ViewerId, reason: Type.Optional(Type.String({ maxLength: 200 })) });
export const ViewerUnban = Msg('viewer.unban', { viewerId: ViewerId });
export const SettingsUpdate = Msg('settings.update', {
  chat: Type.Optional(Type.Boolean()),
  /** Seconds a viewer waits between chat messages; 0 is off. */
  slowModeSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 600 })),
  /** Questions wait for a moderator's approval before anyone else sees them. */
  preReview: Type.Optional(Type.Boolean()),
});

export const ClientMessage = Type.Union([
  Hello,
  QuestionAsk,
  QuestionUpvote,
  Like,
  ChatSend,
  QuestionAnswer,
  QuestionPin,
  QuestionHide,
  QuestionApprove,
  ChatHide,
  ViewerBan,
  ViewerUnban,
  SettingsUpdate,
]);
export type ClientMessage = Static<typeof ClientMessage>;
export type ClientMessageType = ClientMessage['type'];
export const CLIENT_MESSAGE_TYPES = ClientMessage.anyOf.map((m) => m.properties.type.const) as ClientMessageType[];
/** What only the broadcast's staff may send; a viewer gets FORBIDDEN. */
export const STAFF_MESSAGE_TYPES: readonly ClientMessageType[] = [
  'question.answer',
  'question.pin',
  'question.hide',
  'question.approve',
  'chat.hide',
  'viewer.ban',
  'viewer.unban',
  'settings.update',
];

// ── shapes the server sends ──────────────────────────────────────────────────────────────────────
export const Author = Type.Object({ id: ViewerId, name: Type.String() });
export type Author = Static<typeof Author>;

/** pending: waits for review (only its author and moderators see it); hidden: removed by a moderator. */
export const QuestionState = Type.Union([Type.Literal('pending'), Type.Literal('open'), Type.Literal('answered'), Type.Literal('hidden')]);
export type QuestionState = Static<typeof QuestionState>;

export const Question = Type.Object({
  id: QuestionId,
  text: Type.String({ description: 'Empty in what viewers receive once the question is hidden' }),
  author: Author,
  upvotes: Type.Integer({ minimum: 0 }),
  state: QuestionState,
  pinned: Type.Boolean(),
  askedAt: Type.String({ format: 'date-time' }),
  answeredAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export type Question = Static<typeof Question>;

export const ChatMessage = Type.Object({
  id: ChatMessageId,
  text: Type.String(),
  author: Author,
  sentAt: Type.String({ format: 'date-time' }),
});
export type ChatMessage = Static<typeof ChatMessage>;

export const Viewers = Type.Object({
  /** Sockets open on the broadcast's channel now, over every control-plane process. */
  now: Type.Integer({ minimum: 0 }),
  peak: Type.Integer({ minimum: 0 }),
  /** Distinct devices that ever opened the channel. */
  total: Type.Integer({ minimum: 0 }),
});
export type Viewers = Static<typeof Viewers>;

export const ChannelSettings = Type.Object({ chat: Type.Boolean(), slowModeSeconds: Type.Integer({ minimum: 0 }), preReview: Type.Boolean() });
export type ChannelSettings = Static<typeof ChannelSettings>;

export const Ban = Type.Object({ viewerId: ViewerId, name: Type.String(), reason: Type.String(), bannedAt: Type.String({ format: 'date-time' }) });
export type Ban = Static<typeof Ban>;

export const ChannelRole = Type.Union([Type.Literal('viewer'), Type.Literal('host'), Type.Literal('moderator')]);
export type ChannelRole = Static<typeof ChannelRole>;

// ── server → client ──────────────────────────────────────────────────────────────────────────────
// `seq` numbers the channel's public events (question.added/updated as viewers see them,
// chat.message, chat.hidden, state, settings) one by one without gaps, across every control-plane
// process. Frames addressed to one socket or to staff only (welcome, snapshot, viewers, likes,
// error, pending questions) carry the seq of the latest public event and do not advance it.
const Out = <T extends string, P extends TProperties>(type: T, properties: P) =>
  Type.Object({ type: Type.Literal(type), seq: Type.Integer({ minimum: 0 }), ...properties });

export const Welcome = Out('welcome', {
  viewerId: ViewerId,
  name: Type.Union([Type.String(), Type.Null()]),
  role: ChannelRole,
  /** Keep it and send it back in `hello.device` where cookies do not persist. */
  device: Type.String(),
  /** The server pings (WebSocket ping frames) this often; a socket silent for two periods is closed. */
  heartbeatMs: Type.Integer(),
});
export const Snapshot = Out('snapshot', {
  state: BroadcastState,
  settings: ChannelSettings,
  /** Open and answered questions, most upvoted first; staff also get pending and hidden ones, a viewer its own pending ones. */
  questions: Type.Array(Question),
  /** The latest chat messages, oldest first. */
  chat: Type.Array(ChatMessage),
  viewers: Viewers,
  likes: Type.Object({ total: Type.Integer({ minimum: 0 }) }),
  /** Questions this viewer has upvoted. */
  upvoted: Type.Array(QuestionId),
  /** Staff only. */
  bans: Type.Optional(Type.Array(Ban)),
});
export const ViewersEvent = Out('viewers', Viewers.properties);
export const LikesEvent = Out('likes', { total: Type.Integer({ minimum: 0 }) });
export const QuestionAdded = Out('question.added', { question: Question });
export const QuestionUpdated = Out('question.updated', { question: Question });
export const ChatMessageEvent = Out('chat.message', { message: ChatMessage });
export const ChatHidden = Out('chat.hidden', { messageId: ChatMessageId });
export const StateEvent = Out('state', { state: BroadcastState });
export const SettingsEvent = Out('settings', { settings: ChannelSettings });
export const BansEvent = Out('bans', { bans: Type.Array(Ban) });

export const REALTIME_ERROR_CODES = [
  'MALFORMED_JSON', // not JSON, or not a JSON object
  'UNKNOWN_TYPE', // `type` names no client message
  'INVALID_MESSAGE', // known type, wrong fields
  'HELLO_FIRST', // anything before `hello`, or a second `hello`
  'RATE_LIMITED', // too many frames from this socket or this address; nothing was done
  'FORBIDDEN', // a staff action from a viewer
  'BANNED', // sent before the server closes a banned viewer's socket
  'QUESTION_NOT_FOUND',
  'ALREADY_UPVOTED',
  'CHAT_OFF',
  'SLOW_MODE',
  'WORD_FILTERED',
  'BROADCAST_OVER', // asking or chatting after the broadcast ended or was cancelled
  'MESSAGE_NOT_FOUND',
  'SERVER_ERROR', // the server could not do it just now (nothing was done); try again later
] as const;
export type RealtimeErrorCode = (typeof REALTIME_ERROR_CODES)[number];
export const ErrorEvent = Out('error', {
  // Unsafe keeps the literal union as the static type (a union built from a mapped array types as never).
  code: Type.Unsafe<RealtimeErrorCode>(Type.Union(REALTIME_ERROR_CODES.map((c) => Type.Literal(c)))),
  message: Type.String(),
  /** The `type` of the inbound message refused, when there was one. */
  ref: Type.Optional(Type.String()),
  /** With RATE_LIMITED and SLOW_MODE: when to try again. */
  retryAfterMs: Type.Optional(Type.Integer({ minimum: 0 })),
});

export const ServerMessage = Type.Union([
  Welcome,
  Snapshot,
  ViewersEvent,
  LikesEvent,
  QuestionAdded,
  QuestionUpdated,
  ChatMessageEvent,
  ChatHidden,
  StateEvent,
  SettingsEvent,
  BansEvent,
  ErrorEvent,
]);
export type ServerMessage = Static<typeof ServerMessage>;

/** WebSocket close codes the server uses (4000–4999 are the application's). */
export const CLOSE = {
  /** Frame larger than the limit (RFC 6455). */
  TOO_LARGE: 1009,
  /** Too many sockets from this address, or the server is full: try later (RFC 6455 "try again later"). */
  TRY_LATER: 1013,
  BROADCAST_NOT_FOUND: 4004,
  BANNED: 4003,
  /** No `hello` in time. (A socket that answers two heartbeats with no pong is dropped without a close frame: 1006.) */
  IDLE: 4000,
  /** The socket could not keep up: its send buffer passed the limit. Reconnect with lastSeq. */
  TOO_SLOW: 4008,
  /** Flooding past the rate limit's grace. */
  FLOODING: 4029,
} as const;
