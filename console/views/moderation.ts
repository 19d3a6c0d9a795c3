// Moderation for editors and admins: pick a live or scheduled broadcast, then, on its realtime
// channel, approve or hide questions, restore hidden ones, hide chat, ban and unban viewers and set
// chat, slow mode and pre-review; below, the site-wide word list (REST). Residents' text is set as text.
import type { WordList } from '../../server/contracts/moderation.ts';
import { sortedQuestions, type Author, type Question } from '../../player/realtime/client.ts';
import { api, query } from '../lib/api.ts';
import { boot } from '../lib/boot.ts';
import { h, replace } from '../lib/dom.ts';
import { t } from '../lib/i18n.ts';
import type { ViewContext } from '../lib/router.ts';
import { fromWall, today } from '../lib/time.ts';
import type { Broadcast } from '../lib/types.ts';
import { field, heading, linkButton, onSubmit, stateBadge, statusLine } from '../lib/ui.ts';
import { actionButton, countsLine, staffChannel, type ChannelClient, type ChannelView } from '../realtime/channel.ts';
import { emptyRow, questionRow } from '../realtime/question-row.ts';
import { broadcastItem } from './broadcast-item.ts';

/** /console/moderation: the broadcasts worth moderating now. */
export async function moderationListView(): Promise<Node> {
  const from = fromWall(today(boot.timezone), '00:00', boot.timezone);
  const list = (await api<Broadcast[]>('GET', `/api/broadcasts${query({ from, limit: 200 })}`)).filter((b) => b.state === 'live' || b.state === 'scheduled');
  // Live first: that is where residents are asking now.
  list.sort((a, b) => Number(b.state === 'live') - Number(a.state === 'live'));
  return h(
    'section',
    { class: 'moderation-list' },
    heading(t('mod.title')),
    h('p', null, t('mod.pick')),
    list.length
      ? h('div', { class: 'items' }, list.map(pickItem))
      : h('p', { class: 'muted' }, t('mod.noBroadcasts')),
    wordsSection(),
  );
}

/** The broadcast's card, leading to its moderation instead of its page. */
function pickItem(b: Broadcast): HTMLElement {
  const item = broadcastItem(b);
  item.setAttribute('href', `/console/moderation/${b.id}`);
  return item;
}

/** /console/moderation/:id */
export async function moderationView(ctx: ViewContext): Promise<Node> {
  const b = await api<Broadcast>('GET', `/api/broadcasts/${encodeURIComponent(ctx.params.id)}`);
  const counts = h('p', { class: 'rt-counts', role: 'status' }, t('rt.connecting'));
  const status = statusLine();
  const settings = h('div', { class: 'card mod-settings' });
  const pending = h('ol', { class: 'rt-list mod-pending' });
  const published = h('ol', { class: 'rt-list mod-published' });
  const hidden = h('ol', { class: 'rt-list mod-hidden' });
  const chat = h('ol', { class: 'rt-list mod-chat' });
  const bans = h('ol', { class: 'rt-list mod-bans' });
  const root = h(
    'section',
    { class: 'moderation' },
    heading(b.title, stateBadge(b.state), linkButton('/console/moderation', t('mod.back'))),
    counts,
    status.el,
    h('h2', null, t('mod.settings')),
    settings,
    h('h2', null, t('rt.pending')),
    pending,
    h('h2', null, t('rt.queue')),
    published,
    h('h2', null, t('rt.hiddenList')),
    hidden,
    h('h2', null, t('mod.chatList')),
    chat,
    h('h2', null, t('mod.bans')),
    bans,
    wordsSection(),
  );

  let client: ChannelClient;
  let settingsDrawn = '';
  const send = (message: Parameters<ChannelClient['send']>[0]) => {
    status.clear();
    client.send(message);
  };
  const ban = (author: Author) => actionButton(`${t('rt.ban')} ${author.name || t('rt.resident')}`, () => send({ type: 'viewer.ban', viewerId: author.id }), 'danger');
  const row = (q: Question) => {
    const hide = actionButton(t('rt.hide'), () => send({ type: 'question.hide', questionId: q.id }));
    if (q.state === 'pending') return questionRow(q, actionButton(t('rt.approve'), () => send({ type: 'question.approve', questionId: q.id }), 'primary'), hide, ban(q.author));
    if (q.state === 'hidden') return questionRow(q, actionButton(t('rt.restore'), () => send({ type: 'question.approve', questionId: q.id })), ban(q.author));
    return questionRow(q, hide, ban(q.author));
  };
  const list = (el: HTMLElement, items: HTMLElement[]) => replace(el, items.length ? items : emptyRow());

  const drawSettings = (view: ChannelView) => {
    // Redrawn only when the settings change, so a box being typed into keeps its value and focus.
    const key = JSON.stringify(view.settings);
    if (key === settingsDrawn) return;
    settingsDrawn = key;
    // What the channel last said, for a reader (and a test) to tell from what was merely clicked.
    settings.dataset.chat = String(view.settings.chat);
    settings.dataset.preReview = String(view.settings.preReview);
    settings.dataset.slowMode = String(view.settings.slowModeSeconds);
    const chatBox = h('input', { type: 'checkbox', name: 'chat', checked: view.settings.chat });
    chatBox.addEventListener('change', () => send({ type: 'settings.update', chat: chatBox.checked }));
    const review = h('input', { type: 'checkbox', name: 'preReview', checked: view.settings.preReview });
    review.addEventListener('change', () => send({ type: 'settings.update', preReview: review.checked }));
    const slow = h('input', { type: 'number', name: 'slowMode', min: 0, max: 600, step: 1, inputmode: 'numeric', value: String(view.settings.slowModeSeconds) });
    slow.addEventListener('change', () => {
      const seconds = Math.round(Number(slow.value));
      if (Number.isFinite(seconds) && seconds >= 0 && seconds <= 600) send({ type: 'settings.update', slowModeSeconds: seconds });
    });
    replace(
      settings,
      h('label', { class: 'check' }, chatBox, ' ', t('mod.chat')),
      h('label', { class: 'check' }, review, ' ', t('mod.preReview')),
      field(t('mod.slowMode'), slow),
    );
  };

  const draw = (view: ChannelView) => {
    if (view.viewerId) counts.textContent = countsLine(view);
    drawSettings(view);
    const all = sortedQuestions(view.questions.values());
    list(pending, all.filter((q) => q.state === 'pending').map(row));
    list(published, all.filter((q) => q.state === 'open' || q.state === 'answered').map(row));
    list(hidden, all.filter((q) => q.state === 'hidden').map(row));
    list(
      chat,
      [...view.chat]
        .reverse()
        .map((m) =>
          h(
            'li',
            { class: 'rt-row', 'data-id': m.id },
            h('p', { class: 'rt-row-meta' }, h('span', { class: 'rt-author' }, m.author.name || t('rt.resident'))),
            h('p', { class: 'rt-row-text' }, m.text),
            h('div', { class: 'actions' }, actionButton(t('rt.hide'), () => send({ type: 'chat.hide', messageId: m.id })), ban(m.author)),
          ),
        ),
    );
    list(
      bans,
      view.bans.map((entry) =>
        h(
          'li',
          { class: 'rt-row', 'data-id': entry.viewerId },
          h('p', { class: 'rt-row-meta' }, h('span', { class: 'rt-author' }, entry.name || t('rt.resident')), entry.reason ? h('span', null, entry.reason) : null),
          h('div', { class: 'actions' }, actionButton(t('rt.unban'), () => send({ type: 'viewer.unban', viewerId: entry.viewerId }))),
        ),
      ),
    );
  };
  client = staffChannel(
    b.links.channel,
    root,
    (view, change) => {
      // Counts come every second: they redraw their line only.
      if (change.type === 'viewers' || change.type === 'likes') counts.textContent = countsLine(view);
      else draw(view);
    },
    status.error,
  );
  return root;
}

/** The site-wide word list: one word or phrase a line. */
function wordsSection(): HTMLElement {
  const area = h('textarea', { name: 'words', rows: 6, class: 'mod-words' });
  const status = statusLine();
  const form = h('form', { class: 'card' }, field(t('mod.words'), area), h('button', { type: 'submit', class: 'primary' }, t('mod.wordsSave')), status.el);
  const show = (list: WordList) => (area.value = list.words.join('\n'));
  api<WordList>('GET', '/api/moderation/words').then(show, status.error);
  onSubmit(form, status, async () => {
    const words = area.value.split('\n').map((w) => w.trim()).filter(Boolean);
    show(await api<WordList>('PUT', '/api/moderation/words', { words }));
    status.ok(t('common.saved'));
  });
  return h('section', { class: 'mod-words-section' }, form);
}
