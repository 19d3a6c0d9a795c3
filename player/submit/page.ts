// The channel's submission page: a resident sends a short video with a title and a name, watches it
// upload, then sees "in review" and, on later visits from the same phone, what became of each video.
import type { SubmitBoot } from '../../server/contracts/clip-pages.ts';
import type { Clip } from '../../server/contracts/clips.ts';
import { h, mount } from '../lib/dom.ts';
import { carryLang, otherLanguageHref } from '../lib/i18n.ts';
import { feedStrings, fill, spoken, type FeedStrings } from '../feed/strings.ts';
import { stateLabel } from './states.ts';
import { readDuration, sendSubmission } from './upload.ts';

/** How often the list of this device's videos is re-read while one is still in review. */
const REFRESH_MS = 15_000;

function field(label: string, input: HTMLElement): HTMLElement {
  return h('label', { class: 'field' }, h('span', { class: 'field-label' }, label), input);
}

function mineList(t: FeedStrings, channelId: string): { el: HTMLElement; refresh(): void } {
  const list = h('ul', { class: 'mine-list' });
  const el = h('section', { class: 'mine' }, h('h2', { class: 'mine-heading' }, t.mine), list);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const draw = (clips: Clip[]) => {
    list.replaceChildren(
      ...(clips.length
        ? clips.map((c) =>
            h(
              'li',
              { class: `mine-item mine-${c.state}` },
              h('span', { class: 'mine-title' }, c.title),
              h('span', { class: 'mine-state' }, stateLabel(t, c.state)),
              c.rejectReason ? h('span', { class: 'mine-reason' }, fill(t.reason, { r: c.rejectReason })) : null,
              c.state === 'published' ? h('a', { class: 'mine-link', href: carryLang(c.links.watch, location) }, c.title) : null,
            ),
          )
        : [h('li', { class: 'mine-none' }, t.noneYet)]),
    );
  };
  const refresh = () => {
    clearTimeout(timer);
    fetch(`/api/channels/${channelId}/submissions/mine`, { cache: 'no-store', credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then((res) => (res.ok ? (res.json() as Promise<Clip[]>) : null))
      .then(
        (clips) => {
          if (!clips) return;
          draw(clips);
          if (clips.some((c) => c.state !== 'published' && c.state !== 'rejected' && c.state !== 'failed')) timer = setTimeout(refresh, REFRESH_MS);
        },
        () => (timer = setTimeout(refresh, REFRESH_MS)),
      );
  };
  return { el, refresh };
}

export function startSubmitPage(boot: SubmitBoot): void {
  const t = feedStrings(boot.lang);
  const header = h('header', { class: 'bar' }, h('span', { class: 'bar-channel' }, boot.channel?.name ?? t.brand), h('a', { class: 'bar-lang', href: otherLanguageHref(boot.lang, location) }, t.otherLanguage));
  const channel = boot.channel;
  if (!channel) {
    mount(header, h('main', { class: 'page' }, h('section', { class: 'notice' }, h('h1', { class: 'notice-title' }, t.noChannel), h('p', {}, t.noChannelNote))));
    return;
  }
  const title = h('input', { type: 'text', name: 'title', maxlength: '100', required: true, autocomplete: 'off' });
  const name = h('input', { type: 'text', name: 'displayName', maxlength: '40', required: true, autocomplete: 'name' });
  const file = h('input', { type: 'file', name: 'file', accept: 'video/*', required: true });
  const send = h('button', { type: 'submit', class: 'button send' }, t.send);
  const message = h('p', { class: 'message', role: 'alert', hidden: true });
  const bar = h('progress', { class: 'progress-bar', max: '100', value: '0' });
  const progressText = h('p', { class: 'progress-text', role: 'status' });
  const progress = h('section', { class: 'progress', hidden: true }, h('p', { class: 'progress-label' }, t.sending), bar, progressText);
  const again = h('button', { type: 'button', class: 'button again' }, t.sendAnother);
  const sent = h('section', { class: 'notice sent', role: 'status', hidden: true }, h('h2', { class: 'notice-title' }, t.sent), h('p', {}, t.sentNote), again);
  const form = h(
    'form',
    { class: 'submit-form', novalidate: true },
    field(t.videoTitle, title),
    field(t.displayName, name),
    field(t.chooseFile, file),
    message,
    send,
  );
  const mine = mineList(t, channel.id);

  const say = (text: string | null) => {
    message.textContent = text ?? '';
    message.hidden = !text;
  };
  const busy = (on: boolean) => {
    for (const el of [title, name, file, send]) el.disabled = on;
  };
  again.addEventListener('click', () => {
    form.reset();
    sent.hidden = true;
    progress.hidden = true;
    form.hidden = false;
    busy(false);
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const picked = file.files?.[0];
    say(null);
    if (!title.value.trim()) return say(t.needTitle);
    if (!name.value.trim()) return say(t.needName);
    if (!picked || !(picked.type.startsWith('video/') || picked.type === '')) return say(t.notVideo);
    busy(true);
    void readDuration(picked).then((seconds) => {
      if (seconds !== null && seconds > boot.maxSeconds + 0.5) {
        busy(false);
        return say(fill(t.tooLong, { len: spoken(t, seconds), n: Math.round(boot.maxSeconds / 60) }));
      }
      progress.hidden = false;
      bar.value = 0;
      progressText.textContent = '0%';
      sendSubmission(boot.uploadUrl, { file: picked, channelId: channel.id, title: title.value.trim(), displayName: name.value.trim() }, {
        onProgress(bytes, total, left) {
          const percent = total ? Math.floor((bytes / total) * 100) : 0;
          bar.value = percent;
          progressText.textContent = left === null || percent >= 100 ? `${percent}%` : `${percent}% · ${fill(t.timeLeft, { n: spoken(t, left) })}`;
        },
        onDone() {
          bar.value = 100;
          progressText.textContent = '100%';
          form.hidden = true;
          sent.hidden = false;
          mine.refresh();
        },
        onFailed(messages) {
          progress.hidden = true;
          busy(false);
          say(messages ? messages[boot.lang] : t.uploadFailed);
        },
      });
    });
  });

  mount(
    header,
    h(
      'main',
      { class: 'page submit-page' },
      h('h1', { class: 'title' }, t.submitTitle),
      h('p', { class: 'submit-note' }, fill(t.submitNote, { n: Math.round(boot.maxSeconds / 60) })),
      form,
      progress,
      sent,
      mine.el,
      h('a', { class: 'button back', href: carryLang(`/channels/${encodeURIComponent(channel.slug)}`, location) }, `${t.backToChannel} · ${channel.name}`),
    ),
  );
  mine.refresh();
}
