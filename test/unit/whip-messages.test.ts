// The WHIP messages between the control plane and a media node are checked where they enter, like
// every media-node message: an offer too large or a refusal code outside the catalogue is refused.
import t from 'tap';
import { controlMessageCheck, nodeMessageCheck, WHIP_OFFER_MAX } from '../../server/contracts/media.ts';
import { ERRORS } from '../../server/http/errors.ts';

const offer = { type: 'whip.offer', requestId: 'r1', broadcastId: 'b1', offer: 'v=0\r\n' };

t.test('an offer passes up to the size limit and is refused beyond it', async (t) => {
  t.ok(controlMessageCheck.Check(offer));
  t.ok(controlMessageCheck.Check({ ...offer, offer: 'a'.repeat(WHIP_OFFER_MAX) }));
  t.notOk(controlMessageCheck.Check({ ...offer, offer: 'a'.repeat(WHIP_OFFER_MAX + 1) }));
});

t.test('closing a session names the session', async (t) => {
  t.ok(controlMessageCheck.Check({ type: 'whip.close', broadcastId: 'b1', sessionId: 's1' }));
  t.notOk(controlMessageCheck.Check({ type: 'whip.close', broadcastId: 'b1' }));
});

t.test("a node's refusal carries one of the API's error codes, and every one of them is in the catalogue", async (t) => {
  const refusal = { type: 'whip.refused', requestId: 'r1', nodeId: 'n1', message: 'why' };
  for (const code of ['WHIP_MALFORMED_SDP', 'WHIP_NO_USABLE_CODEC', 'INGEST_BUSY', 'INGEST_CODEC_CHANGED'] as const) {
    t.ok(nodeMessageCheck.Check({ ...refusal, code }), code);
    t.ok(code in ERRORS, `${code} is an API error code`);
  }
  t.notOk(nodeMessageCheck.Check({ ...refusal, code: 'INTERNAL' }), 'a code the node may not send');
});

t.test('an answer names its session', async (t) => {
  const answered = { type: 'whip.answered', requestId: 'r1', nodeId: 'n1', broadcastId: 'b1', sessionId: 's1', answer: 'v=0\r\n' };
  t.ok(nodeMessageCheck.Check(answered));
  t.notOk(nodeMessageCheck.Check({ ...answered, sessionId: '' }));
});
