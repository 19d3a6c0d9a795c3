// Where published media lives: a narrow interface with a local-disk and an S3 implementation, and the
// one table of how each kind of file is typed and cached (the control plane's /media route reads it too).
import type { Readable } from 'node:stream';

export interface PutOptions {
  readonly contentType: string;
  readonly cacheControl: string;
}

export interface StoredObject {
  readonly body: Buffer;
  readonly contentType: string | undefined;
  readonly cacheControl: string | undefined;
}

export interface MediaStorage {
  /** Stores `body` under `key`, replacing what was there; a reader sees the old or the new object, never a part. */
  put(key: string, body: Buffer | Readable, options: PutOptions): Promise<void>;
  /** The object and the headers it is served with; undefined when there is none. */
  get(key: string): Promise<StoredObject | undefined>;
  /** Deletes every object under the folder `prefix` (a broadcast's, e.g. `live/<id>`). */
  delete(prefix: string): Promise<void>;
  /** The absolute URL players fetch `key` from. */
  publicUrl(key: string): string;
  /** Releases connections; the storage is not used afterwards. */
  close(): void;
}

/**
 * Playlists change every segment, so caches must revalidate them; everything else is written once
 * under a name never reused, so caches (and CDNs) may keep it for a year.
 */
const IMMUTABLE = 'public, max-age=31536000, immutable';
const NO_CACHE = 'no-cache';

const TYPES: Record<string, PutOptions> = {
  m3u8: { contentType: 'application/vnd.apple.mpegurl', cacheControl: NO_CACHE },
  // RFC 8216 bis and Apple's HLS authoring spec name video/iso.segment for CMAF media segments.
  m4s: { contentType: 'video/iso.segment', cacheControl: IMMUTABLE },
  mp4: { contentType: 'video/mp4', cacheControl: IMMUTABLE },
  ts: { contentType: 'video/mp2t', cacheControl: IMMUTABLE },
  aac: { contentType: 'audio/aac', cacheControl: IMMUTABLE },
  vtt: { contentType: 'text/vtt; charset=utf-8', cacheControl: IMMUTABLE },
  jpg: { contentType: 'image/jpeg', cacheControl: IMMUTABLE },
  jpeg: { contentType: 'image/jpeg', cacheControl: IMMUTABLE },
  png: { contentType: 'image/png', cacheControl: IMMUTABLE },
  webp: { contentType: 'image/webp', cacheControl: IMMUTABLE },
};

const FALLBACK: PutOptions = { contentType: 'application/octet-stream', cacheControl: NO_CACHE };

/** How an object is typed and cached, decided by its extension. */
export function mediaTypeOf(key: string): PutOptions {
  const dot = key.lastIndexOf('.');
  return (dot >= 0 && TYPES[key.slice(dot + 1).toLowerCase()]) || FALLBACK;
}

export const isPlaylist = (key: string): boolean => key.toLowerCase().endsWith('.m3u8');

/**
 * Keys are relative slash-separated paths of plain segments: the same key must name the same file on
 * disk and in a bucket, and must never climb out of the media root.
 */
export function assertKey(key: string, { prefix = false } = {}): void {
  const parts = key.split('/');
  const bad =
    key.length === 0 ||
    key.length > 512 ||
    key.includes('\\') ||
    key.includes('\0') ||
    parts.some((p, i) => p === '.' || p === '..' || (p === '' && !(prefix && i === parts.length - 1)));
  if (bad) throw new Error(`not a media key: ${JSON.stringify(key)}`);
}

/** Joins a base URL and a key, escaping each path segment. */
export function urlOf(base: string, key: string): string {
  return `${base.replace(/\/+$/, '')}/${key.split('/').map(encodeURIComponent).join('/')}`;
}
