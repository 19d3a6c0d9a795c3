// The clip a premiere plays, chosen among the channel's published clips (only those can premiere).
import type { Clip } from '../../server/contracts/clips.ts';
import { api } from '../lib/api.ts';
import { h, replace } from '../lib/dom.ts';
import { t } from '../lib/i18n.ts';
import { field } from '../lib/ui.ts';

export interface PremiereClipPicker {
  el: HTMLElement;
  /** Lists the published clips of `channelId`, keeping the choice when it is among them. */
  load(channelId: string): Promise<void>;
}

const minutes = (seconds: number | null) => (seconds === null ? '' : ` · ${Math.floor(seconds / 60)}:${String(Math.round(seconds % 60)).padStart(2, '0')}`);

export function premiereClipPicker(selected: string | null): PremiereClipPicker {
  const select = h('select', { name: 'clipId' });
  const none = h('p', { class: 'hint', hidden: true }, t('form.noPublishedClip'));
  const el = field(t('form.clip'), select, t('form.clipHint'));
  el.append(none);
  let chosen = selected;
  select.addEventListener('change', () => (chosen = select.value));
  return {
    el,
    async load(channelId) {
      const query = new URLSearchParams({ state: 'published', channelId, limit: '200' });
      const clips = await api<Clip[]>('GET', `/api/clips?${query}`);
      replace(select, ...clips.map((c) => h('option', { value: c.id, selected: c.id === chosen }, `${c.title}${minutes(c.durationSeconds)}`)));
      none.hidden = clips.length > 0;
    },
  };
}
