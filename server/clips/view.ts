// The one mapping from a stored clip to its public JSON (ClipSchema): the console, the submission
// page, the feed and premieres show a clip the same way.
import type { Clip, ClipError } from '../contracts/clips.ts';
import { clipMasterKey, clipPosterKey, clipThumbnailsKey } from '../contracts/media.ts';
import type { clips } from '../store/schema.ts';

export type ClipRow = typeof clips.$inferSelect;

/** A clip with the channel it is shown with (and the channel's review setting). */
export interface ClipRecord {
  row: ClipRow;
  channel: { id: string; name: string; slug: string; reviewStaffUploads: boolean };
}

export interface ClipUrls {
  publicUrl: string;
  /** Base URL media is served from (`${publicUrl}/media`, or the S3 public URL). */
  mediaUrl: string;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function clipLinks({ publicUrl, mediaUrl }: ClipUrls, id: string): Clip['links'] {
  return {
    watch: `${publicUrl}/clips/${id}`,
    hls: `${mediaUrl}/${clipMasterKey(id)}`,
    poster: `${mediaUrl}/${clipPosterKey(id)}`,
    thumbnails: `${mediaUrl}/${clipThumbnailsKey(id)}`,
  };
}

export function toClip({ row, channel }: ClipRecord, urls: ClipUrls): Clip {
  return {
    id: row.id,
    channelId: row.channelId,
    channel: { id: channel.id, name: channel.name, slug: channel.slug },
    title: row.title,
    filename: row.filename,
    source: row.source,
    // The uploader's display name at upload (staff), or the name the resident gave.
    submitterName: row.submitterName,
    state: row.state,
    progress: row.progress,
    etaSeconds: row.etaSeconds,
    sizeBytes: row.sizeBytes,
    durationSeconds: row.durationSeconds,
    width: row.width,
    height: row.height,
    error: (row.error as ClipError | null) ?? null,
    rejectReason: row.rejectReason,
    reviewedAt: iso(row.reviewedAt),
    publishedAt: iso(row.publishedAt),
    likes: row.likes,
    views: row.views,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    links: clipLinks(urls, row.id),
  };
}
