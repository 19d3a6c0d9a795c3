// The feed's calls to the server. Same-origin fetches carry the linbo_device cookie: likes, views and
// follows are this device's.
import type { ChannelFeed } from '../../server/contracts/clips.ts';

export interface ClipCounts {
  likes: number;
  views: number;
  liked: boolean;
}
export interface FollowState {
  followers: number;
  following: boolean;
}

async function call<T>(method: string, url: string): Promise<T> {
  const res = await fetch(url, { method, cache: 'no-store', credentials: 'same-origin', headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status}`);
  return (await res.json()) as T;
}

export const fetchFeed = (channelId: string, before: string) => call<ChannelFeed>('GET', `/api/channels/${channelId}/feed?before=${encodeURIComponent(before)}`);
export const setLike = (clipId: string, on: boolean) => call<ClipCounts>(on ? 'POST' : 'DELETE', `/api/clips/${clipId}/like`);
export const countView = (clipId: string) => call<ClipCounts>('POST', `/api/clips/${clipId}/view`);
export const setFollow = (channelId: string, on: boolean) => call<FollowState>(on ? 'PUT' : 'DELETE', `/api/channels/${channelId}/follow`);
