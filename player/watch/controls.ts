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

/** A loudspeaker drawn, not an emoji: cheap phones and WeChat's fonts show some emoji as empty boxes. */
function speakerIcon(): SVGSVGElement {
  const NS = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('class', 'sound-icon');
  svg.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS(NS, 'path');
  path.setAttribute('d', 'M3 9v6h4l5 4V5L7 9H3zm13.5 3A4.5 4.5 0 0 0 14 8v8a4.5 4.5 0 0 0 2.5-4zM14 3.2v2.1a7 7 0 0 1 0 13.4v2.1a9 9 0 0 0 0-17.6z');
  path.setAttribute('fill', 'currentColor');
  svg.append(path);
  return svg;
}

export function createControls(t: Strings, actions: ControlActions): Controls {
  const sound = h('button', { type: 'button', class: 'sound', hidden: true }, speakerIcon(), t.tapForSound);
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
