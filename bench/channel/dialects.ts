// What the load generator says to each server: our realtime protocol (server/contracts/realtime.ts)
// and engine.io v4 framing under Socket.IO, written by hand so that a viewer costs the generator one
// `ws` socket and nothing else (socket.io-client would saturate the generator's core first).
import type { WebSocket } from 'ws';

export type DialectName = 'linbo' | 'socketio';

export interface Dialect {
  /** The viewer socket's URL, from the base the orchestrator passes (links.channel, or the server's address). */
  url(base: string): string;
  /** Frames a socket sends once open. */
  opened(ws: WebSocket): void;
  /** A frame received before the socket counts as connected: 'ready', 'failed' (with why) or undefined to wait on. */
  handshake(ws: WebSocket, frame: Buffer): 'ready' | { failed: string } | undefined;
  /** Answers application-level heartbeats; true when the frame was one. */
  heartbeat(ws: WebSocket, frame: Buffer): boolean;
  chat(text: string): string;
  question(text: string): string;
  like(count: number): string;
}

const PING = 0x32; // engine.io "2"

export const dialects: Record<DialectName, Dialect> = {
  linbo: {
    url: (base) => base,
    opened: (ws) => ws.send('{"type":"hello"}'),
    handshake: (_ws, frame) => {
      const text = frame.toString('latin1');
      if (text.includes('"type":"welcome"')) return 'ready';
      if (text.includes('"type":"error"')) return { failed: /"code":"([A-Z_]+)"/.exec(text)?.[1] ?? 'error' };
      return undefined;
    },
    // Our heartbeats are WebSocket pings, which `ws` answers by itself.
    heartbeat: () => false,
    chat: (text) => JSON.stringify({ type: 'chat.send', text }),
    question: (text) => JSON.stringify({ type: 'question.ask', text }),
    like: (count) => JSON.stringify({ type: 'like', count }),
  },
  socketio: {
    url: (base) => `${base.replace(/^http/, 'ws').replace(/\/$/, '')}/socket.io/?EIO=4&transport=websocket`,
    opened: () => {},
    handshake: (ws, frame) => {
      const text = frame.toString('latin1');
      if (text.startsWith('0')) ws.send('40'); // engine.io open → connect to the main namespace
      else if (text.startsWith('40')) return 'ready';
      else if (text.startsWith('44')) return { failed: 'connect_error' };
      else dialects.socketio.heartbeat(ws, frame);
      return undefined;
    },
    heartbeat: (ws, frame) => {
      if (frame.length !== 1 || frame[0] !== PING) return false;
      ws.send('3');
      return true;
    },
    chat: (text) => `42${JSON.stringify(['chat.send', text])}`,
    question: (text) => `42${JSON.stringify(['chat.send', text])}`,
    like: (count) => `42${JSON.stringify(['like', count])}`,
  },
};
