// On phones only the clip in view plays: muted at first (the only autoplay phones allow), with a big
// "tap for sound"; once the resident has turned the sound on, the next clips play with sound too.
// One video and one engine at a time, so an old phone does not decode a whole feed at once.
import { h } from '../lib/dom.ts';
import { startEngine, type Engine } from '../watch/engine.ts';
import type { FeedEntry } from './items.ts';
import type { FeedStrings } from './strings.ts';

/** Seconds of play after which a clip counts as viewed. */
const VIEW_AFTER_SECONDS = 3;
const NO_EVENTS = { onTrouble() {}, onLevels() {}, onLevel() {}, onError() {} };

export interface Autoplay {
  watch(entry: FeedEntry): void;
  close(): void;
}

export function phoneAutoplay(t: FeedStrings, phone: MediaQueryList): Autoplay {
  let soundOn = false;
  let current: { entry: FeedEntry; video: HTMLVideoElement; engine: Promise<Engine | null>; stop(): void } | null = null;
  const entries = new Map<Element, FeedEntry>();

  function stop(): void {
    current?.stop();
    current = null;
  }

  function play(entry: FeedEntry): void {
    if (current?.entry === entry || !entry.frame || !entry.hls) return;
    stop();
    const video = h('video', { class: 'clip-video', playsinline: true, 'webkit-playsinline': true, 'x5-playsinline': true, loop: true, preload: 'auto' });
    video.muted = !soundOn;
    video.autoplay = true;
    const sound = h('button', { type: 'button', class: 'sound', hidden: true }, t.tapForSound);
    const showSound = () => (sound.hidden = !video.muted && !video.paused);
    sound.addEventListener('click', () => {
      soundOn = true;
      video.muted = false;
      if (video.volume === 0) video.volume = 1;
      void video.play().catch(() => {});
      showSound();
    });
    let played = 0;
    let last = 0;
    const onTime = () => {
      const now = video.currentTime;
      // Only time actually played: a loop back to 0 or a seek adds nothing.
      if (now > last && now - last < 1) played += now - last;
      last = now;
      if (played >= VIEW_AFTER_SECONDS) entry.counts?.viewed();
    };
    video.addEventListener('timeupdate', onTime);
    for (const name of ['play', 'pause', 'volumechange']) video.addEventListener(name, showSound);
    const layer = h('div', { class: 'playing' }, video, sound);
    // A tap on the picture pauses and resumes, as in other short-video apps.
    video.addEventListener('click', () => (video.paused ? void video.play().catch(() => {}) : video.pause()));
    entry.frame.append(layer);
    const engine = startEngine(video, entry.hls, false, NO_EVENTS).then(
      (e) => {
        if (current?.video !== video) {
          e.destroy();
          return null;
        }
        video.play().then(showSound, () => (sound.hidden = false));
        return e;
      },
      () => null,
    );
    current = {
      entry,
      video,
      engine,
      stop() {
        video.removeEventListener('timeupdate', onTime);
        for (const name of ['play', 'pause', 'volumechange']) video.removeEventListener(name, showSound);
        video.pause();
        void engine.then((e) => e?.destroy());
        layer.remove();
      },
    };
    showSound();
  }

  const observer = new IntersectionObserver(
    (records) => {
      if (!phone.matches) return stop();
      for (const record of records) {
        const entry = entries.get(record.target);
        if (!entry) continue;
        if (record.isIntersecting) play(entry);
        else if (current?.entry === entry) stop();
      }
    },
    { threshold: 0.6 },
  );
  const onLayout = () => {
    if (!phone.matches) stop();
  };
  phone.addEventListener('change', onLayout);

  return {
    watch(entry) {
      if (!entry.frame) return;
      entries.set(entry.el, entry);
      observer.observe(entry.el);
    },
    close() {
      stop();
      observer.disconnect();
      phone.removeEventListener('change', onLayout);
    },
  };
}
