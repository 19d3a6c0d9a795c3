// Staff on a broadcast's realtime channel: the same client residents use (player/realtime/client.ts);
// the session cookie travels with the WebSocket, so the server makes this socket host or moderator.
import { ChannelClient, type ChannelError, type ChannelView, type Change } from '../../player/realtime/client.ts';
import { h } from '../lib/dom.ts';
import { isKey, t } from '../lib/i18n.ts';

export type { ChannelClient, ChannelView, Change };

/** A refusal in the staff member's language. */
export function refusalText(error: ChannelError): string {
  const key = `rt.err.${error.code}`;
  return isKey(key) ? t(key) : t('rt.err.OTHER', { detail: error.message });
}

/**
 * Opens the channel for a view drawn into `root`, calling `draw` after every change; the router has no
 * unmount, so the client closes itself at the first change after `root` left the page (counts arrive
 * every second, so that is soon).
 */
export function staffChannel(url: string, root: HTMLElement, draw: (view: ChannelView, change: Change) => void, onRefused: (text: string) => void): ChannelClient {
  const client = new ChannelClient({ url });
  let drawn = false;
  client.subscribe((view, change) => {
    if (drawn && !root.isConnected) return client.close();
    drawn = true;
    draw(view, change);
  });
  client.onError((error) => onRefused(refusalText(error)));
  return client;
}

/** Viewers now, peak and total, and the like total, on one line. */
export function countsLine(view: ChannelView): string {
  return `${t('rt.viewers', view.viewers)} · ${t('rt.likes', { n: view.likes })}`;
}

/** A small button sending one staff message. */
export const actionButton = (label: string, onclick: () => void, kind = '') => h('button', { type: 'button', class: `small ${kind}`.trim(), onclick }, label);
