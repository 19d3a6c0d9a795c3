// HTML and script in a display name, a question and a chat message never run in any page that shows
// them (a resident's watch page, another resident's, the host's studio page, the moderation page): the
// text shows literally, no element is made of it, and the handler it carries never sets window.__pwned.
import t from 'tap';
import { staff, startApp } from '../helpers/app.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { pwned, residentPage, staffPage, type OpenPage } from '../helpers/realtime-pages.ts';
import { createBroadcast, createChannel } from '../helpers/schedule.ts';

// A display name is at most 20 characters (the protocol's limit): this one would open an alert.
const NAME = '<svg onload=alert()>';
const QUESTION = '<script>window.__pwned=2</script><img src=x onerror=window.__pwned=1>能报销吗？';
const CHAT = '<b onmouseover=window.__pwned=4>hi</b><svg onload=window.__pwned=5>';

/** No element the injected text would have made exists, and nothing it carried ran. */
async function untouched(opened: OpenPage): Promise<{ pwned: unknown; injected: number; dialogs: string[] }> {
  const { page, dialogs } = opened;
  return { pwned: await pwned(page), injected: await page.locator('img[src="x"], svg[onload], b[onmouseover], script:has-text("__pwned")').count(), dialogs };
}

t.test('a name, a question and a chat message made of HTML show as text in every page and never run', async (t) => {
  const ctx = await startApp(t, { listen: true });
  const admin = await staff(ctx, 'admin');
  const host = await staff(ctx, 'host', 'xss-host');
  const broadcast = await createBroadcast(ctx, admin, (await createChannel(ctx, admin)).id, { hostId: host.id, title: '医保政策讲座' });
  const browser = await launchBrowser(t, { fakeMedia: true });

  const moderator = await staffPage(t, browser, ctx, 'admin', `${ctx.url}/console/moderation/${broadcast.id}`);
  await moderator.page.locator('.rt-counts', { hasText: /在线 \d+ 人/ }).waitFor();
  await moderator.page.getByLabel('开启聊天').check();
  await moderator.page.locator('.mod-settings[data-chat="true"]').waitFor();

  const author = await residentPage(t, browser, broadcast.links.watch);
  const other = await residentPage(t, browser, broadcast.links.watch);
  await author.page.getByLabel('您的称呼（可以不填）').fill(NAME);
  await author.page.getByLabel('想问主讲人的问题').fill(QUESTION);
  await author.page.getByRole('button', { name: '提问', exact: true }).click();
  await author.page.locator('.rt-question .rt-text', { hasText: QUESTION }).waitFor();
  await author.page.getByLabel('说点什么').fill(CHAT);
  await author.page.getByRole('button', { name: '发送' }).click();

  const studio = await staffPage(t, browser, ctx, 'xss-host', broadcast.links.studio);

  for (const [who, page] of [['the author', author.page], ['another resident', other.page]] as const) {
    const question = page.locator('.rt-question', { hasText: QUESTION });
    await question.waitFor();
    t.equal(await question.locator('.rt-text').innerText(), QUESTION, `${who} reads the question literally`);
    t.equal(await question.locator('.rt-author').innerText(), NAME, `${who} reads the name literally`);
    const chat = page.locator('.rt-chat-list li', { hasText: CHAT });
    await chat.waitFor();
    t.equal(await chat.locator('.rt-text').innerText(), CHAT, `${who} reads the chat message literally`);
  }
  const queued = studio.page.locator('.studio-questions .rt-row', { hasText: QUESTION });
  await queued.waitFor();
  t.equal(await queued.locator('.rt-author').innerText(), NAME, 'the host reads the name literally');
  t.equal(await queued.locator('.rt-row-text').innerText(), QUESTION, 'the host reads the question literally');

  const listed = moderator.page.locator('.mod-published .rt-row', { hasText: QUESTION });
  await listed.waitFor();
  t.equal(await listed.locator('.rt-author').innerText(), NAME, 'the moderator reads the name literally');
  await moderator.page.locator('.mod-chat .rt-row', { hasText: CHAT }).waitFor();
  await listed.getByRole('button', { name: `禁言 ${NAME}` }).click();
  const banned = moderator.page.locator('.mod-bans .rt-row');
  await banned.waitFor();
  t.equal(await banned.locator('.rt-author').innerText(), NAME, 'the bans list shows the name literally');
  // The ban closes the author's socket; her page says so before the checks below read it.
  await author.page.locator('.rt-notice', { hasText: '您已被禁止' }).waitFor();

  for (const [who, opened] of [['the author', author], ['another resident', other], ['the host', studio], ['the moderator', moderator]] as const) {
    t.same(await untouched(opened), { pwned: undefined, injected: 0, dialogs: [] }, `nothing ran in ${who}'s page`);
    t.same(opened.errors, [], `${who}'s page raised no error`);
  }
});
