// For writers that give no callbacks: watch a working dir and tell the publisher when a playlist is
// renamed into place. Segments are left to the publisher to find in the playlists: a file watcher
// sees a segment appear before it is complete, while a playlist only names finished segments.
import { existsSync, watch } from 'node:fs';
import { join } from 'node:path';
import { isPlaylist } from '../storage/storage.ts';
import type { HlsPublisher } from './publisher.ts';

/** Starts watching `dir` (and its sub-dirs, one per rendition); returns the function that stops it. */
export function watchPlaylists(dir: string, publisher: Pick<HlsPublisher, 'playlistWritten'>): () => void {
  // ffmpeg writes a live playlist to `name.m3u8.tmp` and renames it: the rename is the complete version.
  // Node's recursive watcher on Linux reports only the first rename onto a name as 'rename'; every later
  // one onto the same name comes as 'change'. Either way, only a playlist that is there is news (a
  // rename also reports a name going away), and ffmpeg only ever renames complete playlists into place.
  const watcher = watch(dir, { recursive: true }, (_event, name) => {
    if (name && isPlaylist(name) && existsSync(join(dir, name))) publisher.playlistWritten(join(dir, name));
  });
  // The dir going away (the broadcast cleaned up) ends the watch; finish() rescans regardless.
  watcher.on('error', () => watcher.close());
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    watcher.close();
  };
}
