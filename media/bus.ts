// The media node's end of the bus when it runs as a child of the control plane (Node's IPC channel).
import type { Logger } from 'pino';
import { controlMessageCheck, type ControlMessage, type NodeBus, type NodeMessage } from '../server/contracts/media.ts';

export class IpcNodeBus implements NodeBus {
  readonly #listeners = new Set<(message: ControlMessage) => void>();
  readonly #logger: Logger;
  readonly #onMessage = (raw: unknown): void => {
    if (!controlMessageCheck.Check(raw)) {
      this.#logger.warn({ errors: [...controlMessageCheck.Errors(raw)].slice(0, 3) }, 'dropped a malformed control message');
      return;
    }
    for (const listener of this.#listeners) listener(raw);
  };

  constructor(logger: Logger) {
    if (!process.send) throw new Error('the media node was not started with an IPC channel (run it through the control plane)');
    this.#logger = logger;
    process.on('message', this.#onMessage);
  }

  send(message: NodeMessage): void {
    if (process.connected) process.send?.(message);
  }

  onMessage(listener: (message: ControlMessage) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  close(): void {
    this.#listeners.clear();
    process.off('message', this.#onMessage);
    if (process.connected) process.disconnect?.();
  }
}
