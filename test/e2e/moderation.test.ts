// The moderation page in real Chromium against the real app and its realtime channel: an editor saves
// the word list (a resident's question with a listed word is refused, explained and given back) and
// turns pre-review on, and later chat with slow mode; a resident's question waits (审核中, shown to her only) until the editor approves it,
// then every resident sees it; the editor bans her from the page, and her watch page says so, before
// and after a reload, and offers no way to ask.
import t from 'tap';
import { staff, startApp } from '../helpers/app.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { residentPage, staffPage } from '../helpers/realtime-pages.ts';
import { createBroadcast, createChannel } from '../helpers/schedule.ts';
import { until } from '../helpers/until.ts';

const QUESTION = '没有遗嘱，独生子女能继承全部财产吗？';

t.test('from the moderation page: the word list refuses, pre-review holds a question for its author until approved, a hidden one comes back, a ban silences a resident, slow mode spaces chat', async (t) => {
  const ctx = await startApp(t, { listen: true });
  const admin = await staff(ctx, 'admin');
  await staff(ctx, 'editor', 'editor1');
  const broadcast = await createBroadcast(ctx, admin, (await createChannel(ctx, admin)).id, { title: '红色直播间 · 遗产继承' });
  const browser = await launchBrowser(t);

  // The editor finds the broadcast from the 审核 section.
  const editor = await staffPage(t, browser, ctx, 'editor1', `${ctx.url}/console`);
  await editor.page.getByRole('link', { name: '审核', exact: true }).click();
  await editor.page.locator('.moderation-list a', { hasText: '红色直播间 · 遗产继承' }).click();
  await editor.page.locator('.rt-counts', { hasText: /在线 \d+ 人/ }).waitFor();
  await editor.page.getByLabel('屏蔽词（全站通用，每行一个）').fill('传销\n  \n赌博');
  await editor.page.getByRole('button', { name: '保存屏蔽词' }).click();
  await editor.page.getByText('已保存').waitFor();
  t.equal(await editor.page.getByLabel('屏蔽词（全站通用，每行一个）').inputValue(), '传销\n赌博', 'the word list is saved as the server keeps it');
  await editor.page.getByLabel('提问先审核再公开').check();
  await editor.page.locator('.mod-settings[data-pre-review="true"]').waitFor();

  const asker = await residentPage(t, browser, broadcast.links.watch);
  const neighbour = await residentPage(t, browser, broadcast.links.watch);
  await neighbour.page.locator('.rt-now', { hasText: /在线 \d+ 人/ }).waitFor();
  await asker.page.getByLabel('想问主讲人的问题').fill('有人推销养老产品，这是不是传销？');
  await asker.page.getByRole('button', { name: '提问', exact: true }).click();
  await asker.page.locator('.rt-notice', { hasText: '内容里有不允许的词语，请修改后再发。' }).waitFor();
  t.equal(await asker.page.getByLabel('想问主讲人的问题').inputValue(), '有人推销养老产品，这是不是传销？', 'a filtered question is given back to be changed');
  t.equal(await editor.page.locator('.mod-pending .rt-row').count(), 0, 'and reaches nobody');
  await asker.page.getByLabel('您的称呼（可以不填）').fill('张阿姨');
  await asker.page.getByLabel('想问主讲人的问题').fill(QUESTION);
  await asker.page.getByRole('button', { name: '提问', exact: true }).click();

  const mine = asker.page.locator('.rt-question', { hasText: QUESTION });
  await mine.locator('.rt-badge-review', { hasText: '审核中' }).waitFor();
  t.equal(await mine.locator('.rt-author').innerText(), '张阿姨', 'her name beside her question');
  const waiting = editor.page.locator('.mod-pending .rt-row', { hasText: QUESTION });
  await waiting.waitFor();
  t.equal(await neighbour.page.locator('.rt-question', { hasText: QUESTION }).count(), 0, 'a neighbour already on the page does not see it while it waits');
  const latecomer = await residentPage(t, browser, broadcast.links.watch);
  await latecomer.page.locator('.rt[data-ready]').waitFor();
  t.equal(await latecomer.page.locator('.rt-empty').innerText(), '还没有人提问，来问第一个吧。', 'a neighbour opening the page while it waits is told there are no questions');
  await latecomer.context.close();

  await waiting.getByRole('button', { name: '通过' }).click();
  const seen = neighbour.page.locator('.rt-question', { hasText: QUESTION });
  await seen.waitFor();
  t.equal(await seen.locator('.rt-badge-review').count(), 0, 'approved: no 审核中 for the neighbour');
  await until('the author sees it approved', async () => (await mine.locator('.rt-badge-review').count()) === 0);
  await editor.page.locator('.mod-published .rt-row', { hasText: QUESTION }).waitFor();

  await editor.page.locator('.mod-published .rt-row', { hasText: QUESTION }).getByRole('button', { name: '隐藏' }).click();
  await seen.waitFor({ state: 'detached' });
  const hiddenRow = editor.page.locator('.mod-hidden .rt-row', { hasText: QUESTION });
  await hiddenRow.waitFor();
  t.equal(await neighbour.page.locator('.rt-question').count(), 0, 'hidden: gone from the neighbour\'s page, kept in the moderation page');
  await hiddenRow.getByRole('button', { name: '恢复' }).click();
  await seen.waitFor();
  t.equal(await editor.page.locator('.mod-hidden .rt-row').count(), 0, 'restored: back on the neighbour\'s page, out of the hidden list');

  await editor.page.locator('.mod-published .rt-row', { hasText: QUESTION }).getByRole('button', { name: '禁言 张阿姨' }).click();
  await editor.page.locator('.mod-bans .rt-row', { hasText: '张阿姨' }).waitFor();
  await asker.page.locator('.rt-notice', { hasText: '您已被禁止在这场直播中提问和聊天' }).waitFor();
  await asker.page.locator('.rt-ask').waitFor({ state: 'hidden' });
  t.notOk(await asker.page.getByRole('button', { name: '提问', exact: true }).isVisible(), 'the banned resident is told at once and the ask form goes away');

  await asker.page.reload();
  await asker.page.locator('.rt-notice', { hasText: '您已被禁止在这场直播中提问和聊天' }).waitFor();
  await asker.page.locator('.rt-ask').waitFor({ state: 'hidden' });
  t.notOk(await asker.page.getByRole('button', { name: '提问', exact: true }).isVisible(), 'after a reload she still cannot ask');
  t.ok(await neighbour.page.locator('.rt-ask').isVisible(), 'the neighbour still can');

  await editor.page.locator('.mod-bans .rt-row', { hasText: '张阿姨' }).getByRole('button', { name: '解除禁言' }).click();
  await editor.page.locator('.mod-bans .rt-row', { hasText: '张阿姨' }).waitFor({ state: 'detached' });
  await asker.page.reload();
  await asker.page.locator('.rt[data-ready]').waitFor();
  t.ok(await asker.page.getByRole('button', { name: '提问', exact: true }).isVisible(), 'unbanned, she can ask again after a reload');

  await editor.page.getByLabel('开启聊天').check();
  await editor.page.getByLabel('慢速模式（每人两条聊天之间的秒数，0 为关闭）').fill('30');
  await editor.page.getByLabel('慢速模式（每人两条聊天之间的秒数，0 为关闭）').press('Tab');
  await editor.page.locator('.mod-settings[data-chat="true"][data-slow-mode="30"]').waitFor();
  await neighbour.page.locator('.rt-slow', { hasText: '慢速模式：每人每 30 秒可发一条。' }).waitFor();
  for (let i = 0; i < 2; i++) {
    await neighbour.page.getByLabel('说点什么').fill('大家好');
    await neighbour.page.getByRole('button', { name: '发送' }).click();
  }
  const wait = await neighbour.page.locator('.rt-notice', { hasText: /慢速模式：请 \d+ 秒后再发。/ }).innerText();
  const seconds = Number(/(\d+)/.exec(wait)![1]);
  t.ok(seconds >= 1 && seconds <= 30, `the second message within 30 s is refused, saying when to try again (${seconds} s)`);
  await editor.page.locator('.mod-chat .rt-row', { hasText: '大家好' }).waitFor();
  t.equal(await editor.page.locator('.mod-chat .rt-row', { hasText: '大家好' }).count(), 1, 'one message went through');

  // The broadcast's own console page leads to the same moderation page.
  await editor.page.goto(`${ctx.url}/console/broadcasts/${broadcast.id}`);
  await editor.page.getByRole('link', { name: '审核互动' }).click();
  await editor.page.locator('.mod-chat .rt-row', { hasText: '大家好' }).waitFor();
  t.match(editor.page.url(), `/console/moderation/${broadcast.id}`, 'the broadcast page links to its moderation page');

  t.same([...asker.errors, ...neighbour.errors, ...editor.errors], [], 'no page raised an error');
});
