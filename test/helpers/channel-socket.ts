// A client of the realtime channel speaking the public protocol over a real WebSocket, as an embedder
// would: it says hello, keeps every frame it receives, and waits for frames by polling with a reason.
import WebSocket from 'ws';
import type { ClientMessage, ServerMessage } from '../../server/contracts/realtime.ts';
import { until } from './until.ts';

/** The frames numbered one by one (docs/realtime.md); the others repeat the latest seq. */
const PUBLIC_TYPES = new Set(['question.added', 'question.updated', 'chat.message', 'chat.hidden', 'state', 'settings']);

export class ChannelSocket {
  readonly name: string;
  readonly frames: ServerMessage[] = [];
  readonly #ws: WebSocket;

  private constructor(name: string, ws: WebSocket) {
    this.name = name;
    this.#ws = ws;
    ws.on('message', (data) => this.frames.push(JSON.parse(String(data)) as ServerMessage));
  }

  /** Connects to `url` (a `links.channel`), says hello and waits for the welcome, and for the snapshot unless resuming. */
  static async open(t: { teardown(fn: () => unknown): void }, name: string, url: string, hello: Partial<Extract<ClientMessage, { type: 'hello' }>> = {}): Promise<ChannelSocket> {
    const ws = new WebSocket(url);
    const socket = new ChannelSocket(name, ws);
    t.teardown(() => ws.terminate());
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    socket.send({ type: 'hello', ...hello });
    await socket.next(`${name} was welcomed`, (f) => f.type === 'welcome');
    if (hello.lastSeq === undefined) await socket.next(`${name} got its snapshot`, (f) => f.type === 'snapshot');
    return socket;
  }

  send(message: ClientMessage): void {
    this.#ws.send(JSON.stringify(message));
  }

  /** The first frame received that `match` accepts, waiting for it; `reason` names what never came. */
  async next<T extends ServerMessage>(reason: string, match: (frame: ServerMessage) => frame is T): Promise<T>;
  async next(reason: string, match: (frame: ServerMessage) => boolean): Promise<ServerMessage>;
  async next(reason: string, match: (frame: ServerMessage) => boolean): Promise<ServerMessage> {
    return until(`${reason} (${this.name} received: ${this.frames.map((f) => f.type).join(', ')})`, () => this.frames.find(match), 20_000, 25);
  }

  /** The last frame received that `match` accepts (a count's latest value), once `ok` holds for it. */
  async latest<T extends ServerMessage['type']>(reason: string, type: T, ok: (frame: Extract<ServerMessage, { type: T }>) => boolean): Promise<Extract<ServerMessage, { type: T }>> {
    return until(`${reason} (${this.name})`, () => {
      const last = this.frames.findLast((f) => f.type === type) as Extract<ServerMessage, { type: T }> | undefined;
      return last && ok(last) ? last : undefined;
    }, 20_000, 25);
  }

  /** The numbered events received, as `seq type id`, in the order they arrived. */
  publicEvents(): string[] {
    return this.frames.filter((f) => PUBLIC_TYPES.has(f.type)).map((f) => `${f.seq} ${f.type} ${idOf(f)}`);
  }

  close(): void {
    this.#ws.close();
  }
}

function idOf(frame: ServerMessage): string {
  if (frame.type === 'question.added' || frame.type === 'question.updated') return `${frame.question.id} ${frame.question.upvotes}`;
  if (frame.type === 'chat.message') return frame.message.id;
  return '';
}
