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
    if (!process.connected) return;
    // The control plane may close the channel between the check and the write (it stops while this
    // node is still starting): with a callback, the EPIPE is reported here instead of an 'error'
    // event that would kill the node; the 'disconnect' handler then stops it cleanly.
    process.send?.(message, undefined, undefined, (err: Error | null) => {
      if (err) this.#logger.debug({ err, type: message.type }, 'control plane gone; message not sent');
    });
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
