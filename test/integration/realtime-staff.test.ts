// Host and moderator actions on the realtime channel, as the studio and moderation pages send them:
// what staff do reaches every viewer, and viewers see only what is theirs to see.
import t from 'tap';
import { startApp, staff } from '../helpers/app.ts';
import { channelBroadcast, closeAll, joinChannel, ofType } from '../helpers/channel.ts';

t.test("the broadcast's host answers, pins and hides questions; viewers see each change, a hidden one without its text", async (t) => {
  const ctx = await startApp(t, { listen: true });
  const host = await staff(ctx, 'host');
  const other = await staff(ctx, 'host', 'host2');
  const { url } = await channelBroadcast(ctx, { fields: { hostId: host.id } });
  const studio = await joinChannel(url, { headers: { authorization: host.authorization } });
  const notTheirs = await joinChannel(url, { headers: { authorization: other.authorization } });
  const viewer = await joinChannel(url);
  t.teardown(() => closeAll([studio, notTheirs, viewer]));
  t.equal(studio.frames[0]!.role, 'host');
  t.equal(notTheirs.frames[0]!.role, 'viewer', 'a host not assigned to this broadcast only watches');

  viewer.send({ type: 'question.ask', text: '遗嘱要公证吗？' });
  const { question } = await studio.next('the host did not see the question', ofType('question.added'));
  const changed = (what: string, match: (q: { state: string; pinned: boolean; text: string }) => boolean) =>
    viewer.next(`the viewer did not see it ${what}`, (f) => f.type === 'question.updated' && match(f.question));

  studio.send({ type: 'question.answer', questionId: question.id });
  await changed('answered', (q) => q.state === 'answered');
  studio.send({ type: 'question.pin', questionId: question.id });
  await changed('pinned', (q) => q.pinned);
  studio.send({ type: 'question.hide', questionId: question.id });
  const hidden = await changed('hidden', (q) => q.state === 'hidden');
  t.equal(hidden.question.text, '', 'viewers get a hidden question without its text');
  const staffView = await studio.next('the host lost the hidden text', (f) => f.type === 'question.updated' && f.question.state === 'hidden' && f.question.text !== '');
  t.equal(staffView.question.text, '遗嘱要公证吗？');
});

t.test('chat reaches everyone; a moderator hides a message and turns chat off', async (t) => {
  const ctx = await startApp(t, { listen: true });
  const { url, admin } = await channelBroadcast(ctx);
  const moderator = await joinChannel(url, { headers: { authorization: admin.authorization } });
  const sender = await joinChannel(url, { hello: { type: 'hello', name: '李师傅' } });
  const reader = await joinChannel(url);
  t.teardown(() => closeAll([moderator, sender, reader]));
  sender.send({ type: 'chat.send', text: '<img src=x onerror=alert(1)>老师好' });
  const said = await reader.next('the reader did not get the chat message', ofType('chat.message'));
  t.equal(said.message.text, '<img src=x onerror=alert(1)>老师好', 'text travels as text, unchanged');
  t.equal(said.message.author.name, '李师傅');
  moderator.send({ type: 'chat.hide', messageId: said.message.id });
  const gone = await reader.next('the reader did not see it hidden', ofType('chat.hidden'));
  t.equal(gone.messageId, said.message.id);
  moderator.send({ type: 'settings.update', chat: false });
  await sender.next('the sender did not hear chat is off', (f) => f.type === 'settings' && f.settings.chat === false);
  sender.send({ type: 'chat.send', text: '还在吗' });
  t.equal((await sender.next('no refusal', ofType('error'))).code, 'CHAT_OFF');
});
