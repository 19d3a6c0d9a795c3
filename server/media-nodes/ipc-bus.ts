// The control plane's end of the bus in the embedded default: each media node is a child process
// talking over Node's IPC channel (JSON serialisation). A Redis bus would implement ControlBus the same way.
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { Logger } from 'pino';
import { nodeMessageCheck, type ControlBus, type ControlMessage, type NodeMessage } from '../contracts/media.ts';

/** How long a node gets to close its transcoders and publishers before it is killed. */
const EXIT_GRACE_MS = 10_000;

export class IpcControlBus implements ControlBus {
  readonly #children = new Map<string, ChildProcess>();
  readonly #listeners = new Set<(message: NodeMessage) => void>();
  readonly #lostListeners = new Set<(nodeId: string) => void>();
  readonly #logger: Logger;
  #closing = false;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  /** close() was called: its nodes are stopping on purpose, none is lost and none is started. */
  get closing(): boolean {
    return this.#closing;
  }

  /** Starts listening to a node's process; the bus forgets it when it exits. */
  attach(nodeId: string, child: ChildProcess): void {
    this.#children.set(nodeId, child);
    child.on('message', (raw: unknown) => {
      if (!nodeMessageCheck.Check(raw)) {
        this.#logger.warn({ nodeId, errors: [...nodeMessageCheck.Errors(raw)].slice(0, 3) }, 'dropped a malformed media-node message');
        return;
      }
      for (const listener of this.#listeners) listener(raw);
    });
    child.once('exit', () => {
      this.#children.delete(nodeId);
      if (!this.#closing) for (const listener of this.#lostListeners) listener(nodeId);
    });
  }

  send(nodeId: string, message: ControlMessage): void {
    const child = this.#children.get(nodeId);
    if (!child?.connected) {
      this.#logger.warn({ nodeId, type: message.type }, 'media node is gone; message not sent');
      return;
    }
    // A node killed a moment ago is still `connected` until its exit is seen: the write then fails with
    // EPIPE, which without a callback is an uncaught error. Its 'exit' reports it lost; the request times out.
    child.send(message, (err) => {
      if (err) this.#logger.warn({ nodeId, type: message.type, err }, 'media node is gone; message not sent');
    });
  }

  onMessage(listener: (message: NodeMessage) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  onNodeLost(listener: (nodeId: string) => void): () => void {
    this.#lostListeners.add(listener);
    return () => this.#lostListeners.delete(listener);
  }

  /** Disconnecting tells each node to close; one that does not exit in time is killed. */
  async close(): Promise<void> {
    this.#closing = true;
    this.#listeners.clear();
    this.#lostListeners.clear();
    await Promise.all(
      [...this.#children.values()].map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = once(child, 'exit');
        if (child.connected) child.disconnect();
        const timer = setTimeout(() => child.kill('SIGKILL'), EXIT_GRACE_MS);
        await exited;
        clearTimeout(timer);
      }),
    );
  }
}
