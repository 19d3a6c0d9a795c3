// A WebRtcTransport does not close itself when its publisher vanishes: ICE only goes `disconnected`
// (after ~30 s of missing consent checks, or at once when a TCP path drops), and one that never
// connects stays `new` for ever. Every WebRTC ingest (WHIP, the studio page) closes on those instead.
import type { types } from 'mediasoup';

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
