// Outbound WebSocket frames built once and written to many sockets. A server's frames are not masked
// (RFC 6455 §5.1), so the bytes of one text frame are the same for every socket: a tick serialises
// each event once and concatenates the frames, instead of ws re-framing the same JSON per socket.
// This only holds with permessage-deflate off (each socket would have its own compression context).
import * as ws from 'ws';

interface FrameOptions {
  fin: boolean;
  opcode: number;
  mask: boolean;
  readOnly: boolean;
  rsv1: boolean;
}

// @types/ws does not declare Sender.frame; its shape is ws 8's (lib/sender.js).
const { frame } = (ws as unknown as { Sender: { frame(data: Buffer, options: FrameOptions): Buffer[] } }).Sender;
const TEXT: FrameOptions = { fin: true, opcode: 0x1, mask: false, readOnly: false, rsv1: false };

export function textFrame(message: object): Buffer {
  const parts = frame(Buffer.from(JSON.stringify(message)), TEXT);
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}
