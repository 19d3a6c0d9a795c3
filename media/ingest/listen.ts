// Where a node's ingests take publishers' media: the local address, the one announced to publishers
// (different behind NAT or in a container), and the configured port range, which is what a firewall or
// a container must open. The transcoder's own loopback legs (live/ports.ts) stay outside it.
import type { types } from 'mediasoup';
import type { MediaNodeSettings } from '../../server/contracts/media.ts';

export type IngestListen = Pick<MediaNodeSettings, 'listenIp' | 'announcedIp' | 'rtcPorts'>;

export function listenInfo(listen: IngestListen, protocol: 'udp' | 'tcp'): types.TransportListenInfo {
  return {
    protocol,
    ip: listen.listenIp,
    announcedAddress: listen.announcedIp === listen.listenIp ? undefined : listen.announcedIp,
    portRange: { min: listen.rtcPorts.min, max: listen.rtcPorts.max },
  };
}
