// The one catalogue of errors the API returns. Codes are part of the public contract: clients and
// embedders branch on them, so never rename one; add new ones instead.
export const ERRORS = {
  // request shape
  MALFORMED_JSON: { status: 400, title: 'The request body is not valid JSON' },
  VALIDATION_FAILED: { status: 400, title: 'The request does not match the schema' },
  BODY_TOO_LARGE: { status: 413, title: 'The request body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'The request body has an unsupported content type' },
  NOT_FOUND: { status: 404, title: 'No such route' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed' },
  // auth
  UNAUTHENTICATED: { status: 401, title: 'Log in first' },
  INVALID_CREDENTIALS: { status: 401, title: 'Wrong username or password' },
  FORBIDDEN: { status: 403, title: 'Your role does not allow this' },
  NOT_ASSIGNED_HOST: { status: 403, title: 'This broadcast is assigned to another host' },
  TOO_MANY_LOGIN_ATTEMPTS: { status: 429, title: 'Too many login attempts; wait and try again' },
  // accounts
  ACCOUNT_NOT_FOUND: { status: 404, title: 'No such account' },
  USERNAME_TAKEN: { status: 409, title: 'That username is taken' },
  CANNOT_DISABLE_SELF: { status: 409, title: 'You cannot disable or demote your own account' },
  // channels
  CHANNEL_NOT_FOUND: { status: 404, title: 'No such channel' },
  CHANNEL_SLUG_TAKEN: { status: 409, title: 'That channel address is taken' },
  CHANNEL_NOT_EMPTY: { status: 409, title: 'The channel still has broadcasts, series or clips' },
  // broadcasts
  BROADCAST_NOT_FOUND: { status: 404, title: 'No such broadcast' },
  INVALID_STATE_TRANSITION: { status: 409, title: 'The broadcast cannot move to that state' },
  BROADCAST_NOT_EDITABLE: { status: 409, title: 'The broadcast can no longer be edited' },
  START_IN_PAST: { status: 400, title: 'The scheduled start is in the past' },
  HOST_NOT_FOUND: { status: 400, title: 'The assigned host is not a host account' },
  INGEST_NOT_ALLOWED: { status: 409, title: 'Only a scheduled or live broadcast takes a feed' },
  // media nodes
  NO_MEDIA_NODE: { status: 503, title: 'No media node is available to take the feed' },
  MEDIA_NODE_FAILED: { status: 502, title: 'The media node could not open the ingest' },
  // ingest
  INVALID_STREAM_KEY: { status: 401, title: 'The stream key is wrong or has been rotated' },
  INGEST_BUSY: { status: 409, title: 'Another publisher is already sending this broadcast' },
  INGEST_CODEC_CHANGED: { status: 409, title: "The broadcast's ladder cannot continue from this video codec (its top rung copies H.264)" },
  WHIP_MALFORMED_SDP: { status: 400, title: 'The body is not an SDP offer Linbo can read' },
  WHIP_NO_USABLE_CODEC: { status: 406, title: 'The SDP offer has no codec Linbo can take (video: H.264 or VP8; audio: Opus)' },
  STUDIO_SESSION_NOT_FOUND: { status: 404, title: 'No such studio session (it ended, or another publisher took over)' },
  STUDIO_BAD_PARAMETERS: { status: 400, title: 'The media node could not use these WebRTC parameters' },
  // series
  SERIES_NOT_FOUND: { status: 404, title: 'No such series' },
  INVALID_RRULE: { status: 400, title: 'The recurrence rule is not valid' },
  // images
  IMAGE_NOT_FOUND: { status: 404, title: 'No such image' },
  INVALID_IMAGE: { status: 400, title: 'The file is not an image Linbo can read' },
  // clips
  CLIP_NOT_FOUND: { status: 404, title: 'No such clip' },
  CLIP_EXISTS: { status: 409, title: 'A clip with this id already exists (an upload becomes a clip once)' },
  CLIP_NOT_IN_REVIEW: { status: 409, title: 'The clip is not waiting for review (it may still be processing)' },
  INVALID_CLIP_TRANSITION: { status: 409, title: 'The clip cannot move to that state' },
  CLIP_IN_USE: { status: 409, title: 'A premiere uses this clip; delete or change the premiere first' },
  CLIP_REASON_REQUIRED: { status: 400, title: 'Say why the clip is rejected' },
  // uploads (tus, server/uploads)
  UPLOAD_NOT_FOUND: { status: 404, title: 'No such upload (it finished, expired or was never started)' },
  UPLOAD_METADATA_INVALID: { status: 400, title: 'The upload metadata is missing a field or has a bad value' },
  UPLOAD_TOO_LARGE: { status: 413, title: 'The file is larger than uploads may be' },
  UPLOAD_DEVICE_REQUIRED: { status: 401, title: 'Open the submission page first: it identifies this device' },
  UPLOAD_NOT_YOURS: { status: 403, title: 'This upload was started by someone else' },
  UPLOAD_FINISHED: { status: 409, title: 'This upload has finished; start a new one to send another file' },
  UPLOAD_OFFSET_MISMATCH: { status: 409, title: 'The upload offset does not match what the server holds' },
  UPLOAD_EXPIRED: { status: 410, title: 'The upload was not finished in time and has been removed' },
  UPLOAD_PROTOCOL_ERROR: { status: 400, title: 'The request does not follow the tus 1.0 protocol' },
  SUBMISSION_RATE_LIMITED: { status: 429, title: 'Too many videos sent from this device or network; try again later' },
  UPLOAD_NOT_VIDEO: { status: 422, title: 'The file is not a video' },
  UPLOAD_NO_VIDEO_STREAM: { status: 422, title: 'The file has no picture' },
  UPLOAD_CORRUPT: { status: 422, title: 'The video file is damaged and cannot be played' },
  UPLOAD_TOO_LONG: { status: 422, title: 'The video is longer than allowed' },
  // premieres (server/premieres)
  PREMIERE_NEEDS_CLIP: { status: 400, title: 'A premiere plays a published clip: choose one (clipId)' },
  PREMIERE_CLIP_NOT_ALLOWED: { status: 400, title: 'Only a premiere plays a clip; leave clipId out for other kinds' },
  PREMIERE_CLIP_NOT_FOUND: { status: 404, title: "No such clip in the broadcast's channel" },
  PREMIERE_CLIP_NOT_PUBLISHED: { status: 409, title: 'The clip is not published yet; only a published clip can be premiered' },
  PREMIERE_NOT_STARTED: { status: 404, title: 'The premiere has not started yet' },
  // realtime channel
  UPGRADE_REQUIRED: { status: 426, title: 'This is a WebSocket endpoint: connect with ws: or wss: (docs/realtime.md)' },
  // channel feed, follows, likes and views (server/feed)
  FEED_BAD_CURSOR: { status: 400, title: 'The feed cursor is not one the feed gave out' },
  FEED_CLIP_NOT_PUBLISHED: { status: 404, title: 'No such published clip' },
  // server
  INTERNAL: { status: 500, title: 'Something went wrong on our side' },
  NOT_READY: { status: 503, title: 'The service is not ready' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERRORS;

/** An error the API reports as problem JSON with a stable `code`. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly extra: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, detail?: string, extra?: Record<string, unknown>) {
    super(detail ?? ERRORS[code].title);
    this.code = code;
    this.status = ERRORS[code].status;
    this.extra = extra;
  }
}
