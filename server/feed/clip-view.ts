// A clip row as the public contract shows it (ClipSchema), for the feed and the clip page. The feed
// reads clips straight from the table (read-only), so it draws them itself; the links are the same
// shapes server/clips gives (contracts/media.ts keys under the media URL).
import type { Clip, ClipError } from '../contracts/clips.ts';
import { clipMasterKey, clipPosterKey, clipThumbnailsKey } from '../contracts/media.ts';
import type { ChannelRow, ClipRow } from './store.ts';

export interface ClipUrls {
  publicUrl: string;
  /** Base URL media is served from (`${publicUrl}/media`, or the S3 public URL). */
  mediaUrl: string;
}

export const clipPageUrl = (publicUrl: string, id: string) => `${publicUrl}/clips/${id}`;

export function clipView(row: ClipRow, channel: Pick<ChannelRow, 'id' | 'name' | 'slug'>, urls: ClipUrls): Clip {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    id: row.id,
    channelId: row.channelId,
    channel: { id: channel.id, name: channel.name, slug: channel.slug },
    title: row.title,
    filename: row.filename,
    source: row.source,
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
    links: {
      watch: clipPageUrl(urls.publicUrl, row.id),
      hls: `${urls.mediaUrl}/${clipMasterKey(row.id)}`,
      poster: `${urls.mediaUrl}/${clipPosterKey(row.id)}`,
      thumbnails: `${urls.mediaUrl}/${clipThumbnailsKey(row.id)}`,
    },
  };
}
