// The one mapping from a stored broadcast to its public JSON (BroadcastSchema). Series, calendars,
// posters and pages reuse it so a broadcast looks the same wherever it appears.
import type { Broadcast } from '../contracts/broadcasts.ts';
import type { broadcasts } from '../store/schema.ts';
import { broadcastLinks, hlsLink, imageUrl, premiereHlsLink } from './links.ts';

export type BroadcastRow = typeof broadcasts.$inferSelect;
export interface ChannelSummary {
  id: string;
  name: string;
  slug: string;
}
export interface HostSummary {
  id: string;
  displayName: string;
}
/** What a broadcast is shown with: its channel and (when assigned) its host. */
export interface BroadcastRelations {
  channel: ChannelSummary;
  host: HostSummary | null;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function toBroadcast(
  row: BroadcastRow,
  { channel, host }: BroadcastRelations,
  { publicUrl, mediaUrl }: { publicUrl: string; mediaUrl: string },
  { withStreamKey }: { withStreamKey: boolean },
): Broadcast {
  return {
    id: row.id,
    channelId: row.channelId,
    channel: { id: channel.id, name: channel.name, slug: channel.slug },
    seriesId: row.seriesId,
    occurrenceStart: iso(row.occurrenceStart),
    detached: row.detached,
    title: row.title,
    description: row.description,
    kind: row.kind,
    clipId: row.clipId,
    state: row.state,
    scheduledStart: row.scheduledStart.toISOString(),
    durationMinutes: row.durationMinutes,
    theme: row.theme,
    hostId: row.hostId,
    host: host ? { id: host.id, displayName: host.displayName } : null,
    visibility: row.visibility,
    coverImageId: row.coverImageId,
    coverUrl: row.coverImageId ? imageUrl(publicUrl, row.coverImageId) : null,
    ...(withStreamKey ? { streamKey: row.streamKey } : {}),
    startedAt: iso(row.startedAt),
    endedAt: iso(row.endedAt),
    endedReason: row.endedReason,
    replay: { ready: row.replayReadyAt !== null, readyAt: iso(row.replayReadyAt) },
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    links: { ...broadcastLinks(publicUrl, row.id), hls: row.kind === 'premiere' ? premiereHlsLink(publicUrl, row.id) : hlsLink(mediaUrl, row.id) },
  };
}
