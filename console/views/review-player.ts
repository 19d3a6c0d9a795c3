// The clip under review, playing: native HLS where the browser has it (Safari), hls.js elsewhere,
// loaded only on this page (a chunk of its own). Starts with sound when the browser allows it, else
// muted (autoplay rules) with the controls there to turn the sound on.
import { h, replace } from '../lib/dom.ts';
import { t } from '../lib/i18n.ts';
import type { Clip } from '../../server/contracts/clips.ts';

export interface ClipPlayer {
  el: HTMLElement;
  close(): void;
}

export function clipPlayer(clip: Clip): ClipPlayer {
  const video = h('video', { class: 'review-video', controls: true, playsinline: true, preload: 'auto', poster: clip.links.poster });
  const el = h('div', { class: 'review-player' }, video);
  let closed = false;
  let destroy = () => {};
  const play = () =>
    video.play().catch(() => {
      video.muted = true;
      return video.play().catch(() => {}); // the reviewer presses play
    });

  if (video.canPlayType('application/vnd.apple.mpegurl')) {
    video.src = clip.links.hls;
    void play();
  } else {
    void import('hls.js').then(({ default: Hls }) => {
      if (closed) return;
      if (!Hls.isSupported()) return replace(el, h('p', { class: 'status error' }, t('review.noVideo')));
      const hls = new Hls();
      destroy = () => hls.destroy();
      // The router has no unmount: a player whose page was left stops at its next fragment.
      hls.on(Hls.Events.FRAG_LOADED, () => {
        if (!video.isConnected) close();
      });
      hls.on(Hls.Events.MANIFEST_PARSED, () => void play());
      hls.loadSource(clip.links.hls);
      hls.attachMedia(video);
    });
  }

  function close(): void {
    if (closed) return;
    closed = true;
    destroy();
    video.removeAttribute('src');
    video.load();
  }
  return { el, close };
}
