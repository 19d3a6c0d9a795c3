// The video with its controls: starts muted (the only autoplay phones allow), keeps to the live edge,
// and tells its owner what it is doing (for the embed's messages).
import { h } from '../lib/dom.ts';
import type { Strings } from '../lib/i18n.ts';
import { createControls } from './controls.ts';
import { startEngine, type Engine } from './engine.ts';
import { keepToClock, untilOnClock } from './premiere-clock.ts';

export interface PlayerState {
  playing: boolean;
  muted: boolean;
  /** Playing the live stream (false: the replay). */
  live: boolean;
  /** Index of the level on screen, -1 when not known (native HLS chooses by itself). */
  level: number;
  /** Automatic quality. */
  auto: boolean;
  /** Seconds into the stream. */
  time: number;
  /** Behind the live edge (paused or seeked back). */
  behind: boolean;
}

export interface PlayerOptions {
  url: string;
  live: boolean;
  /** A premiere's live stream, kept on the server's clock (ms) from its start (premiere-clock.ts). */
  premiere?: { now(): number; startedAt: number };
  onChange(state: PlayerState): void;
  onError(code: string, message: string): void;
}

export interface Player {
  el: HTMLElement;
  video: HTMLVideoElement;
  play(): void;
  pause(): void;
  unmute(): void;
  backToLive(): void;
  chooseLevel(index: number): void;
  state(): PlayerState;
  destroy(): void;
}

/** Further behind the edge than this (s) counts as behind: hls.js itself drifts about a second. */
const BEHIND_SECONDS = 6;

export function createPlayer(t: Strings, options: PlayerOptions): Player {
  const video = h('video', { class: 'video', playsinline: true, 'webkit-playsinline': true, 'x5-playsinline': true, controls: true, preload: 'auto' });
  video.muted = true;
  video.autoplay = true;
  let engine: Engine | null = null;
  let destroyed = false;
  let level = -1;
  let auto = true;
  let started = false;

  const state = (): PlayerState => ({
    playing: !video.paused && !video.ended,
    muted: video.muted,
    live: options.live,
    level,
    auto,
    time: Math.round(video.currentTime * 10) / 10,
    behind: behind(),
  });
  function behind(): boolean {
    if (!options.live || !started) return false;
    if (video.paused) return true;
    const edge = engine?.liveEdge() ?? null;
    return edge !== null && edge - video.currentTime > BEHIND_SECONDS;
  }

  const play = () => {
    video.play().then(
      () => {},
      // Blocked even muted (a power-saving mode): the sound button doubles as the play button.
      () => controls.showSound(true),
    );
  };
  const backToLive = () => {
    const edge = engine?.liveEdge();
    if (edge != null && Number.isFinite(edge)) video.currentTime = edge;
    play();
  };
  const controls = createControls(t, {
    sound() {
      video.muted = false;
      if (video.volume === 0) video.volume = 1;
      play();
    },
    backToLive,
    chooseLevel: (index) => engine?.chooseLevel(index),
  });

  let last = '';
  const changed = () => {
    const now = state();
    controls.showSound(now.muted);
    controls.showBehind(now.behind);
    // timeupdate fires four times a second: tell the owner only what it did not know.
    const key = JSON.stringify({ ...now, time: Math.floor(now.time) });
    if (key === last) return;
    last = key;
    options.onChange(now);
  };
  video.addEventListener('playing', () => (started = true));
  for (const name of ['play', 'playing', 'pause', 'volumechange', 'timeupdate', 'seeked', 'ended']) video.addEventListener(name, changed);

  const events = {
    onTrouble: controls.showTrouble,
    onLevels: controls.setLevels,
    onLevel(index: number, isAuto: boolean) {
      level = index;
      auto = isAuto;
      controls.setLevel(index, isAuto);
      changed();
    },
    onError: options.onError,
  };
  // Starting can fail on a weak connection (the master playlist, hls.js's chunk): say so and try again.
  // A browser may remember a failed chunk until the page is reloaded; the notice then stays up.
  const start = (attempt: number): void => {
    startEngine(video, options.url, options.live, events, options.premiere !== undefined).then(
      (e) => {
        if (destroyed) return e.destroy();
        engine = e;
        controls.showTrouble(false);
        play();
      },
      (err: unknown) => {
        options.onError('PLAYER_LOAD_FAILED', String(err));
        controls.showTrouble(true);
        if (!destroyed) setTimeout(() => start(attempt + 1), Math.min(1000 * 2 ** attempt, 8000));
      },
    );
  };
  const premiere = options.live ? options.premiere : undefined;
  const starting = setTimeout(() => start(0), premiere ? untilOnClock(premiere.startedAt, premiere.now) : 0);
  const stopClock = premiere ? keepToClock(video, () => engine?.playingDate() ?? null, premiere.now) : () => {};

  const el = h('div', { class: 'player' }, h('div', { class: 'screen' }, video, controls.overlay), controls.bar);
  return {
    el,
    video,
    play,
    pause: () => video.pause(),
    unmute() {
      video.muted = false;
      play();
    },
    backToLive,
    chooseLevel: (index) => engine?.chooseLevel(index),
    state,
    destroy() {
      destroyed = true;
      clearTimeout(starting);
      stopClock();
      engine?.destroy();
      video.removeEventListener('timeupdate', changed);
    },
  };
}
