// The upload card of /console/clips: a form (channel, title, file), then a big progress bar with MB
// sent, speed and time left, 暂停 / 继续, and the server's reason when it refuses the file. The upload
// belongs to console/clips/upload.ts, not to this card: a redraw (language switch, navigation) finds it
// running and shows it again.
import { h, replace, valueOf } from '../lib/dom.ts';
import { t } from '../lib/i18n.ts';
import { channelSelect } from '../lib/form.ts';
import type { Channel } from '../lib/types.ts';
import { field, statusLine } from '../lib/ui.ts';
import { UPLOAD_METADATA } from '../../server/contracts/clips.ts';
import { duration, refusalText } from '../clips/format.ts';
import { megabytes, percent } from '../clips/progress.ts';
import { abandonUpload, ClipUpload, currentUpload, dismissUpload, previousUploadOf, unfinishedUploads, type UploadSnapshot } from '../clips/upload.ts';

export function uploadCard(channels: Channel[], onUploaded: () => void): HTMLElement {
  const card = h('section', { class: 'card upload-card' });
  const showForm = () => replace(card, uploadForm(channels, (upload) => follow(upload)));
  const another = () => (dismissUpload(), showForm());
  const follow = (upload: ClipUpload) => replace(card, progressPanel(upload, another, onUploaded));
  const running = currentUpload();
  if (running) follow(running);
  else showForm();
  return card;
}

function uploadForm(channels: Channel[], started: (upload: ClipUpload) => void): HTMLElement {
  const status = statusLine();
  const channel = channelSelect(channels);
  const title = h('input', { name: 'title', required: true, maxlength: 100 });
  const file = h('input', { type: 'file', name: 'file', accept: 'video/*', required: true });
  const sameFile = h('small', { class: 'hint', role: 'status' });
  const unfinished = h('div', { class: 'unfinished' });
  const form = h(
    'form',
    { class: 'form', novalidate: true },
    h('h2', null, t('clips.upload')),
    unfinished,
    field(t('form.channel'), channel),
    field(t('clips.file'), file, t('clips.fileHint')),
    sameFile,
    field(t('form.title'), title),
    status.el,
    h('button', { type: 'submit', class: 'primary big' }, t('clips.start')),
  );
  file.addEventListener('change', async () => {
    sameFile.textContent = '';
    const picked = file.files?.[0];
    if (!picked) return;
    if (!title.value.trim()) title.value = picked.name.replace(/\.[^.]+$/, '');
    // The same file as an upload cut short earlier: its channel and title, so it goes on from there.
    const previous = await previousUploadOf(picked);
    if (!previous) return;
    channel.value = previous.metadata[UPLOAD_METADATA.channelId] ?? channel.value;
    title.value = previous.metadata[UPLOAD_METADATA.title] ?? title.value;
    sameFile.textContent = t('clips.sameFile');
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    status.clear();
    const picked = file.files?.[0];
    if (!picked) return status.error(t('clips.pickFile'));
    if (!valueOf(form, 'title')) return status.error(t('clips.needTitle'));
    started(await ClipUpload.start({ file: picked, channelId: valueOf(form, 'channelId'), title: valueOf(form, 'title') }));
  });
  void showUnfinished(unfinished);
  return form;
}

/** After a reload: the uploads that did not finish, to pick their file again (or give them up). */
async function showUnfinished(box: HTMLElement): Promise<void> {
  const list = await unfinishedUploads();
  replace(
    box,
    list.map((previous) => {
      const row: HTMLElement = h(
        'p',
        { class: 'status unfinished-row' },
        t('clips.unfinished', { title: previous.metadata[UPLOAD_METADATA.title] ?? '', filename: previous.metadata[UPLOAD_METADATA.filename] ?? '', mb: megabytes(previous.size ?? 0) }),
        ' ',
        h('button', { type: 'button', class: 'plain', onclick: async (): Promise<void> => (await abandonUpload(previous), row.remove()) }, t('clips.abandon')),
      );
      return row;
    }),
  );
}

function progressPanel(upload: ClipUpload, another: () => void, onUploaded: () => void): HTMLElement {
  const bar = h('progress', { class: 'big-progress', max: 100, value: 0, 'aria-label': t('clips.uploadProgress') });
  const figure = h('strong', { class: 'upload-percent' });
  const numbers = h('p', { class: 'upload-numbers' });
  const note = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
  const pause = h('button', { type: 'button', class: 'big', onclick: () => upload.pause() }, t('clips.pause'));
  const resume = h('button', { type: 'button', class: 'primary big', onclick: () => upload.resume() }, t('clips.resume'));
  const next = h('button', { type: 'button', class: 'primary big', onclick: another }, t('clips.another'));
  const giveUp = h('button', { type: 'button', class: 'plain big', onclick: async () => (await upload.abandon(), another()) }, t('clips.abandon'));
  const panel = h(
    'div',
    { class: 'upload-panel' },
    h('h2', null, t('clips.uploading', { title: upload.snapshot.title })),
    h('p', { class: 'muted' }, upload.snapshot.filename),
    h('div', { class: 'progress-row' }, bar, figure),
    numbers,
    note,
    h('div', { class: 'actions' }, pause, resume, next, giveUp),
  );
  let drawn = false;
  let announced = false;
  const off = upload.subscribe((s) => {
    if (drawn && !panel.isConnected) return off();
    drawn = true;
    draw(s);
    if (s.phase === 'done' && !announced) {
      announced = true;
      onUploaded();
    }
  });
  function draw(s: UploadSnapshot): void {
    const p = percent(s.bytesSent, s.bytesTotal);
    panel.dataset.phase = s.phase;
    if (s.clipId) panel.dataset.clipId = s.clipId;
    panel.dataset.resumed = String(s.resumed);
    panel.dataset.percent = String(p);
    bar.value = p;
    figure.textContent = `${p}%`;
    numbers.textContent = [
      t('clips.progress', { sent: megabytes(s.bytesSent), total: megabytes(s.bytesTotal) }),
      s.phase === 'uploading' && s.speed !== null ? t('clips.speed', { mb: megabytes(s.speed) }) : null,
      s.phase === 'uploading' && s.secondsLeft !== null ? t('clips.left', { time: duration(s.secondsLeft) }) : null,
    ].filter(Boolean).join(' · ');
    note.className = `status${s.phase === 'refused' || s.phase === 'stopped' ? ' error' : s.phase === 'done' ? ' ok' : ''}`;
    note.textContent = noteOf(s);
    pause.hidden = s.phase !== 'uploading';
    resume.hidden = s.phase !== 'paused' && s.phase !== 'stopped';
    next.hidden = s.phase !== 'done' && s.phase !== 'refused';
    giveUp.hidden = resume.hidden;
  }
  return panel;
}

function noteOf(s: UploadSnapshot): string {
  switch (s.phase) {
    case 'uploading':
      return s.resumed ? t('clips.resumed') : '';
    case 'paused':
      return t('clips.paused');
    case 'checking':
      return t('clips.checking');
    case 'done':
      return t('clips.done');
    case 'refused':
      return t('clips.refused', { reason: s.refusal ? refusalText(s.refusal) : '' });
    case 'stopped':
      return t('clips.stopped', { reason: s.problem ? refusalText(s.problem) : '' });
  }
}
