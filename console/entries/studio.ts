// The studio page (links.studio): the assigned host picks a camera and a microphone, checks the preview
// and the level, presses 开始直播, sees that the broadcast is live and for how long, and ends it.
import { api, ApiProblem, messageOf } from '../lib/api.ts';
import { h, replace } from '../lib/dom.ts';
import { lang, setLang, t } from '../lib/i18n.ts';
import type { Account, Broadcast } from '../lib/types.ts';
import { confirmButton, errorBox, field, stateBadge, statusLine } from '../lib/ui.ts';
import { devices, levelMeter, openCapture, stopCapture } from '../studio/capture.ts';
import { Publisher } from '../studio/publisher.ts';
import { studioQuestions } from '../studio/questions.ts';

const root = document.getElementById('app')!;
const broadcastId = decodeURIComponent(location.pathname.split('/').filter(Boolean)[1] ?? '');
const POLL_MS = 2_000;

const pad = (n: number) => String(n).padStart(2, '0');
function elapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(s / 3600);
  return `${hours ? `${hours}:` : ''}${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
}

const langSwitch = () =>
  h('button', { type: 'button', class: 'plain lang', onclick: () => (setLang(lang() === 'en' ? 'zh-CN' : 'en'), location.reload()) }, t('nav.otherLang'));

function page(title: string, ...children: (Node | null)[]): void {
  document.title = `${t('studio.title')} · ${title}`;
  replace(root, h('main', { class: 'studio' }, h('div', { class: 'page-head' }, h('h1', null, title), langSwitch()), ...children));
}

function stop(message: Node): void {
  page(t('studio.title'), message);
}

function loginNeeded(): void {
  stop(h('div', { class: 'card' }, h('p', { role: 'alert' }, t('studio.login')), h('a', { href: '/console', class: 'button primary' }, t('studio.loginLink'))));
}

function select(label: string, list: MediaDeviceInfo[], current: string | undefined, onchange: (id: string) => void): HTMLElement {
  const control = h(
    'select',
    { onchange: (event: Event) => onchange((event.target as HTMLSelectElement).value) },
    list.map((d, i) => h('option', { value: d.deviceId, selected: d.deviceId === current }, d.label || `${label} ${i + 1}`)),
  );
  return field(label, control);
}

async function studio(me: Account, b: Broadcast): Promise<void> {
  if (b.state === 'ended' || b.state === 'cancelled') return stop(errorBox(t('studio.notOpen')));
  if (me.role === 'host' && b.hostId !== me.id) return stop(errorBox(t('err.NOT_ASSIGNED_HOST')));
  // A host sending from OBS or without a camera here still reads the questions on this page.
  const noCapture = (message: string) => page(b.title, errorBox(message), studioQuestions(b.links.channel).el);
  if (!navigator.mediaDevices?.getUserMedia || typeof RTCPeerConnection === 'undefined') return noCapture(t('studio.unsupported'));
  let stream: MediaStream;
  try {
    stream = await openCapture();
  } catch {
    return noCapture(t('studio.noCamera'));
  }
  const [cameras, microphones] = await Promise.all([devices('videoinput'), devices('audioinput')]);
  const preview = h('video', { class: 'preview', muted: true, playsinline: true, autoplay: true, 'aria-label': t('studio.preview') });
  preview.muted = true;
  preview.srcObject = stream;
  const meter = levelMeter(t('studio.level'));
  meter.follow(stream);
  const status = statusLine();
  const badge = h('div', { class: 'badge-slot' }, stateBadge(b.state));
  const live = h('p', { class: 'live-status', role: 'status', 'aria-live': 'polite' });
  const controls = h('div', { class: 'studio-actions' });
  let publisher: Publisher | undefined;
  let poll: number | undefined;
  let clock: number | undefined;

  const switchTo = async (cameraId?: string, microphoneId?: string) => {
    try {
      const next = await openCapture(cameraId, microphoneId);
      await publisher?.replace(next);
      stopCapture(stream);
      stream = next;
      preview.srcObject = next;
      meter.follow(next);
    } catch (err) {
      status.error(err instanceof ApiProblem ? err : t('studio.noCamera'));
    }
  };
  const settingOf = (kind: 'video' | 'audio') => (kind === 'video' ? stream.getVideoTracks() : stream.getAudioTracks())[0]?.getSettings().deviceId;
  const selects = h(
    'div',
    { class: 'devices' },
    select(t('studio.camera'), cameras, settingOf('video'), (id) => void switchTo(id, settingOf('audio'))),
    select(t('studio.microphone'), microphones, settingOf('audio'), (id) => void switchTo(settingOf('video'), id)),
  );

  let over = false;
  // Reached from the end button and from the poll seeing `ended`, whichever comes first.
  const finished = () => {
    if (over) return;
    over = true;
    window.clearInterval(poll);
    window.clearInterval(clock);
    void publisher?.close();
    publisher = undefined;
    stopCapture(stream);
    meter.close();
    live.className = 'live-status';
    live.textContent = t('studio.ended');
    replace(controls, h('a', { href: `/console/broadcasts/${b.id}`, class: 'button' }, t('studio.back')));
  };
  const showLive = (current: Broadcast) => {
    replace(badge, stateBadge(current.state));
    if (current.state === 'ended' || current.state === 'cancelled') return finished();
    if (current.state !== 'live' || !current.startedAt || clock !== undefined) return;
    const since = Date.parse(current.startedAt);
    const tick = () => (live.textContent = `${t('studio.live')} · ${t('studio.elapsed', { time: elapsed(Date.now() - since) })}`);
    live.className = 'live-status on-air';
    tick();
    clock = window.setInterval(tick, 1000);
  };
  const watch = () => {
    poll = window.setInterval(() => {
      api<Broadcast>('GET', `/api/broadcasts/${b.id}`).then(showLive, () => {});
    }, POLL_MS);
  };
  const end = async () => {
    await publisher?.close();
    await api('POST', `/api/broadcasts/${b.id}/end`);
    finished();
  };
  const start = async (event: Event) => {
    const button = event.currentTarget as HTMLButtonElement;
    button.disabled = true;
    status.clear();
    live.textContent = t('studio.starting');
    try {
      publisher = await Publisher.start(b.id, stream, () => status.error(t('studio.dropped')));
      live.textContent = t('studio.waiting');
      replace(controls, confirmButton(t('studio.end'), t('studio.endConfirm'), t('studio.endYes'), t('studio.endNo'), end));
      watch();
    } catch (err) {
      live.textContent = '';
      status.error(err instanceof ApiProblem || !(err instanceof Error) ? err : err.message);
      button.disabled = false;
    }
  };
  replace(controls, h('button', { type: 'button', class: 'primary go-live', onclick: start }, t('studio.start')));
  page(b.title, badge, h('div', { class: 'studio-grid' }, h('div', { class: 'stage' }, preview, field(t('studio.level'), meter.el)), h('div', { class: 'side' }, selects, live, controls, status.el)), studioQuestions(b.links.channel).el);
}

async function main(): Promise<void> {
  document.documentElement.lang = lang();
  let me: Account;
  try {
    me = await api<Account>('GET', '/api/auth/me');
  } catch {
    return loginNeeded();
  }
  try {
    await studio(me, await api<Broadcast>('GET', `/api/broadcasts/${encodeURIComponent(broadcastId)}`));
  } catch (err) {
    if (err instanceof ApiProblem && err.code === 'UNAUTHENTICATED') return loginNeeded();
    stop(errorBox(messageOf(err)));
  }
}

void main();
