// The embed's postMessage API (docs/embed.md): the embedding page sends {linbo:'play'|'pause'|'mute'|
// 'unmute'|'getState'}; the embed answers and reports {linbo:'state', state} on every change and
// {linbo:'error', code, message} on errors. Only public state crosses, so any origin may listen ('*').
import type { Broadcast } from '../../server/contracts/broadcasts.ts';
import type { PlayerState } from '../watch/player.ts';
import type { WatchPage } from '../watch/page.ts';

export interface EmbedState {
  broadcast: string;
  /** scheduled, live, ended... */
  broadcastState: Broadcast['state'];
  playing: boolean;
  muted: boolean;
  live: boolean;
  level: number;
  time: number;
}

export function embedState(b: Broadcast, p: PlayerState | null): EmbedState {
  return {
    broadcast: b.id,
    broadcastState: b.state,
    playing: p?.playing ?? false,
    muted: p?.muted ?? true,
    live: p?.live ?? false,
    level: p?.level ?? -1,
    time: p?.time ?? 0,
  };
}

export function startEmbedBridge(page: WatchPage): void {
  // Framed or opened as a page of its own: with no parent there is no one to tell.
  if (window.parent === window) return;
  const post = (message: object) => window.parent.postMessage(message, '*');
  const postState = () => post({ linbo: 'state', state: embedState(page.broadcast(), page.player()?.state() ?? null) });

  page.listen({
    onState: (b, p) => post({ linbo: 'state', state: embedState(b, p) }),
    onError: (code, message) => post({ linbo: 'error', code, message }),
  });
  window.addEventListener('message', (event) => {
    if (event.source !== window.parent) return;
    const data: unknown = event.data;
    if (!data || typeof data !== 'object' || !('linbo' in data)) return;
    const player = page.player();
    switch ((data as { linbo: unknown }).linbo) {
      case 'play':
        player?.play();
        break;
      case 'pause':
        player?.pause();
        break;
      case 'mute':
        if (player) player.video.muted = true;
        break;
      case 'unmute':
        // Browsers allow sound only after a tap inside the frame; when refused the tap-for-sound control stays.
        player?.unmute();
        break;
      case 'getState':
        postState();
        break;
      default:
        post({ linbo: 'error', code: 'UNKNOWN_COMMAND', message: `unknown command: ${String((data as { linbo: unknown }).linbo).slice(0, 40)}` });
    }
  });
  postState();
}
