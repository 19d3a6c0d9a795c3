import t from 'tap';
import { boundUdpPorts, udpPortsBound } from '../../media/transcode/udp-ports.ts';
import { createSocket } from 'node:dgram';

const TABLE = `   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
  193: 0100007F:9C40 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 1234 2 0000000000000000 0
  194: 0100007F:9C41 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 1235 2 0000000000000000 0
 1020: 00000000000000000000000000000000:0044 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000 0 0 99 2 0 0
`;

t.test('the local ports of a /proc/net/udp table, IPv4 and IPv6 alike', async (t) => {
  t.same([...boundUdpPorts(TABLE)].sort((a, b) => a - b), [68, 40000, 40001]);
  t.same([...boundUdpPorts('')], []);
});

t.test('a port is bound once a socket listens on it, and not before', async (t) => {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  t.ok(await udpPortsBound([port]));
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  t.notOk(await udpPortsBound([port]));
});
