// The seams between the parts of recorded clips, each owned by one module:
//   server/uploads (tus endpoint, probe at finish) ──createFromUpload──► server/clips (ClipService)
//   server/clips ──VodJobs.enqueue/cancel──► server/vod (durable jobs, dispatched to media nodes)
//   server/vod ──ClipJobSink──► server/clips (progress, done, failed)
// Storage keys of a clip's published files are in contracts/media.ts (clipMasterKey…).
import type { Account } from '../accounts/service.ts';
import type { ClipError } from '../contracts/clips.ts';

/** What ffprobe found in an upload, normalised (media/ffmpeg/probe.ts) and checked against the limits. */
export interface ClipProbe {
  readonly durationSeconds: number;
  readonly width: number;
  readonly height: number;
  /** Frames per second; null when the file does not say. */
  readonly fps: number | null;
  /** ffmpeg codec names: `h264`, `hevc`, `aac`… */
  readonly videoCodec: string;
  readonly videoProfile: string | null;
  readonly videoLevel: number | null;
  readonly audioCodec: string | null;
  /** ffprobe's container name list, e.g. `mov,mp4,m4a,3gp,3g2,mj2`. */
  readonly container: string;
}

export type Uploader =
  | { readonly kind: 'staff'; readonly account: Account }
  /** `viewerId` is viewerIdOf(the device cookie): the same device later sees its own submission. */
  | { readonly kind: 'resident'; readonly viewerId: string; readonly displayName: string; readonly ip: string };

/** A finished, probed, accepted upload: becomes the clip with the upload's id. */
export interface UploadedClip {
  readonly id: string;
  readonly channelId: string;
  readonly title: string;
  readonly filename: string;
  readonly sizeBytes: number;
  readonly uploader: Uploader;
  readonly probe: ClipProbe;
}

/** Where a clip's uploaded source is, for a media node to read. */
export type VodSource =
  /** On this machine's disk (the tus file store). */
  | { readonly kind: 'file'; readonly path: string }
  /** In the bucket (the tus S3 store), as a presigned GET URL ffmpeg reads with ranges. */
  | { readonly kind: 'url'; readonly url: string };

/** The uploaded bytes of clips (the tus store): located for a job, removed when a clip is rejected or deleted. */
export interface ClipSources {
  locate(clipId: string): Promise<VodSource>;
  /** Safe to call when nothing is there. */
  remove(clipId: string): Promise<void>;
}

/** One rendition a VOD job published. */
export interface VodRendition {
  /** `720p`: its folder under clips/<id>/. */
  readonly name: string;
  readonly width: number;
  readonly height: number;
  /** Peak and average bits/s, as in the master playlist. */
  readonly bandwidth: number;
  readonly averageBandwidth: number;
  /** RFC 6381 codecs string, as in the master playlist. */
  readonly codecs: string;
  /** The passthrough rung: the source's H.264 copied. */
  readonly passthrough: boolean;
}

/** What a finished VOD job published (stored in clips.renditions). */
export interface VodResult {
  readonly durationSeconds: number;
  readonly segmentSeconds: number;
  readonly renditions: readonly VodRendition[];
}

/** Durable VOD transcode jobs (server/vod). */
export interface VodJobs {
  /** Queues the clip's transcode; a clip has at most one unfinished job. */
  enqueue(clipId: string): Promise<void>;
  /** Stops the clip's queued or running job; resolves false when it had none. The sink hears `failed` with VOD_CANCELLED. */
  cancel(clipId: string): Promise<boolean>;
}

/** What server/vod reports about a clip's job (implemented by ClipService). */
export interface ClipJobSink {
  /** The job started on a node (clip → processing). */
  started(clipId: string): Promise<void>;
  /** At most about once a second per job. */
  progress(clipId: string, percent: number, etaSeconds: number | null): Promise<void>;
  /** Every rendition, the master playlist, the poster and the thumbnails are in storage. */
  done(clipId: string, result: VodResult): Promise<void>;
  /** Nothing of the job was left published. */
  failed(clipId: string, error: ClipError): Promise<void>;
}
