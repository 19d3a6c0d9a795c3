// What the publisher needs to know about an HLS playlist's text (RFC 8216): which files it names,
// and how to close a media playlist so it becomes a replay.
import { posix } from 'node:path';

/**
 * Keys of the files a playlist names (media segments, `EXT-X-MAP` init sections, variant and
 * rendition playlists), resolved against the playlist's own key. Absolute URLs and paths that leave
 * `prefix` are not ours to publish and are left out.
 */
export function referencedKeys(playlistKey: string, text: string, prefix: string): string[] {
  const uris: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    if (line.startsWith('#')) {
      for (const m of line.matchAll(/URI="([^"]*)"/g)) uris.push(m[1]);
    } else {
      uris.push(line);
    }
  }
  const folder = posix.dirname(playlistKey);
  const within = `${prefix.replace(/\/+$/, '')}/`;
  const keys = new Set<string>();
  for (const uri of uris) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(uri) || uri.startsWith('/')) continue;
    let path: string;
    try {
      path = decodeURIComponent(uri.replace(/[?#].*$/, ''));
    } catch {
      continue; // a malformed escape names no file we wrote
    }
    const key = posix.normalize(posix.join(folder, path));
    if (key.startsWith(within)) keys.add(key);
  }
  return [...keys];
}

/** A media playlist (segments with durations) as opposed to a multivariant one, which never ends. */
export const isMediaPlaylist = (text: string): boolean => /^#EXT-X-TARGETDURATION:/m.test(text);

export const hasEndList = (text: string): boolean => /^#EXT-X-ENDLIST\s*$/m.test(text);

/** The playlist closed with `#EXT-X-ENDLIST`: players stop polling and offer the whole window as a replay. */
export function withEndList(text: string): string {
  if (!isMediaPlaylist(text) || hasEndList(text)) return text;
  return `${text.endsWith('\n') || text === '' ? text : `${text}\n`}#EXT-X-ENDLIST\n`;
}
