import t from 'tap';
import { buildSdp } from '../../media/transcode/sdp.ts';

const h264 = { port: 40000, payloadType: 102, codec: 'H264', clockRate: 90000, parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f' } };
const opus = { port: 40002, payloadType: 111, codec: 'opus', clockRate: 48000, channels: 2 };

t.test('H.264 and Opus consumers: one media section each, with the port, payload type, clock rate and format parameters', async (t) => {
  const lines = buildSdp({ ip: '127.0.0.1', video: h264, audio: opus }).split('\r\n');
  t.same(lines.slice(0, 5), ['v=0', 'o=- 0 0 IN IP4 127.0.0.1', 's=linbo', 'c=IN IP4 127.0.0.1', 't=0 0']);
  t.same(lines.slice(5), [
    'm=video 40000 RTP/AVP 102',
    'a=rtpmap:102 H264/90000',
    'a=fmtp:102 packetization-mode=1;profile-level-id=42e01f',
    'm=audio 40002 RTP/AVP 111',
    'a=rtpmap:111 opus/48000/2',
    '',
  ]);
});

t.test('VP8 without sound, on IPv6: no format line, no audio section', async (t) => {
  const sdp = buildSdp({ ip: '::1', video: { port: 40010, payloadType: 101, codec: 'VP8', clockRate: 90000 } });
  t.match(sdp, /^c=IN IP6 ::1\r$/m);
  t.match(sdp, /^a=rtpmap:101 VP8\/90000\r$/m);
  t.notMatch(sdp, /a=fmtp|m=audio/);
  t.ok(sdp.endsWith('\r\n'), 'every line ends with CRLF');
});
