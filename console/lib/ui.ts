// Building blocks every view shares: headings, labelled fields, badges, messages, two-step confirms.
import { h, replace, type Child } from './dom.ts';
import { t } from './i18n.ts';
import { messageOf } from './api.ts';
import type { Broadcast } from './types.ts';

export const heading = (title: string, ...actions: Child[]) =>
  h('div', { class: 'page-head' }, h('h1', null, title), actions.length ? h('div', { class: 'actions' }, ...actions) : null);

export const linkButton = (href: string, label: string, kind: 'primary' | 'plain' = 'plain') => h('a', { href, class: `button ${kind}` }, label);

export function field(label: string, control: HTMLElement, hint?: string): HTMLElement {
  const id = control.id || `f-${Math.random().toString(36).slice(2, 9)}`;
  control.id = id;
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, hint ? h('small', { class: 'hint' }, hint) : null);
}

export const stateBadge = (state: Broadcast['state']) => h('span', { class: `badge state-${state}` }, t(`state.${state}`));

/** Shown once every rendition of an ended broadcast is closed: the whole broadcast plays from the start. */
export const replayBadge = (b: Broadcast) => (b.replay.ready ? h('span', { class: 'badge replay-ready' }, t('broadcast.replayReady')) : null);

export interface StatusLine {
  el: HTMLElement;
  error(err: unknown): void;
  ok(text: string): void;
  clear(): void;
}

/** A region that shows the outcome of the last action; screen readers announce it. */
export function statusLine(): StatusLine {
  const el = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
  return {
    el,
    error: (err) => {
      el.className = 'status error';
      el.setAttribute('role', 'alert');
      el.textContent = typeof err === 'string' ? err : messageOf(err);
    },
    ok: (text) => {
      el.className = 'status ok';
      el.setAttribute('role', 'status');
      el.textContent = text;
    },
    clear: () => {
      el.className = 'status';
      el.textContent = '';
    },
  };
}

export const errorBox = (message: string) => h('p', { class: 'status error', role: 'alert' }, message);

/**
 * A destructive action asked twice, inline: window.confirm is unreliable inside WeChat's browser and
 * hides the question from screen magnifiers.
 */
export function confirmButton(label: string, question: string, yes: string, no: string, action: () => Promise<void>): HTMLElement {
  const box = h('div', { class: 'confirm' });
  const ask = () =>
    replace(
      box,
      h('p', null, question),
      h('div', { class: 'actions' }, h('button', { type: 'button', class: 'danger', onclick: run }, yes), h('button', { type: 'button', onclick: reset }, no)),
    );
  const reset = () => replace(box, h('button', { type: 'button', class: 'danger', onclick: ask }, label));
  async function run(event: Event) {
    (event.currentTarget as HTMLButtonElement).disabled = true;
    try {
      await action();
    } catch (err) {
      reset();
      box.append(errorBox(messageOf(err)));
    }
  }
  reset();
  return box;
}

/**
 * Runs `work` when the form is submitted, with its buttons disabled meanwhile (a double tap does not
 * submit twice); a failure is shown in `status`, then `failed` runs.
 */
export function onSubmit(form: HTMLFormElement, status: StatusLine, work: (submitter: HTMLButtonElement | null) => Promise<void>, failed?: () => void): void {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    status.clear();
    const buttons = [...form.querySelectorAll('button')];
    for (const b of buttons) b.disabled = true;
    try {
      await work((event as SubmitEvent).submitter as HTMLButtonElement | null);
    } catch (err) {
      status.error(err);
      failed?.();
    } finally {
      for (const b of buttons) b.disabled = false;
    }
  });
}
