// What each client message does. The table is typed by message type, so a message added to the
// protocol without a handler does not compile. The domain decides and stores; handlers decide who
// hears about it: public events through the bus (numbered, every process), pending questions and
// bans to staff only, and a pending question's author privately.
import type { ClientMessage, ClientMessageType, Question } from '../contracts/realtime.ts';
import type { ChannelBus } from './bus.ts';
import type { RealtimeDomain } from './domain.ts';
import type { Peer } from './peer.ts';

export interface DispatchContext {
  domain: RealtimeDomain;
  bus: ChannelBus;
  /** Sends the peer its welcome and snapshot (or what it missed) and adds it to the live stream. */
  join(peer: Peer, hello: Extract<ClientMessage, { type: 'hello' }>): Promise<void>;
  /** Counts taps towards the next counts tick. */
  like(peer: Peer, count: number): void;
}

type Handler<M> = (peer: Peer, message: M, context: DispatchContext) => Promise<void>;
type HandlerTable = { [K in ClientMessageType]: Handler<Extract<ClientMessage, { type: K }>> };

/** What viewers see of a hidden question: that it is gone, not what it said. */
const asViewersSee = (question: Question): Question => (question.state === 'hidden' ? { ...question, text: '' } : question);

/** A question changed by staff: viewers get the public view; staff also the full one when it differs. */
async function publishUpdated(context: DispatchContext, broadcastId: string, question: Question): Promise<void> {
  if (question.state === 'pending') {
    await context.bus.publishStaff(broadcastId, { type: 'question.updated', question });
    return;
  }
  await context.bus.publish(broadcastId, { type: 'question.updated', question: asViewersSee(question) });
  if (question.state === 'hidden') await context.bus.publishStaff(broadcastId, { type: 'question.updated', question });
}

export const handlers: HandlerTable = {
  hello: (peer, message, context) => context.join(peer, message),

  'question.ask': async (peer, { text }, { domain, bus }) => {
    const question = await domain.ask(peer.broadcastId, peer.actor, text);
    if (question.state === 'pending') {
      // Waits for review: its author sees it at once, moderators in their queue, nobody else yet.
      if (!peer.staff) peer.send({ type: 'question.added', question });
      await bus.publishStaff(peer.broadcastId, { type: 'question.added', question });
    } else {
      await bus.publish(peer.broadcastId, { type: 'question.added', question });
    }
  },

  'question.upvote': async (peer, { questionId }, { domain, bus }) => {
    const question = await domain.upvote(peer.broadcastId, peer.actor, questionId);
    await bus.publish(peer.broadcastId, { type: 'question.updated', question });
  },

  like: async (peer, { count }, context) => context.like(peer, count),

  'chat.send': async (peer, { text }, { domain, bus }) => {
    const message = await domain.chat(peer.broadcastId, peer.actor, text);
    await bus.publish(peer.broadcastId, { type: 'chat.message', message });
  },

  'question.answer': async (peer, { questionId }, context) => {
    await publishUpdated(context, peer.broadcastId, await context.domain.answer(peer.broadcastId, questionId));
  },

  'question.pin': async (peer, { questionId }, context) => {
    for (const question of await context.domain.pin(peer.broadcastId, questionId)) await publishUpdated(context, peer.broadcastId, question);
  },

  'question.hide': async (peer, { questionId }, context) => {
    await publishUpdated(context, peer.broadcastId, await context.domain.hide(peer.broadcastId, questionId));
  },

  'question.approve': async (peer, { questionId }, { domain, bus }) => {
    // Viewers may never have seen it (it was pending), so it arrives as added; clients upsert by id.
    const question = await domain.approve(peer.broadcastId, questionId);
    await bus.publish(peer.broadcastId, { type: 'question.added', question });
  },

  'chat.hide': async (peer, { messageId }, { domain, bus }) => {
    await domain.hideChat(peer.broadcastId, messageId);
    await bus.publish(peer.broadcastId, { type: 'chat.hidden', messageId });
  },

  'viewer.ban': async (peer, { viewerId, reason }, { domain, bus }) => {
    // Every process closes the banned device's sockets when the staff frame reaches it (channel.ts).
    const bans = await domain.ban(peer.broadcastId, viewerId, reason ?? '');
    await bus.publishStaff(peer.broadcastId, { type: 'bans', bans });
  },

  'viewer.unban': async (peer, { viewerId }, { domain, bus }) => {
    const bans = await domain.unban(peer.broadcastId, viewerId);
    await bus.publishStaff(peer.broadcastId, { type: 'bans', bans });
  },

  'settings.update': async (peer, message, { domain, bus }) => {
    const { type: _type, ...patch } = message;
    const settings = await domain.updateSettings(peer.broadcastId, patch);
    await bus.publish(peer.broadcastId, { type: 'settings', settings });
  },
};

export function dispatch(peer: Peer, message: ClientMessage, context: DispatchContext): Promise<void> {
  // The table's type ties each entry to its message; indexing it by a union loses that link.
  const handler = handlers[message.type] as Handler<ClientMessage>;
  return handler(peer, message, context);
}
