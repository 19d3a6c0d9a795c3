// The few big controls over and under the video: one "tap for sound" (sound cannot autoplay in WeChat
// or mobile browsers), "back to live" when behind the edge, the quality choice, and a reconnecting notice.
import { h } from '../lib/dom.ts';
import type { Strings } from '../lib/i18n.ts';
import type { Level } from './engine.ts';

export interface Controls {
  /** Over the video. */
  overlay: HTMLElement;
  /** Under the video. */
  bar: HTMLElement;
  showSound(show: boolean): void;
  showBehind(show: boolean): void;
  showTrouble(show: boolean): void;
  setLevels(levels: Level[]): void;
  setLevel(level: number, auto: boolean): void;
}

export interface ControlActions {
  sound(): void;
  backToLive(): void;
  chooseLevel(index: number): void;
}

export function createControls(t: Strings, actions: ControlActions): Controls {
  const sound = h('button', { type: 'button', class: 'sound', hidden: true }, h('span', { class: 'sound-icon', 'aria-hidden': 'true' }, '🔊'), t.tapForSound);
  sound.addEventListener('click', actions.sound);
  const trouble = h('p', { class: 'reconnecting', role: 'status', hidden: true }, t.reconnecting);
  const behind = h('button', { type: 'button', class: 'back-to-live', hidden: true }, h('span', { class: 'live-dot' }), t.backToLive);
  behind.addEventListener('click', actions.backToLive);

  const select = h('select', { class: 'quality-select', 'aria-label': t.quality });
  const quality = h('label', { class: 'quality', hidden: true }, h('span', { class: 'quality-label' }, t.quality), select);
  select.addEventListener('change', () => actions.chooseLevel(Number(select.value)));

  return {
    overlay: h('div', { class: 'overlay' }, trouble, sound),
    bar: h('div', { class: 'player-bar' }, behind, quality),
    showSound: (show) => (sound.hidden = !show),
    showBehind: (show) => (behind.hidden = !show),
    showTrouble: (show) => (trouble.hidden = !show),
    setLevels(levels) {
      // Tallest first, as a resident reads a list of choices; "auto" always on top.
      const options = levels.map((level, index) => ({ level, index })).sort((a, b) => b.level.height - a.level.height || b.level.bitrate - a.level.bitrate);
      select.replaceChildren(h('option', { value: '-1' }, t.qualityAuto), ...options.map((o) => h('option', { value: String(o.index) }, `${o.level.height}p`)));
      select.value = '-1';
      quality.hidden = levels.length < 2;
    },
    setLevel(level, auto) {
      if (!auto) select.value = String(level);
      else select.value = '-1';
    },
  };
}
