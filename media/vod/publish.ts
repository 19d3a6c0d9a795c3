// Moves a finished job's staging folder into storage under the clip's prefix: media first, then the
// rendition playlists, the master playlist LAST, so a player that finds the master finds everything
// it names. Removing a half-published clip is the caller's (storage.delete(prefix)).
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { MASTER_PLAYLIST } from '../publish/master-playlist.ts';
import { isPlaylist, mediaTypeOf, type MediaStorage } from '../storage/storage.ts';

/** Objects in flight at once: enough to fill a link to S3, few enough for a small node. */
const PARALLEL = 4;

/** Every file under `dir`, as paths relative to it with forward slashes. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)).split('\\').join('/'));
}

/** Upload order: media and stills, then rendition playlists, then the master. */
const rank = (file: string) => (file === MASTER_PLAYLIST ? 2 : isPlaylist(file) ? 1 : 0);

export async function publishFolder(dir: string, storage: MediaStorage, prefix: string, stillRunning: () => void): Promise<void> {
  const files = (await filesUnder(dir)).sort((a, b) => rank(a) - rank(b));
  for (const stage of [0, 1, 2]) {
    const queue = files.filter((f) => rank(f) === stage);
    const worker = async () => {
      for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
        stillRunning();
        const key = `${prefix}/${file}`;
        await storage.put(key, await readFile(join(dir, file)), mediaTypeOf(key));
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
  }
}
