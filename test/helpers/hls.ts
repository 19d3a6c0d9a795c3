// Writes a live broadcast's HLS output into a working dir the way ffmpeg's hls muxer does (fMP4
// renditions, an EVENT playlist per rendition, a multivariant playlist): each segment is complete
// before the playlist naming it is renamed into place. And a storage that records what landed, in order.
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { MediaStorage, PutOptions, StoredObject } from '../../media/storage/storage.ts';

export interface WrittenFiles {
  readonly segments: string[];
  readonly playlists: string[];
}

export class HlsWriter {
  readonly dir: string;
  readonly renditions: readonly string[];
  /** Segments written so far per rendition. */
  count = 0;

  constructor(dir: string, renditions: readonly string[] = ['360p', '720p']) {
    this.dir = dir;
    this.renditions = renditions;
    for (const r of renditions) mkdirSync(join(dir, r), { recursive: true });
  }

  static segmentName(n: number): string {
    return `seg_${String(n).padStart(5, '0')}.m4s`;
  }

  /** The multivariant playlist and each rendition's init section, as ffmpeg writes them at start. */
  start(): WrittenFiles {
    const segments = this.renditions.map((r) => {
      writeFileSync(join(this.dir, r, 'init.mp4'), randomBytes(800));
      return join(this.dir, r, 'init.mp4');
    });
    const master = ['#EXTM3U', '#EXT-X-VERSION:7', ...this.renditions.flatMap((r, i) => [`#EXT-X-STREAM-INF:BANDWIDTH=${(i + 1) * 800_000}`, `${r}/index.m3u8`])];
    return { segments, playlists: [this.#replace(join(this.dir, 'master.m3u8'), `${master.join('\n')}\n`)] };
  }

  /** One more segment in every rendition, then every rendition's playlist. */
  next(bytes = 20_000): WrittenFiles {
    this.count += 1;
    const segments = this.renditions.map((r) => {
      const path = join(this.dir, r, HlsWriter.segmentName(this.count));
      writeFileSync(path, randomBytes(bytes));
      return path;
    });
    const playlists = this.renditions.map((r) => this.#replace(join(this.dir, r, 'index.m3u8'), this.playlistText()));
    return { segments, playlists };
  }

  /** A rendition's playlist as it stands: every segment from the first (the live window kept whole). */
  playlistText(): string {
    const lines = ['#EXTM3U', '#EXT-X-VERSION:7', '#EXT-X-TARGETDURATION:2', '#EXT-X-MEDIA-SEQUENCE:1', '#EXT-X-PLAYLIST-TYPE:EVENT', '#EXT-X-MAP:URI="init.mp4"'];
    for (let n = 1; n <= this.count; n++) lines.push('#EXTINF:2.000000,', HlsWriter.segmentName(n));
    return `${lines.join('\n')}\n`;
  }

  #replace(path: string, text: string): string {
    writeFileSync(`${path}.tmp`, text);
    renameSync(`${path}.tmp`, path);
    return path;
  }
}

export interface Landed {
  readonly key: string;
  readonly body: Buffer;
}

/** A real storage that also records every object that landed, in the order the puts completed. */
export class RecordingStorage implements MediaStorage {
  readonly landed: Landed[] = [];
  readonly #inner: MediaStorage;

  constructor(inner: MediaStorage) {
    this.#inner = inner;
  }

  async put(key: string, body: Buffer | Readable, options: PutOptions): Promise<void> {
    await this.#inner.put(key, body, options);
    this.landed.push({ key, body: Buffer.isBuffer(body) ? body : Buffer.alloc(0) });
  }

  get(key: string): Promise<StoredObject | undefined> {
    return this.#inner.get(key);
  }

  delete(prefix: string): Promise<void> {
    return this.#inner.delete(prefix);
  }

  publicUrl(key: string): string {
    return this.#inner.publicUrl(key);
  }

  close(): void {
    this.#inner.close();
  }
}
