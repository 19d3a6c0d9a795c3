// A broadcast whose transcoder starts on a node that did not run its earlier part (the first node was
// killed, a publisher came back to its successor within the grace period): storage already holds the
// earlier segments, served immutable. Their playlists are brought back into the fresh working dir so
// that ffmpeg's append_list goes on numbering after them (docs/decisions.md, "A publisher returning
// to a new media node continues the stored playlists").
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { MediaStorage } from '../storage/storage.ts';
import { renditionPlaylist } from '../transcode/hls-args.ts';
import type { LadderPlan } from '../transcode/ladder.ts';
import { MASTER_PLAYLIST } from './master-playlist.ts';
import { referencedKeys } from './playlist.ts';

/**
 * One line per rendition, `720p 1280x720`, sorted: what must match for the stored segments to go on.
 * A separate audio rendition (`audio`, the ladder before the sound rode in every rung) is listed too,
 * so such a broadcast is not continued under the muxed ladder.
 */
function storedLadder(master: string): string[] {
  const lines = master.split('\n').map((line) => line.trim());
  const ladder: string[] = [];
  lines.forEach((line, i) => {
    const audio = /^#EXT-X-MEDIA:.*URI="([^"/]+)\//.exec(line);
    if (audio) ladder.push(audio[1]);
    if (!line.startsWith('#EXT-X-STREAM-INF:')) return;
    const resolution = /RESOLUTION=(\d+x\d+)/.exec(line)?.[1];
    ladder.push(`${(lines[i + 1] ?? '').split('/')[0]} ${resolution}`);
  });
  return ladder.sort();
}

/** Storage holds the broadcast under another ladder than the one planned: its segments cannot go on. */
export class StoredLadderMismatch extends Error {}

const plannedLadder = (plan: LadderPlan): string[] => plan.rungs.map((rung) => `${rung.name} ${rung.width}x${rung.height}`).sort();

/**
 * Writes each of `plan`'s rendition playlists that storage holds under `prefix` into `dir`, where
 * ffmpeg writes them. Returns every key they name (segments and init sections already stored, never to
 * be uploaded again), or undefined when storage holds none. Throws when the stored master playlist
 * names another ladder: its segments could not go on under this plan's.
 */
export async function restoreStoredPlaylists(storage: MediaStorage, prefix: string, dir: string, plan: LadderPlan): Promise<string[] | undefined> {
  const master = await storage.get(`${prefix}/${MASTER_PLAYLIST}`);
  if (master) {
    const stored = storedLadder(master.body.toString('utf8'));
    const planned = plannedLadder(plan);
    if (stored.join() !== planned.join()) throw new StoredLadderMismatch(`storage holds the broadcast under another ladder (${stored.join(', ')}) than the one planned now (${planned.join(', ')})`);
  }
  const names = plan.rungs.map((rung) => rung.name);
  let keys: string[] | undefined;
  for (const name of names) {
    const key = `${prefix}/${renditionPlaylist(name)}`;
    const playlist = await storage.get(key);
    if (!playlist) continue;
    const path = join(dir, renditionPlaylist(name));
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, playlist.body);
    keys = [...(keys ?? []), ...referencedKeys(key, playlist.body.toString('utf8'), prefix)];
  }
  return keys;
}
