// Closes the replay of a broadcast whose media node went away mid-live: that node could not append
// ENDLIST, so any node does it from what storage holds. Every file a stored playlist names is stored
// already (segments go up before the playlist), so each rendition playlist read back, closed and
// written again is a complete replay.
import { liveMasterKey } from '../../server/contracts/media.ts';
import { isPlaylist, mediaTypeOf, type MediaStorage } from '../storage/storage.ts';
import { referencedKeys, withEndList } from './playlist.ts';

/** Closes every rendition playlist the master names; returns the master's key, or undefined when none was published. */
export async function closeReplay(storage: MediaStorage, broadcastId: string): Promise<string | undefined> {
  const masterKey = liveMasterKey(broadcastId);
  const master = await storage.get(masterKey);
  if (!master) return undefined;
  const prefix = masterKey.slice(0, masterKey.lastIndexOf('/'));
  const renditions = referencedKeys(masterKey, master.body.toString('utf8'), prefix).filter(isPlaylist);
  await Promise.all(
    renditions.map(async (key) => {
      const stored = await storage.get(key);
      if (!stored) return;
      const text = stored.body.toString('utf8');
      const closed = withEndList(text);
      if (closed !== text) await storage.put(key, Buffer.from(closed), mediaTypeOf(key));
    }),
  );
  return masterKey;
}
