// The typed messages between the control plane and its media nodes: the only thing media/ imports from
// server/. Each side validates what it receives with the compiled checkers below (a message that does
// not match is logged and dropped, never cast), whatever carries it (Node's IPC channel in the embedded
// default; any other bus implements the same two interfaces).
import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { ClipError } from './clips.ts';
import { DtlsParameters, MediaKind, RtpParameters, StudioSession } from './studio.ts';

const Id = Type.String({ minLength: 1, maxLength: 100 });
const Port = Type.Integer({ minimum: 1, maximum: 65535 });
const PayloadType = Type.Integer({ minimum: 96, maximum: 127 });
const Ssrc = Type.Integer({ minimum: 1, maximum: 0xffffffff });

/** The picture the source is declared to send; the ladder is planned from it and never goes above it. */
export const SourceVideo = Type.Object({
  width: Type.Integer({ minimum: 16, maximum: 7680 }),
  height: Type.Integer({ minimum: 16, maximum: 4320 }),
  fps: Type.Number({ exclusiveMinimum: 0, maximum: 120 }),
});
export type SourceVideo = Static<typeof SourceVideo>;

/** One track of a plain-RTP ingest: where the sender sends it, and the RTP identifiers it must use. */
export const RtpTrack = Type.Object({
  port: Port,
  rtcpPort: Port,
  payloadType: PayloadType,
  ssrc: Ssrc,
  codec: Type.String(),
  clockRate: Type.Integer(),
  channels: Type.Optional(Type.Integer()),
});
export type RtpTrack = Static<typeof RtpTrack>;

export const RtpIngest = Type.Object({ ip: Type.String(), video: RtpTrack, audio: RtpTrack });
export type RtpIngest = Static<typeof RtpIngest>;

/** Why a broadcast's media stopped on a node; the control plane decides what it means for the broadcast. */
export const StopReason = Type.Union([
  /** No packets for a few seconds: the publisher dropped; the grace period starts. */
  Type.Literal('no-media'),
  /** The control plane ended it (staff pressed end, or the grace period ran out). */
  Type.Literal('ended'),
  /** The transcoder could not run. */
  Type.Literal('failed'),
]);

/** The largest SDP offer taken (Chromium's is ~6 KB). */
export const WHIP_OFFER_MAX = 64 * 1024;

/** Why a node could not answer a WHIP offer: the API's error codes. */
export const WhipRefusal = Type.Union([
  Type.Literal('WHIP_MALFORMED_SDP'),
  Type.Literal('WHIP_NO_USABLE_CODEC'),
  Type.Literal('INGEST_BUSY'),
  /** A returning publisher's video the broadcast's ladder cannot continue from (see LiveBroadcast.takesVideo). */
  Type.Literal('INGEST_CODEC_CHANGED'),
]);
export type WhipRefusal = Static<typeof WhipRefusal>;

/** Why a node refused a studio signalling step: the API's error codes. */
export const StudioRefusal = Type.Union([
  Type.Literal('INGEST_BUSY'),
  Type.Literal('INGEST_CODEC_CHANGED'),
  Type.Literal('STUDIO_SESSION_NOT_FOUND'),
  Type.Literal('STUDIO_BAD_PARAMETERS'),
]);
export type StudioRefusal = Static<typeof StudioRefusal>;

/** Where a VOD job reads its source: server/clips/ports.ts VodSource, as a checked message. */
export const VodSourceSchema = Type.Union([
  Type.Object({ kind: Type.Literal('file'), path: Type.String({ minLength: 1 }) }),
  Type.Object({ kind: Type.Literal('url'), url: Type.String({ minLength: 1 }) }),
]);
export type VodSourceSpec = Static<typeof VodSourceSchema>;

/** What a VOD job published: server/clips/ports.ts VodResult, as a checked message. */
export const VodResultSchema = Type.Object({
  durationSeconds: Type.Number({ minimum: 0 }),
  segmentSeconds: Type.Number({ exclusiveMinimum: 0 }),
  renditions: Type.Array(
    Type.Object({
      name: Type.String(),
      width: Type.Integer(),
      height: Type.Integer(),
      bandwidth: Type.Integer(),
      averageBandwidth: Type.Integer(),
      codecs: Type.String(),
      passthrough: Type.Boolean(),
    }),
  ),
});
export type VodResultSpec = Static<typeof VodResultSchema>;

// Control plane → media node.
export const ControlMessage = Type.Union([
  Type.Object({
    type: Type.Literal('ingest.open'),
    requestId: Id,
    broadcastId: Id,
    kind: Type.Literal('rtp'),
    source: SourceVideo,
  }),
  Type.Object({ type: Type.Literal('broadcast.end'), broadcastId: Id }),
  /** A WHIP publisher's SDP offer (RFC 9725 §4.2); answered with whip.answered or whip.refused. */
  Type.Object({ type: Type.Literal('whip.offer'), requestId: Id, broadcastId: Id, offer: Type.String({ maxLength: WHIP_OFFER_MAX }) }),
  /** The publisher DELETEd its session: the ingest closes, the broadcast's grace period starts. */
  Type.Object({ type: Type.Literal('whip.close'), broadcastId: Id, sessionId: Id }),
  /** The studio page's signalling (mediasoup-client): a send transport, its DTLS, then one producer per kind. */
  Type.Object({ type: Type.Literal('studio.open'), requestId: Id, broadcastId: Id, source: SourceVideo }),
  Type.Object({ type: Type.Literal('studio.connect'), requestId: Id, broadcastId: Id, sessionId: Id, dtlsParameters: DtlsParameters }),
  Type.Object({ type: Type.Literal('studio.produce'), requestId: Id, broadcastId: Id, sessionId: Id, kind: MediaKind, rtpParameters: RtpParameters }),
  Type.Object({ type: Type.Literal('studio.close'), broadcastId: Id, sessionId: Id }),
  /**
   * Closes the replay of a broadcast whose node went away mid-live (it could not append ENDLIST itself):
   * any node does it from storage. Answered with replay.ready, or replay.missing when nothing was published.
   */
  Type.Object({ type: Type.Literal('replay.close'), broadcastId: Id }),
  /** Transcode a clip into clips/<clipId>/ (server/vod → media/vod); answered with vod.progress, then vod.done or vod.failed. */
  Type.Object({ type: Type.Literal('vod.start'), jobId: Id, clipId: Id, source: VodSourceSchema }),
  /** Stop the job and remove whatever it published; answered with vod.failed (VOD_CANCELLED). */
  Type.Object({ type: Type.Literal('vod.cancel'), jobId: Id }),
]);
export type ControlMessage = Static<typeof ControlMessage>;

// Media node → control plane.
export const NodeMessage = Type.Union([
  Type.Object({ type: Type.Literal('node.register'), nodeId: Id, cores: Type.Integer({ minimum: 1 }), workers: Type.Integer({ minimum: 1 }), ip: Type.String() }),
  Type.Object({
    type: Type.Literal('node.load'),
    nodeId: Id,
    broadcasts: Type.Integer({ minimum: 0 }),
    /** Share of the node's cores its process tree (workers and transcoders) used since the last report, 0–1. */
    cpu: Type.Number({ minimum: 0 }),
  }),
  Type.Object({ type: Type.Literal('ingest.opened'), requestId: Id, nodeId: Id, broadcastId: Id, rtp: RtpIngest }),
  Type.Object({ type: Type.Literal('request.failed'), requestId: Id, nodeId: Id, message: Type.String() }),
  Type.Object({ type: Type.Literal('whip.answered'), requestId: Id, nodeId: Id, broadcastId: Id, sessionId: Id, answer: Type.String() }),
  Type.Object({ type: Type.Literal('whip.refused'), requestId: Id, nodeId: Id, code: WhipRefusal, message: Type.String() }),
  Type.Object({ type: Type.Literal('studio.opened'), requestId: Id, nodeId: Id, broadcastId: Id, session: StudioSession }),
  /** A studio connect (no producerId) or produce step done. */
  Type.Object({ type: Type.Literal('studio.done'), requestId: Id, nodeId: Id, producerId: Type.Optional(Id) }),
  Type.Object({ type: Type.Literal('studio.refused'), requestId: Id, nodeId: Id, code: StudioRefusal, message: Type.String() }),
  Type.Object({ type: Type.Literal('media.started'), broadcastId: Id, nodeId: Id, source: Type.Intersect([SourceVideo, Type.Object({ codec: Type.String() })]) }),
  Type.Object({ type: Type.Literal('media.stopped'), broadcastId: Id, nodeId: Id, reason: StopReason }),
  /** The master playlist and every rendition's first segment are in storage: players may start. */
  Type.Object({ type: Type.Literal('hls.ready'), broadcastId: Id, nodeId: Id, masterKey: Type.String() }),
  /** Every rendition playlist carries ENDLIST in storage: the live window is the replay. */
  Type.Object({ type: Type.Literal('replay.ready'), broadcastId: Id, nodeId: Id, masterKey: Type.String() }),
  /** A replay.close found no master playlist in storage: the broadcast's node went away before anything was playable. */
  Type.Object({ type: Type.Literal('replay.missing'), broadcastId: Id, nodeId: Id }),
  /** A running VOD job's progress, at most about once a second; also its node's sign of life for the job. */
  Type.Object({
    type: Type.Literal('vod.progress'),
    jobId: Id,
    nodeId: Id,
    percent: Type.Number({ minimum: 0, maximum: 100 }),
    etaSeconds: Type.Union([Type.Number({ minimum: 0 }), Type.Null()]),
  }),
  /** Every file of the clip is in storage, the master playlist last. */
  Type.Object({ type: Type.Literal('vod.done'), jobId: Id, nodeId: Id, result: VodResultSchema }),
  /** The job stopped (failed, or cancelled: VOD_CANCELLED) and nothing of it is left in storage. */
  Type.Object({ type: Type.Literal('vod.failed'), jobId: Id, nodeId: Id, error: ClipError }),
]);
export type NodeMessage = Static<typeof NodeMessage>;

/** The VOD jobs' share of the bus (server/vod ↔ media/vod). */
export type VodControlMessage = Extract<ControlMessage, { type: 'vod.start' | 'vod.cancel' }>;
export type VodNodeMessage = Extract<NodeMessage, { type: 'vod.progress' | 'vod.done' | 'vod.failed' }>;

export const controlMessageCheck = Compile(ControlMessage);
export const nodeMessageCheck = Compile(NodeMessage);

/** S3-compatible media storage, as configured by S3_* (server/config.ts) and handed to media nodes. */
export const S3Settings = Type.Object({
  endpoint: Type.String(),
  region: Type.String(),
  bucket: Type.String(),
  accessKeyId: Type.String(),
  secretAccessKey: Type.String(),
  /** Base URL players fetch media from: a CDN in front of the bucket, or the bucket itself. */
  publicUrl: Type.String(),
  forcePathStyle: Type.Boolean(),
});
export type S3Settings = Static<typeof S3Settings>;

/** What a media node is started with (the embedded launcher passes it as JSON in MEDIA_NODE_SETTINGS). */
export const MediaNodeSettings = Type.Object({
  nodeId: Id,
  dataDir: Type.String({ minLength: 1 }),
  publicUrl: Type.String(),
  /** The address senders reach this node's RTP ports at. */
  announcedIp: Type.String(),
  /** Which local address the RTP ports are bound to. */
  listenIp: Type.String(),
  /** The ports publishers' media arrives on (WebRTC and plain RTP ingests; LINBO_RTC_MIN_PORT/MAX_PORT). */
  rtcPorts: Type.Object({ min: Port, max: Port }),
  workers: Type.Integer({ minimum: 1, maximum: 256 }),
  loadIntervalMs: Type.Integer({ minimum: 100 }),
  logLevel: Type.String(),
  s3: Type.Optional(S3Settings),
});
export type MediaNodeSettings = Static<typeof MediaNodeSettings>;
export const mediaNodeSettingsCheck = Compile(MediaNodeSettings);

/** The control plane's end of the bus: one conversation with every node. */
export interface ControlBus {
  send(nodeId: string, message: ControlMessage): void;
  /** Returns the function that stops listening. */
  onMessage(listener: (message: NodeMessage) => void): () => void;
  /** A node went away without closing (crashed, killed, unreachable). */
  onNodeLost(listener: (nodeId: string) => void): () => void;
  close(): Promise<void>;
}

/** A media node's end of the bus. */
export interface NodeBus {
  send(message: NodeMessage): void;
  onMessage(listener: (message: ControlMessage) => void): () => void;
  close(): void;
}

/** Where the master playlist of a live broadcast lives in media storage. */
export const liveMasterKey = (broadcastId: string): string => `live/${broadcastId}/master.m3u8`;

/** A clip's published files, written by its VOD job (media/vod) and read by players and premieres. */
export const clipPrefix = (clipId: string): string => `clips/${clipId}`;
export const clipMasterKey = (clipId: string): string => `clips/${clipId}/master.m3u8`;
/** A rendition's VOD media playlist; its init section and segments sit beside it. */
export const clipRenditionKey = (clipId: string, rendition: string): string => `clips/${clipId}/${rendition}/index.m3u8`;
export const clipPosterKey = (clipId: string): string => `clips/${clipId}/poster.jpg`;
export const clipThumbnailsKey = (clipId: string): string => `clips/${clipId}/thumbnails.vtt`;
