// What staff hand out for a broadcast: links with a copy button, the poster in two sizes, and the
// stream key the host's encoder needs (hidden until asked for).
import { api } from '../lib/api.ts';
import { h } from '../lib/dom.ts';
import { t, type Key } from '../lib/i18n.ts';
import type { Broadcast } from '../lib/types.ts';
import { statusLine } from '../lib/ui.ts';

async function copyText(text: string, input: HTMLInputElement): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Older WebViews and non-secure origins have no async clipboard.
    input.select();
    try {
      return document.execCommand('copy');
    } catch {
      return false;
    }
  }
}

export function copyRow(label: string, value: string, name: string, open = true): HTMLElement {
  const input: HTMLInputElement = h('input', { readonly: true, value, class: 'link-value', name, 'aria-label': label, onfocus: (): void => input.select() });
  const done = h('span', { class: 'copied', role: 'status', 'aria-live': 'polite' });
  const copy = async () => {
    done.textContent = (await copyText(input.value, input)) ? t('copy.done') : t('copy.failed');
  };
  return h(
    'div',
    { class: 'link-row', 'data-link': name },
    h('span', { class: 'label' }, label),
    input,
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'button', onclick: copy }, t('copy.button')),
      open ? h('a', { href: value, class: 'button plain', target: '_blank', rel: 'noopener' }, t('link.open')) : null,
      done,
    ),
  );
}

const LINKS: [keyof Broadcast['links'], Key][] = [
  ['countdown', 'link.countdown'],
  ['watch', 'link.watch'],
  ['embed', 'link.embed'],
  ['ics', 'link.ics'],
  ['poster', 'link.poster'],
];

export function linksSection(b: Broadcast): HTMLElement {
  return h('section', { class: 'card' }, h('h2', null, t('broadcast.links')), LINKS.map(([name, label]) => copyRow(t(label), b.links[name], name)));
}

export function posterSection(b: Broadcast): HTMLElement {
  const url = (format: 'phone' | 'a4') => `${b.links.poster}?format=${format}`;
  return h(
    'section',
    { class: 'card poster' },
    h('h2', null, t('poster.title')),
    h('img', { src: url('phone'), alt: t('poster.title'), loading: 'lazy', class: 'poster-thumb' }),
    h(
      'div',
      { class: 'actions' },
      h('a', { href: url('phone'), download: `poster-${b.id}-phone.png`, class: 'button' }, t('poster.phone')),
      h('a', { href: url('a4'), download: `poster-${b.id}-a4.png`, class: 'button' }, t('poster.a4')),
    ),
  );
}

/** Only staff the API trusts with the key receive it; whether they may rotate it is the API's call too. */
export function streamKeySection(b: Broadcast): HTMLElement | null {
  if (b.streamKey === undefined) return null;
  const row = copyRow(t('key.title'), b.streamKey, 'streamKey', false);
  const input = row.querySelector('input')!;
  input.type = 'password';
  const status = statusLine();
  const toggle = h('button', {
    type: 'button',
    onclick: () => {
      input.type = input.type === 'password' ? 'text' : 'password';
      toggle.textContent = input.type === 'password' ? t('key.show') : t('key.hide');
    },
  }, t('key.show'));
  row.querySelector('.actions')!.prepend(toggle);
  const rotate = async () => {
    try {
      const reply = await api<{ streamKey?: string }>('POST', `/api/broadcasts/${b.id}/stream-key`);
      if (reply.streamKey) input.value = reply.streamKey;
      status.ok(t('key.rotated'));
    } catch (err) {
      status.error(err);
    }
  };
  return h(
    'section',
    { class: 'card stream-key' },
    h('h2', null, t('key.title')),
    h('p', { class: 'hint' }, t('key.hint')),
    row,
    h('button', { type: 'button', class: 'plain', onclick: rotate }, t('key.rotate')),
    status.el,
  );
}
