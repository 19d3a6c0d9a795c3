// The picture size read from VP8 keyframes libvpx really wrote (through Debian's ffmpeg), as RTP packets
// ffmpeg's own VP8 packetiser sent to a socket of this test.
import { execFile } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { promisify } from 'node:util';
import t from 'tap';
import { rtpPayload } from '../../media/ingest/h264-sps.ts';
import { vp8KeyframeSize } from '../../media/ingest/vp8-keyframe.ts';
import { until } from '../helpers/until.ts';

const run = promisify(execFile);

/** The RTP payloads of `frames` frames of a test pattern that libvpx encodes at `size` (a keyframe first). */
async function vp8Payloads(size: string, frames: number): Promise<Buffer[]> {
  const socket = createSocket('udp4');
  const payloads: Buffer[] = [];
  socket.on('message', (packet) => payloads.push(rtpPayload(packet)!));
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  try {
    const { port } = socket.address();
    await run('ffmpeg', [
      '-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=30`, '-frames:v', String(frames),
      '-c:v', 'libvpx', '-g', '300', '-b:v', '1M', '-f', 'rtp', '-payload_type', '96', `rtp://127.0.0.1:${port}?pkt_size=1200`,
    ]);
    // The packets are in the socket's buffer once ffmpeg has exited; the loop hands them over next.
    await until('the frames arrive', () => payloads.filter((p) => p[0] & 0x10).length >= frames, 5_000);
    return payloads;
  } finally {
    socket.close();
  }
}

for (const size of ['1280x720', '640x360', '320x180', '720x1280', '642x362']) {
  t.test(`a libvpx keyframe at ${size} says ${size}; its other packets and the frames after it say nothing`, async (t) => {
    const [width, height] = size.split('x').map(Number);
    const payloads = await vp8Payloads(size, 3);
    t.ok(payloads.length > 3, 'the keyframe spans several packets');
    t.same(payloads.map(vp8KeyframeSize).filter(Boolean), [{ width, height }], 'one size, from the packet that starts the keyframe');
  });
}

t.test('the size is found behind every optional field of the payload descriptor', async (t) => {
  const [first] = await vp8Payloads('640x360', 1);
  // ffmpeg writes X and a 15-bit PictureID (90 80 xx xx); a browser also sends TL0PICIDX and TID/KEYIDX.
  t.same(first.subarray(0, 2), Buffer.from([0x90, 0x80]), 'ffmpeg’s descriptor: X, then I with a long PictureID');
  const frame = first.subarray(4);
  const full = Buffer.concat([Buffer.from([0x90, 0xf0, 0x80 | 0x12, 0x34, 0x07, 0x40]), frame]);
  const short = Buffer.concat([Buffer.from([0x90, 0x80, 0x12]), frame]);
  const bare = Buffer.concat([Buffer.from([0x10]), frame]);
  for (const payload of [full, short, bare]) t.same(vp8KeyframeSize(payload), { width: 640, height: 360 });
  t.equal(vp8KeyframeSize(Buffer.concat([Buffer.from([0x00]), frame])), undefined, 'a packet that does not start a frame');
  t.equal(vp8KeyframeSize(Buffer.concat([Buffer.from([0x11]), frame])), undefined, 'a packet of another partition');
  t.equal(vp8KeyframeSize(Buffer.from([0x90, 0x80])), undefined, 'a descriptor cut short');
});
