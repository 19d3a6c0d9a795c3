// Serves a premiere's playlists. Every viewer polls its media playlist every couple of seconds (10,000
// at a gala), so a request costs a map lookup: the broadcast is re-read at most once a second, the
// clip's VOD playlists once per process, and each window's text is built once.
import type { BroadcastService } from '../broadcasts/service.ts';
import type { BroadcastRow } from '../broadcasts/view.ts';
import type { VodResult } from '../clips/ports.ts';
import type { Clock } from '../clock.ts';
import { clipRenditionKey } from '../contracts/media.ts';
import { ApiError } from '../http/errors.ts';
import type { MediaStorage } from '../../media/storage/storage.ts';
import { parseVodPlaylist, premiereMaster, premierePlaylist, segmentsReached, type VodPlaylist } from './playlist.ts';
import type { PremiereStore } from './store.ts';

/** How long a broadcast's state is trusted without reading it again (a change made here is seen at once). */
const STATE_TTL_MS = 1000;

export interface PremiereDeps {
  broadcasts: BroadcastService;
  store: PremiereStore;
  storage: MediaStorage;
  clock: Clock;
  publicUrl: string;
}

interface Running {
  readonly clipId: string;
  readonly startedAt: Date;
  readonly ended: boolean;
}

export class PremiereService {
  readonly #deps: PremiereDeps;
  readonly #states = new Map<string, { readAt: number; running: Promise<Running> }>();
  readonly #clips = new Map<string, Promise<VodResult>>();
  readonly #vods = new Map<string, Promise<VodPlaylist>>();
  readonly #texts = new Map<string, { key: string; text: string }>();
  readonly #off: () => void;

  constructor(deps: PremiereDeps) {
    this.#deps = deps;
    this.#off = deps.broadcasts.onSaved((row: BroadcastRow) => this.#states.delete(row.id));
  }

  /** The multivariant playlist: the clip's renditions, each a premiere media playlist. */
  async master(id: string): Promise<string> {
    const running = await this.#running(id);
    const clip = await this.#clip(running.clipId);
    return premiereMaster(clip.renditions, (name) => `${this.#deps.publicUrl}/api/broadcasts/${id}/premiere/${encodeURIComponent(name)}/index.m3u8`);
  }

  /** One rendition's media playlist as of now. */
  async media(id: string, rendition: string): Promise<string> {
    const running = await this.#running(id);
    const clip = await this.#clip(running.clipId);
    if (!clip.renditions.some((r) => r.name === rendition)) throw new ApiError('NOT_FOUND', `No rendition ${rendition}`);
    const vod = await this.#vod(running.clipId, rendition);
    const elapsed = (this.#deps.clock.now().getTime() - running.startedAt.getTime()) / 1000;
    const reached = segmentsReached(vod, elapsed);
    const key = `${running.startedAt.getTime()}/${running.ended ? 'ended' : reached}`;
    const memo = this.#texts.get(`${id}/${rendition}`);
    if (memo?.key === key) return memo.text;
    const { storage } = this.#deps;
    const folder = clipRenditionKey(running.clipId, rendition).replace(/[^/]*$/, '');
    const text = premierePlaylist(vod, { startedAt: running.startedAt, reached, ended: running.ended, urlOf: (uri) => storage.publicUrl(folder + uri) });
    this.#texts.set(`${id}/${rendition}`, { key, text });
    return text;
  }

  /** The premiere as of at most a second ago; not started (or not a premiere) is an error. */
  #running(id: string): Promise<Running> {
    const now = Date.now();
    const cached = this.#states.get(id);
    if (cached && now - cached.readAt < STATE_TTL_MS) return cached.running;
    const running = this.#deps.broadcasts.getPublic(id).then((b) => {
      if (b.kind !== 'premiere' || !b.clipId) throw new ApiError('NOT_FOUND', 'The broadcast is not a premiere');
      if (!b.startedAt || (b.state !== 'live' && b.state !== 'ended')) throw new ApiError('PREMIERE_NOT_STARTED', `The premiere is ${b.state}`);
      return { clipId: b.clipId, startedAt: new Date(b.startedAt), ended: b.state === 'ended' };
    });
    this.#states.set(id, { readAt: now, running });
    // A failed read (not started yet) is kept for the same second: a crowd polling before the start costs one query.
    running.catch(() => {});
    if (this.#states.size > 1000) this.#states.clear();
    return running;
  }

  /** What the clip's VOD job published; a published clip's files never change, so this is kept. */
  #clip(clipId: string): Promise<VodResult> {
    let clip = this.#clips.get(clipId);
    if (!clip) {
      clip = this.#deps.store.clip(clipId).then((row) => {
        if (!row?.renditions) throw new ApiError('PREMIERE_CLIP_NOT_PUBLISHED', 'The clip has no published renditions');
        return row.renditions;
      });
      this.#clips.set(clipId, clip);
      clip.catch(() => this.#clips.delete(clipId));
    }
    return clip;
  }

  #vod(clipId: string, rendition: string): Promise<VodPlaylist> {
    const key = clipRenditionKey(clipId, rendition);
    let vod = this.#vods.get(key);
    if (!vod) {
      vod = this.#deps.storage.get(key).then((object) => {
        if (!object) throw new ApiError('NOT_FOUND', `The clip's ${rendition} playlist is missing`);
        return parseVodPlaylist(object.body.toString('utf8'));
      });
      this.#vods.set(key, vod);
      vod.catch(() => this.#vods.delete(key));
    }
    return vod;
  }

  /** Forgets what it keeps and stops listening. Safe to call twice. */
  close(): void {
    this.#off();
    this.#states.clear();
    this.#clips.clear();
    this.#vods.clear();
    this.#texts.clear();
  }
}
