// The WebRtcTransport every WebRTC ingest (WHIP, the studio page) publishes into, and when it is given
// up. A WebRtcTransport does not close itself when its publisher vanishes: ICE only goes `disconnected`
// (after ~30 s of missing consent checks, or at once when a TCP path drops), and one that never
// connects stays `new` for ever.
import type { types } from 'mediasoup';
import { listenInfo, type IngestListen } from './listen.ts';

/** How long a publisher has to complete DTLS before its session is given up. */
export const CONNECT_TIMEOUT_MS = 15_000;

/** A publisher's transport: UDP preferred, TCP for studios behind strict firewalls. */
export function createPublisherTransport(router: types.Router, listen: IngestListen): Promise<types.WebRtcTransport> {
  return router.createWebRtcTransport({
    listenInfos: [listenInfo(listen, 'udp'), listenInfo(listen, 'tcp')],
    preferUdp: true,
  });
}

/**
 * Calls `close` when ICE disconnects or closes, when DTLS fails or closes, or when DTLS has not
 * connected within `connectTimeoutMs`. Returns what cancels the timer (call it from `close`).
 */
export function closeWhenAbandoned(transport: types.WebRtcTransport, close: () => void, connectTimeoutMs: number): () => void {
  const timer = setTimeout(close, connectTimeoutMs);
  transport.on('icestatechange', (state) => {
    if (state === 'disconnected' || state === 'closed') close();
  });
  transport.on('dtlsstatechange', (state) => {
    if (state === 'connected') clearTimeout(timer);
    if (state === 'failed' || state === 'closed') close();
  });
  return () => clearTimeout(timer);
}
