// A premiere's HLS, computed from the clip's published VOD playlists and the clock (RFC 8216): while
// it is live, a sliding window of the segments the premiere has reached, stamped with the wall-clock
// time each one plays at; once it has ended, the whole clip (the replay). Pure: no I/O, no clock.
import type { VodRendition } from '../clips/ports.ts';

export interface VodSegment {
  /** As written in the VOD playlist, relative to it. */
  readonly uri: string;
  readonly seconds: number;
  /** Seconds from the clip's start to this segment's start. */
  readonly offset: number;
}

export interface VodPlaylist {
  readonly targetDuration: number;
  /** The init section's URI (fMP4), relative to the playlist; null for MPEG-TS segments. */
  readonly map: string | null;
  readonly segments: readonly VodSegment[];
  /** Seconds of the whole clip. */
  readonly seconds: number;
}

/** Reads a VOD media playlist's segments, their durations and init section. */
export function parseVodPlaylist(text: string): VodPlaylist {
  let targetDuration = 0;
  let map: string | null = null;
  let pending: number | null = null;
  let offset = 0;
  const segments: VodSegment[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    if (line.startsWith('#EXT-X-TARGETDURATION:')) targetDuration = Number(line.slice(22));
    else if (line.startsWith('#EXT-X-MAP:')) map = /URI="([^"]*)"/.exec(line)?.[1] ?? null;
    else if (line.startsWith('#EXTINF:')) pending = Number.parseFloat(line.slice(8));
    else if (!line.startsWith('#') && pending !== null) {
      segments.push({ uri: line, seconds: pending, offset });
      offset += pending;
      pending = null;
    }
  }
  if (segments.length === 0) throw new Error('the clip playlist lists no segments');
  return { targetDuration: targetDuration || Math.ceil(Math.max(...segments.map((s) => s.seconds))), map, segments, seconds: offset };
}

/** Segments a live window shows: enough for a player to hold its distance behind the edge, few to poll. */
export const WINDOW_SEGMENTS = 6;

/** How many of the clip's segments have started `elapsedSeconds` after the premiere's start (at least the first). */
export function segmentsReached(vod: VodPlaylist, elapsedSeconds: number): number {
  let reached = 0;
  while (reached < vod.segments.length && vod.segments[reached].offset <= elapsedSeconds) reached++;
  return Math.max(reached, 1);
}

export interface PremiereWindow {
  /** When the premiere started: segment n plays at startedAt + its offset in the clip. */
  readonly startedAt: Date;
  /** Segments reached so far (segmentsReached); ignored once ended. */
  readonly reached: number;
  /** The broadcast has ended: the whole clip, closed (the replay). */
  readonly ended: boolean;
  /** Absolute URL of a file named in the clip's VOD playlist (they stay where the VOD job put them). */
  readonly urlOf: (uri: string) => string;
}

/**
 * The media playlist at one moment. Live: the last WINDOW_SEGMENTS reached, numbered by their index in
 * the clip so the sequence only grows, each with its EXT-X-PROGRAM-DATE-TIME, so every viewer finds the
 * same live point. It stays open until the broadcast ends (a closed list would make a late player start
 * at the window's beginning, not at the live point).
 */
export function premierePlaylist(vod: VodPlaylist, at: PremiereWindow): string {
  const end = at.ended ? vod.segments.length : Math.min(at.reached, vod.segments.length);
  const first = at.ended ? 0 : Math.max(0, end - WINDOW_SEGMENTS);
  const lines = ['#EXTM3U', '#EXT-X-VERSION:7', `#EXT-X-TARGETDURATION:${vod.targetDuration}`, `#EXT-X-MEDIA-SEQUENCE:${first}`];
  if (at.ended) lines.push('#EXT-X-PLAYLIST-TYPE:VOD');
  if (vod.map !== null) lines.push(`#EXT-X-MAP:URI="${at.urlOf(vod.map)}"`);
  const start = at.startedAt.getTime();
  for (const segment of vod.segments.slice(first, end)) {
    lines.push(`#EXT-X-PROGRAM-DATE-TIME:${new Date(start + Math.round(segment.offset * 1000)).toISOString()}`);
    lines.push(`#EXTINF:${segment.seconds.toFixed(6)},`, at.urlOf(segment.uri));
  }
  if (at.ended) lines.push('#EXT-X-ENDLIST');
  return `${lines.join('\n')}\n`;
}

/** The multivariant playlist: one variant per rendition of the clip, each a premiere media playlist. */
export function premiereMaster(renditions: readonly VodRendition[], playlistUrl: (rendition: string) => string): string {
  const lines = ['#EXTM3U', '#EXT-X-VERSION:7', '#EXT-X-INDEPENDENT-SEGMENTS'];
  for (const r of renditions) {
    lines.push(
      `#EXT-X-STREAM-INF:BANDWIDTH=${r.bandwidth},AVERAGE-BANDWIDTH=${r.averageBandwidth},CODECS="${r.codecs}",RESOLUTION=${r.width}x${r.height}`,
      playlistUrl(r.name),
    );
  }
  return `${lines.join('\n')}\n`;
}
