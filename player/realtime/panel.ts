// The watch page's live panel: how many are watching, a big like button, the questions (ask, "me
// too") and, when the broadcast has it on, the chat. Everything a resident or a server sends is put on
// the page as text (h() appends strings as text nodes), never parsed as HTML.
import type { Broadcast } from '../../server/contracts/broadcasts.ts';
import { fetchBroadcast } from '../lib/api.ts';
import { h } from '../lib/dom.ts';
import type { Strings } from '../lib/i18n.ts';
import { ChannelClient, sortedQuestions, type ChannelError, type ChannelView, type Change, type Question } from './client.ts';

const NAME_KEY = 'linbo.name';
/** Taps are sent at most this often, each frame carrying the taps since the last (the protocol caps a frame at 50). */
const LIKE_EVERY_MS = 300;
const LIKE_MAX = 50;
/** After the end, how often and how long to look for the closed replay (the page's own poll is slower). */
const REPLAY_EVERY_MS = 1000;
const REPLAY_TRIES = 30;

export interface PanelOptions {
  /** `links.channel`. */
  url: string;
  t: Strings;
  /** The state the page shows now. */
  state: Broadcast['state'];
  /** The broadcast's state changed on the channel: the player switches at once (live → play, ended → replay). */
  onState?(state: Broadcast['state']): void;
}

const fill = (template: string, n: number) => template.replace('{n}', String(n));

function remembered(): string {
  try {
    return localStorage.getItem(NAME_KEY) ?? '';
  } catch {
    return '';
  }
}

function remember(name: string): void {
  try {
    localStorage.setItem(NAME_KEY, name);
  } catch {
    // kept for this page only
  }
}

/** Fills `slot` with the panel and connects; returns the client (closing it stops everything). */
export function mountRealtimePanel(slot: HTMLElement, options: PanelOptions): ChannelClient {
  const t = options.t;
  const name = remembered();
  const client = new ChannelClient({ url: options.url, name });

  const now = h('strong', { class: 'rt-now' });
  const peak = h('span', { class: 'rt-peak' });
  const total = h('span', { class: 'rt-total' });
  const likeTotal = h('span', { class: 'rt-like-total', 'aria-live': 'off' });
  const likeButton = h('button', { type: 'button', class: 'rt-like' }, h('span', { class: 'rt-heart', 'aria-hidden': 'true' }, '❤'), t.rtLike);
  const notice = h('p', { class: 'rt-notice', role: 'alert', hidden: true });
  const questionList = h('ol', { class: 'rt-questions' });
  const nameInput = h('input', { type: 'text', name: 'name', maxlength: '20', autocomplete: 'nickname', id: 'rt-name' });
  nameInput.value = name;
  const questionInput = h('textarea', { name: 'question', maxlength: '300', rows: '2', required: true, id: 'rt-question' });
  const askForm = h(
    'form',
    { class: 'rt-form rt-ask' },
    h('label', { for: 'rt-name' }, t.rtName),
    nameInput,
    h('label', { for: 'rt-question' }, t.rtQuestion),
    questionInput,
    h('button', { type: 'submit', class: 'rt-submit' }, t.rtAsk),
  );
  const chatList = h('ol', { class: 'rt-chat-list' });
  const chatInput = h('input', { type: 'text', name: 'chat', maxlength: '200', required: true, id: 'rt-chat', 'aria-label': t.rtChatText, placeholder: t.rtChatText });
  const chatForm = h('form', { class: 'rt-form rt-chat-form' }, chatInput, h('button', { type: 'submit', class: 'rt-submit' }, t.rtSend));
  const slowMode = h('p', { class: 'rt-slow', hidden: true });
  const chat = h('section', { class: 'rt-chat', hidden: true }, h('h2', {}, t.rtChat), chatList, slowMode, chatForm);
  slot.replaceChildren(
    h(
      'div',
      { class: 'rt' },
      h('p', { class: 'rt-counts', role: 'status' }, now, peak, total),
      h('div', { class: 'rt-like-row' }, likeButton, likeTotal),
      notice,
      h('section', { class: 'rt-qa' }, h('h2', {}, t.rtQuestions), questionList, askForm),
      chat,
    ),
  );

  const say = (text: string) => {
    notice.textContent = text;
    notice.hidden = false;
  };
  /** A new attempt: the last refusal no longer applies (a ban does, and is said again on the next change). */
  const quiet = () => {
    if (!client.view.banned) notice.hidden = true;
  };

  // Likes: counted at once on screen, sent in batches.
  let unsent = 0;
  let shownLikes = 0;
  let likeTimer: ReturnType<typeof setTimeout> | undefined;
  const showLikes = (view: ChannelView) => {
    shownLikes = Math.max(shownLikes, view.likes + unsent);
    likeTotal.textContent = fill(t.rtLikes, shownLikes);
  };
  const flushLikes = () => {
    likeTimer = undefined;
    if (unsent === 0) return;
    const count = Math.min(unsent, LIKE_MAX);
    unsent -= count;
    client.send({ type: 'like', count });
    if (unsent > 0) likeTimer = setTimeout(flushLikes, LIKE_EVERY_MS);
  };
  likeButton.addEventListener('click', () => {
    unsent += 1;
    showLikes(client.view);
    const heart = h('span', { class: 'rt-float', 'aria-hidden': 'true' }, '❤');
    heart.addEventListener('animationend', () => heart.remove());
    likeButton.append(heart);
    likeTimer ??= setTimeout(flushLikes, LIKE_EVERY_MS);
  });

  let lastAsked = '';
  askForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = questionInput.value.trim();
    if (!text) return;
    const who = nameInput.value.trim().slice(0, 20);
    remember(who);
    client.setName(who);
    quiet();
    client.send({ type: 'question.ask', text });
    lastAsked = text;
    questionInput.value = '';
  });
  chatForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = chatInput.value.trim();
    if (!text) return;
    quiet();
    client.send({ type: 'chat.send', text });
    chatInput.value = '';
  });


  client.onError((error: ChannelError) => {
    if (error.ref === 'question.ask' && !questionInput.value) questionInput.value = lastAsked;
    const key = `rtErr${error.code}` as keyof Strings;
    const seconds = Math.ceil((error.retryAfterMs ?? 0) / 1000);
    say(error.code === 'BANNED' ? t.rtBanned : fill(key in t ? t[key] : t.rtErrOTHER, seconds));
  });

  const questionItem = (q: Question, view: ChannelView) => {
    const done = view.upvoted.has(q.id);
    const upvote = h('button', { type: 'button', class: 'rt-upvote', disabled: done || q.state === 'pending' }, `${done ? t.rtUpvoted : t.rtUpvote} ${q.upvotes}`);
    upvote.addEventListener('click', () => client.upvote(q.id));
    return h(
      'li',
      { class: `rt-question rt-${q.state}${q.pinned ? ' rt-is-pinned' : ''}`, 'data-id': q.id },
      h(
        'p',
        { class: 'rt-meta' },
        q.pinned ? h('span', { class: 'rt-badge rt-badge-pinned' }, t.rtPinned) : null,
        q.state === 'answered' ? h('span', { class: 'rt-badge rt-badge-answered' }, t.rtAnswered) : null,
        q.state === 'pending' ? h('span', { class: 'rt-badge rt-badge-review' }, t.rtInReview) : null,
        h('span', { class: 'rt-author' }, q.author.name || t.rtResident),
      ),
      h('p', { class: 'rt-text' }, q.text),
      upvote,
    );
  };

  let lastState = options.state;
  const root = slot.firstElementChild as HTMLElement;
  /** Whether this resident may ask and chat, and what the notice line says about it. */
  const renderAccess = (view: ChannelView) => {
    const over = view.state === 'ended' || view.state === 'cancelled';
    askForm.hidden = over || view.banned;
    chatForm.hidden = over || view.banned;
    if (view.banned) say(t.rtBanned);
    else if (!root.dataset.ready) say(t.rtConnecting);
    else if (notice.textContent === t.rtConnecting) notice.hidden = true;
  };
  const render = (view: ChannelView, change: Change) => {
    // Counts and lists mean something once the first snapshot came; a test reads this too.
    if (change.type === 'snapshot') root.dataset.ready = 'true';
    if (change.type === 'error') return;
    if (!root.dataset.ready) return renderAccess(view);
    if (change.type === 'chat.message' || change.type === 'chat.hidden') return renderChat(view);
    // From a `state` event, or a snapshot after a reconnect that missed it.
    if (view.state && view.state !== lastState) {
      lastState = view.state;
      options.onState?.(view.state);
    }
    now.textContent = fill(t.rtViewersNow, view.viewers.now);
    peak.textContent = fill(t.rtPeak, view.viewers.peak);
    total.textContent = fill(t.rtTotal, view.viewers.total);
    showLikes(view);
    if (change.type === 'viewers' || change.type === 'likes') return;
    renderAccess(view);
    chat.hidden = !view.settings.chat;
    slowMode.hidden = view.settings.slowModeSeconds === 0;
    slowMode.textContent = fill(t.rtSlowMode, view.settings.slowModeSeconds);
    // Staff who open the watch page are moderators on its socket: they still see it as residents do.
    const questions = sortedQuestions(view.questions.values()).filter((q) => q.state === 'open' || q.state === 'answered' || (q.state === 'pending' && q.author.id === view.viewerId));
    questionList.replaceChildren(...(questions.length ? questions.map((q) => questionItem(q, view)) : [h('li', { class: 'rt-empty' }, t.rtNoQuestions)]));
    renderChat(view);
  };
  const renderChat = (view: ChannelView) => {
    if (!view.settings.chat) return;
    chatList.replaceChildren(...view.chat.map((m) => h('li', {}, h('span', { class: 'rt-author' }, m.author.name || t.rtResident), h('span', { class: 'rt-text' }, m.text))));
  };
  client.subscribe(render);
  return client;
}

/** What the watch page offers the panel (player/watch/page.ts). */
export interface WatchSlot {
  broadcast(): Broadcast;
  /** A newer view of the broadcast: the player switches (live → play, ended → replay). */
  onBroadcast(next: Broadcast): void;
  realtime: HTMLElement;
}

/** The panel under the watch page's player; a state change on the channel reloads the broadcast at once. */
export function mountWatchRealtime(page: WatchSlot, t: Strings): ChannelClient | null {
  const b = page.broadcast();
  if (b.state === 'cancelled' || b.state === 'draft') return null;
  let tries = 0;
  // The event names the state only; the page needs the whole broadcast (its version, the replay). The
  // replay is closed a moment after the end, so an ended broadcast is asked for again until it is.
  const reload = (): void =>
    void fetchBroadcast(b.id).then(
      (next) => {
        page.onBroadcast(next);
        if (next.state === 'ended' && next.startedAt && !next.replay.ready && ++tries < REPLAY_TRIES) setTimeout(reload, REPLAY_EVERY_MS);
      },
      () => {},
    );
  return mountRealtimePanel(page.realtime, { url: b.links.channel, t, state: b.state, onState: reload });
}
