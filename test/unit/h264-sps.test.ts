// The picture size read from the SPS of streams x264 really wrote (through Debian's ffmpeg), in the RTP
// shapes mediasoup forwards them.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import t from 'tap';
import { rtpPayload, spsInRtpPayload, spsPictureSize } from '../../media/ingest/h264-sps.ts';

const run = promisify(execFile);

/** The first SPS NAL unit of a one-frame Annex B stream x264 encodes at `size` with `profile`. */
async function spsOf(size: string, profile: string, extra: string[] = []): Promise<Buffer> {
  const { stdout } = await run(
    'ffmpeg',
    ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=30`, '-frames:v', '1', '-c:v', 'libx264', '-profile:v', profile, ...extra, '-f', 'h264', 'pipe:1'],
    { encoding: 'buffer', maxBuffer: 16 * 1024 * 1024 },
  );
  const nals = stdout.toString('latin1').split('\x00\x00\x01').slice(1).map((s) => Buffer.from(s.replace(/\x00+$/, ''), 'latin1'));
  const sps = nals.find((n) => (n[0] & 0x1f) === 7);
  if (!sps) throw new Error('x264 wrote no SPS');
  return sps;
}

const rtp = (payload: Buffer, { csrcs = 0, extensionWords = -1 } = {}) => {
  const header = Buffer.alloc(12 + csrcs * 4);
  header[0] = 0x80 | csrcs | (extensionWords >= 0 ? 0x10 : 0);
  header[1] = 102;
  const extension = extensionWords >= 0 ? Buffer.concat([Buffer.from([0xbe, 0xde, 0, extensionWords]), Buffer.alloc(extensionWords * 4)]) : Buffer.alloc(0);
  return Buffer.concat([header, extension, payload]);
};

for (const [size, profile, extra] of [
  ['1280x720', 'baseline', []],
  ['1920x1080', 'high', []],
  ['854x480', 'main', []],
  ['640x360', 'high', ['-x264-params', 'cqm=jvt']],
  ['720x1280', 'high', []],
] as const) {
  t.test(`a ${profile} SPS says ${size}${extra.length ? ' with scaling matrices' : ''}`, async (t) => {
    const [width, height] = size.split('x').map(Number);
    t.same(spsPictureSize(await spsOf(size, profile, [...extra])), { width, height });
  });
}

t.test('an SPS is found alone in a packet and inside a STAP-A, behind CSRCs and a header extension', async (t) => {
  const sps = await spsOf('1280x720', 'baseline');
  const pps = Buffer.from([0x68, 0xce, 0x3c, 0x80]);
  const stapA = Buffer.concat([Buffer.from([0x78]), Buffer.from([0, sps.length]), sps, Buffer.from([0, pps.length]), pps]);
  t.same(spsInRtpPayload(rtpPayload(rtp(sps))!), [sps]);
  t.same(spsInRtpPayload(rtpPayload(rtp(stapA, { csrcs: 2, extensionWords: 1 }))!), [sps]);
  t.same(spsInRtpPayload(pps), [], 'a PPS is not an SPS');
  t.equal(rtpPayload(Buffer.from([0x40, 0, 0])), undefined, 'not RTP');
});
