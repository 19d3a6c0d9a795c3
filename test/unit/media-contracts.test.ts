// The media-node messages are checked where they enter: a message that does not match its schema is
// refused, whatever its sender meant.
import t from 'tap';
import { controlMessageCheck, nodeMessageCheck } from '../../server/contracts/media.ts';
import { rtpSenderArgs, rtpSenderCommand } from '../../server/media-nodes/sender-command.ts';

const track = (port: number, payloadType: number, codec: string, clockRate: number) => ({ port, rtcpPort: port + 7, payloadType, ssrc: 1234, codec, clockRate });
const ingest = { ip: '192.0.2.10', video: track(40000, 102, 'H264', 90000), audio: { ...track(40010, 111, 'opus', 48000), ssrc: 5678, channels: 2 } };

t.test('a well-formed node message passes and a malformed one is refused', async (t) => {
  t.ok(nodeMessageCheck.Check({ type: 'media.stopped', broadcastId: 'b1', nodeId: 'n1', reason: 'no-media' }));
  t.notOk(nodeMessageCheck.Check({ type: 'media.stopped', broadcastId: 'b1', nodeId: 'n1', reason: 'bored' }), 'an unknown reason');
  t.notOk(nodeMessageCheck.Check({ type: 'node.load', nodeId: 'n1', broadcasts: -1, cpu: 0 }), 'a negative count');
  t.notOk(nodeMessageCheck.Check({ type: 'node.explode', nodeId: 'n1' }), 'an unknown type');
  t.notOk(nodeMessageCheck.Check('node.register'), 'not an object');
});

t.test('an ingest request must declare a usable picture', async (t) => {
  const open = { type: 'ingest.open', requestId: 'r1', broadcastId: 'b1', kind: 'rtp', source: { width: 1280, height: 720, fps: 30 } };
  t.ok(controlMessageCheck.Check(open));
  t.notOk(controlMessageCheck.Check({ ...open, source: { width: 1280, height: 720, fps: 0 } }), 'zero frames per second');
  t.notOk(controlMessageCheck.Check({ ...open, kind: 'whip' }), 'a kind this contract does not know yet');
});

t.test('the sender command sends each track with its payload type and SSRC, RTCP to its own port', async (t) => {
  const args = rtpSenderArgs(ingest, { width: 1280, height: 720, fps: 25 });
  const at = (flag: string, from = 0) => args[args.indexOf(flag, from) + 1];
  t.equal(at('-g'), '25', 'a keyframe every second at the declared rate');
  t.equal(at('-bf'), '0', 'no B-frames');
  t.equal(at('-profile:v'), 'baseline');
  t.ok(args.includes('rtp://192.0.2.10:40000?rtcpport=40007&pkt_size=1200'));
  t.ok(args.includes('rtp://192.0.2.10:40010?rtcpport=40017&pkt_size=1200'));
  const audioFrom = args.indexOf('0:a:0');
  t.equal(at('-payload_type', audioFrom), '111');
  t.equal(at('-ssrc', audioFrom), '5678');
  t.match(rtpSenderCommand(ingest, { width: 1280, height: 720, fps: 25 }), /^ffmpeg -re -i input\.mp4 .* 'rtp:\/\/192\.0\.2\.10:40000\?rtcpport=40007&pkt_size=1200' /);
});
