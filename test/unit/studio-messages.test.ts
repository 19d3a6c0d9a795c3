// The studio page's signalling messages are checked where they enter the media node, like every bus
// message: WebRTC parameters shaped like mediasoup-client's pass, anything larger or unknown does not,
// and a node's refusal carries one of the API's error codes.
import t from 'tap';
import { controlMessageCheck, nodeMessageCheck } from '../../server/contracts/media.ts';
import { ERRORS } from '../../server/http/errors.ts';

/** What Chromium's mediasoup-client sends for its camera (trimmed to one header extension). */
const rtpParameters = {
  mid: '0',
  codecs: [
    { mimeType: 'video/H264', payloadType: 102, clockRate: 90000, parameters: { 'level-asymmetry-allowed': 1, 'packetization-mode': 1, 'profile-level-id': '42e01f' }, rtcpFeedback: [{ type: 'nack', parameter: '' }, { type: 'nack', parameter: 'pli' }] },
    { mimeType: 'video/rtx', payloadType: 103, clockRate: 90000, parameters: { apt: 102 }, rtcpFeedback: [] },
  ],
  headerExtensions: [{ uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', id: 4, encrypt: false, parameters: {} }],
  encodings: [{ ssrc: 1234, rtx: { ssrc: 5678 }, dtx: false }],
  rtcp: { cname: 'abc', reducedSize: true },
};
const produce = { type: 'studio.produce', requestId: 'r1', broadcastId: 'b1', sessionId: 's1', kind: 'video', rtpParameters };

t.test("mediasoup-client's produce parameters pass; unknown fields, unknown kinds and oversized lists do not", async (t) => {
  t.ok(controlMessageCheck.Check(produce));
  t.notOk(controlMessageCheck.Check({ ...produce, kind: 'data' }), 'a kind other than audio or video');
  t.notOk(controlMessageCheck.Check({ ...produce, rtpParameters: { ...rtpParameters, extra: 1 } }), 'an unknown field');
  t.notOk(controlMessageCheck.Check({ ...produce, rtpParameters: { ...rtpParameters, codecs: Array(9).fill(rtpParameters.codecs[0]) } }), 'more than 8 codecs');
  t.notOk(controlMessageCheck.Check({ ...produce, rtpParameters: { ...rtpParameters, codecs: [] } }), 'no codec');
  t.notOk(controlMessageCheck.Check({ ...produce, rtpParameters: { ...rtpParameters, rtcp: { cname: 'x'.repeat(101) } } }), 'a cname past its bound');
});

t.test('connect carries DTLS fingerprints, at least one', async (t) => {
  const connect = { type: 'studio.connect', requestId: 'r1', broadcastId: 'b1', sessionId: 's1', dtlsParameters: { role: 'client', fingerprints: [{ algorithm: 'sha-256', value: 'AB:CD' }] } };
  t.ok(controlMessageCheck.Check(connect));
  t.notOk(controlMessageCheck.Check({ ...connect, dtlsParameters: { role: 'client', fingerprints: [] } }));
  t.notOk(controlMessageCheck.Check({ ...connect, dtlsParameters: { ...connect.dtlsParameters, role: 'both' } }));
});

t.test('opening a session declares the capture size the ladder is planned from', async (t) => {
  const open = { type: 'studio.open', requestId: 'r1', broadcastId: 'b1', source: { width: 1280, height: 720, fps: 30 } };
  t.ok(controlMessageCheck.Check(open));
  t.notOk(controlMessageCheck.Check({ ...open, source: { width: 1280, height: 720 } }));
});

t.test("a node's studio refusal carries one of the API's error codes, and every one of them is in the catalogue", async (t) => {
  const refusal = { type: 'studio.refused', requestId: 'r1', nodeId: 'n1', message: 'why' };
  for (const code of ['INGEST_BUSY', 'INGEST_CODEC_CHANGED', 'STUDIO_SESSION_NOT_FOUND', 'STUDIO_BAD_PARAMETERS'] as const) {
    t.ok(nodeMessageCheck.Check({ ...refusal, code }), code);
    t.ok(code in ERRORS, `${code} is an API error code`);
  }
  t.notOk(nodeMessageCheck.Check({ ...refusal, code: 'INTERNAL' }), 'a code the node may not send');
});
