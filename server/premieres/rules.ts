// What a broadcast's kind says about its clip: a premiere plays a published clip of its own channel and
// lasts as long as that clip; every other kind has none. BroadcastService asks here on create and update.
import { ApiError } from '../http/errors.ts';
import type { PremiereStore } from './store.ts';

export interface PremiereFields {
  readonly clipId: string | null;
  /** The clip's length in whole minutes, rounded up; undefined for other kinds (staff set it). */
  readonly durationMinutes: number | undefined;
}

export class PremiereRules {
  readonly #store: PremiereStore;
  constructor(store: PremiereStore) {
    this.#store = store;
  }

  /** The clip and length a broadcast of `kind` in `channelId` gets, given the `clipId` asked for. */
  async fields(kind: string, clipId: string | null | undefined, channelId: string): Promise<PremiereFields> {
    if (kind !== 'premiere') {
      if (clipId) throw new ApiError('PREMIERE_CLIP_NOT_ALLOWED', `A ${kind} plays no clip`);
      return { clipId: null, durationMinutes: undefined };
    }
    if (!clipId) throw new ApiError('PREMIERE_NEEDS_CLIP');
    const clip = await this.#store.clip(clipId);
    if (!clip || clip.channelId !== channelId) throw new ApiError('PREMIERE_CLIP_NOT_FOUND', `No clip ${clipId} in this channel`);
    if (clip.state !== 'published' || !clip.renditions) {
      throw new ApiError('PREMIERE_CLIP_NOT_PUBLISHED', `The clip is ${clip.state}`, { clipState: clip.state });
    }
    return { clipId, durationMinutes: Math.max(1, Math.ceil(clip.renditions.durationSeconds / 60)) };
  }
}
