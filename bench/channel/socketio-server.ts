// The channel benchmark's baseline: a minimal Socket.IO 4 server doing the fan-out the realtime
// channel does, the way a Socket.IO app would write it: one `io.emit` per chat event, viewer and like
// counts emitted once a second. Nothing else (no storage, no validation): a floor for Socket.IO's own
// cost, not a competing product. Usage: node bench/channel/socketio-server.ts <port>
import { randomUUID } from 'node:crypto';
import { Server } from 'socket.io';

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0) throw new Error('usage: node bench/channel/socketio-server.ts <port>');

// WebSocket only and no compression: the same wire the light clients and our server use.
const io = new Server(port, { transports: ['websocket'], perMessageDeflate: false, httpCompression: false, serveClient: false });

let peak = 0;
let total = 0;
let likes = 0;
io.on('connection', (socket) => {
  total++;
  peak = Math.max(peak, io.engine.clientsCount);
  const author = { id: socket.id, name: '' };
  // The same shape as our chat.message, so both servers write frames of about the same size.
  socket.on('chat.send', (text: unknown) => {
    if (typeof text !== 'string') return;
    io.emit('chat.message', { message: { id: randomUUID(), text, author, sentAt: new Date().toISOString() } });
  });
  socket.on('like', (count: unknown) => {
    if (typeof count === 'number') likes += count;
  });
});

setInterval(() => {
  io.emit('viewers', { now: io.engine.clientsCount, peak, total });
  io.emit('likes', { total: likes });
}, 1000);

process.on('SIGTERM', () => process.exit(0));
console.log(`socket.io listening on ${port}`);
