// Form controls shared by the broadcast and series forms.
import { api, upload, messageOf } from './api.ts';
import { h, replace } from './dom.ts';
import { t } from './i18n.ts';
import type { Account, Broadcast, Channel, Image } from './types.ts';
import { heading, linkButton } from './ui.ts';

type Option = readonly [value: string, label: string];

export const select = (name: string, options: readonly Option[], selected: string | null | undefined, attrs: Record<string, string | boolean> = {}) =>
  h('select', { name, ...attrs }, options.map(([value, label]) => h('option', { value, selected: value === (selected ?? '') }, label)));

export const channelSelect = (channels: Channel[], selected?: string, disabled = false) =>
  select('channelId', channels.map((c) => [c.id, c.name] as const), selected ?? channels[0]?.id, { required: true, disabled });

export const hostSelect = (hosts: Account[], selected?: string | null) =>
  select('hostId', [['', t('form.noHost')] as const, ...hosts.map((a) => [a.id, a.displayName] as const)], selected ?? '');

const KINDS: Broadcast['kind'][] = ['lecture', 'gala', 'event'];
export const kindSelect = (selected: Broadcast['kind']) => select('kind', KINDS.map((k) => [k, t(`kind.${k}`)] as const), selected);

export const visibilitySelect = (selected: Broadcast['visibility']) =>
  select('visibility', (['public', 'unlisted'] as const).map((v) => [v, t(`visibility.${v}`)] as const), selected);

export const loadChannels = () => api<Channel[]>('GET', '/api/channels');

/** What a schedule form shows before the first channel exists: the way to create one. */
export const noChannelView = (title: string) =>
  h('section', null, heading(title), h('p', null, t('form.noChannel')), linkButton('/console/channels', t('channels.new'), 'primary'));

/** Accounts a broadcast can be assigned to: enabled hosts. */
export const loadHosts = async () => (await api<Account[]>('GET', '/api/accounts')).filter((a) => a.role === 'host' && !a.disabled);

export interface CoverPicker {
  el: HTMLElement;
  /** The uploaded image's id (null: no cover); waits for an upload still running. */
  value(): Promise<string | null>;
}

/** Pick a cover, see it at once, upload it in the background. */
export function coverPicker(currentId: string | null, currentUrl: string | null): CoverPicker {
  let id = currentId;
  let pending: Promise<void> = Promise.resolve();
  const preview = h('div', { class: 'cover-preview' });
  const note = h('small', { class: 'hint', role: 'status' });
  const input = h('input', { type: 'file', accept: 'image/*', name: 'cover' });
  const show = (url: string | null): void =>
    replace(
      preview,
      url ? [h('img', { src: url, alt: t('form.cover') }), h('button', { type: 'button', class: 'plain', onclick: (): void => ((id = null), (input.value = ''), show(null)) }, t('form.coverRemove'))] : null,
    );
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    if (!file) return;
    show(URL.createObjectURL(file));
    note.textContent = t('form.coverUploading');
    pending = upload<Image>('/api/images', file).then(
      (image) => {
        id = image.id;
        note.textContent = '';
      },
      (err) => {
        id = currentId;
        show(currentUrl);
        note.textContent = messageOf(err);
      },
    );
  });
  show(currentUrl);
  const label = h('label', { class: 'field' }, h('span', { class: 'label' }, t('form.cover')), input);
  return { el: h('div', { class: 'cover' }, label, preview, note), value: async () => {
      await pending;
      return id;
    },
  };
}
