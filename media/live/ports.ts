// Local UDP ports for the transcoder's RTP input. ffmpeg binds an SDP track's port and port + 1
// (RTCP) itself, so we find pairs that are free now and hand them to it.
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';

async function bind(port: number, ip: string): Promise<Socket | undefined> {
  const socket = createSocket('udp4');
  try {
    socket.bind(port, ip);
    await Promise.race([once(socket, 'listening'), once(socket, 'error').then(([err]) => Promise.reject(err))]);
    return socket;
  } catch {
    socket.close();
    return undefined;
  }
}

/** `count` even ports on `ip`, each with the next port free too (RFC 3550 §11). */
export async function freePortPairs(ip: string, count: number): Promise<number[]> {
  const held: Socket[] = [];
  const ports: number[] = [];
  try {
    for (let attempt = 0; ports.length < count && attempt < 50; attempt++) {
      const probe = await bind(0, ip);
      if (!probe) continue;
      const port = probe.address().port & ~1;
      probe.close();
      const rtp = await bind(port, ip);
      const rtcp = rtp && (await bind(port + 1, ip));
      if (rtp && rtcp && !ports.includes(port)) {
        held.push(rtp, rtcp);
        ports.push(port);
      } else {
        rtp?.close();
      }
    }
  } finally {
    for (const socket of held) socket.close();
  }
  if (ports.length < count) throw new Error(`found only ${ports.length} free UDP port pairs on ${ip}`);
  return ports;
}

