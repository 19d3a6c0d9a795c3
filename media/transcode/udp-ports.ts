// When ffmpeg listens: it binds the SDP's ports before it waits for packets, so once they are bound the
// consumers may be resumed (packets sent earlier would be lost, the first keyframe with them).
import { readFile } from 'node:fs/promises';

/** Local ports of the sockets in a /proc/net/udp or /proc/net/udp6 table (`proc(5)`). */
export function boundUdpPorts(table: string): Set<number> {
  const ports = new Set<number>();
  for (const line of table.split('\n').slice(1)) {
    const local = line.trim().split(/\s+/)[1];
    const hex = local?.split(':').at(-1);
    if (hex) ports.add(Number.parseInt(hex, 16));
  }
  return ports;
}

/** Every one of `ports` is bound by some socket on this machine (IPv4 or IPv6). */
export async function udpPortsBound(ports: readonly number[]): Promise<boolean> {
  const tables = await Promise.all(['/proc/net/udp', '/proc/net/udp6'].map((p) => readFile(p, 'utf8').catch(() => '')));
  const bound = new Set(tables.flatMap((t) => [...boundUdpPorts(t)]));
  return ports.every((p) => bound.has(p));
}
