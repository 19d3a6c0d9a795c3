import t from 'tap';
import { codecsOfInitSegment } from '../../media/publish/init-segment.ts';

function box(type: string, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + body.length);
  header.write(type, 4, 'latin1');
  return Buffer.concat([header, body]);
}

const trak = (entry: Buffer) => box('trak', box('mdia', box('minf', box('stbl', box('stsd', Buffer.from([0, 0, 0, 0, 0, 0, 0, 1]), entry)))));
/** moov/trak/mdia/minf/stbl/stsd around each sample entry, one track each, as an fMP4 init section holds them. */
const init = (...entries: Buffer[]) =>
  Buffer.concat([box('ftyp', Buffer.from('iso5\0\0\x02\0iso6mp41', 'latin1')), box('moov', box('mvhd', Buffer.alloc(100)), ...entries.map(trak))]);

const avcC = (profile: number, compat: number, level: number) => box('avcC', Buffer.from([1, profile, compat, level, 0xff, 0xe1, 0, 0]));
const visual = (type: string, ...children: Buffer[]) => box(type, Buffer.alloc(78), ...children);

// ES_Descriptor(ES_ID 1) › DecoderConfigDescriptor(0x40 = MPEG-4 audio) › DecoderSpecificInfo(AAC LC, 48 kHz, stereo).
const esds = box(
  'esds',
  Buffer.from([0, 0, 0, 0]),
  Buffer.from([0x03, 0x80, 0x80, 0x80, 25, 0, 1, 0]),
  Buffer.from([0x04, 0x80, 0x80, 0x80, 17, 0x40, 0x15, 0, 0, 0, 0, 1, 0xf4, 0, 0, 1, 0xf4, 0]),
  Buffer.from([0x05, 0x80, 0x80, 0x80, 2, 0x11, 0x90]),
  Buffer.from([0x06, 1, 2]),
);

t.test('an H.264 track: avc1 and the profile, constraint and level bytes of its avcC', async (t) => {
  t.same(codecsOfInitSegment(init(visual('avc1', box('pasp', Buffer.alloc(8)), avcC(0x64, 0x00, 0x1f)))), ['avc1.64001f']);
  t.same(codecsOfInitSegment(init(visual('avc1', avcC(0x42, 0xc0, 0x1f)))), ['avc1.42c01f'], 'a browser’s constrained baseline');
  t.same(codecsOfInitSegment(init(visual('avc3', avcC(0x4d, 0x40, 0x28)))), ['avc3.4d4028'], 'in-band parameter sets keep their own sample entry');
});

t.test('an AAC track: mp4a, the MPEG-4 audio object type and the AAC profile', async (t) => {
  t.same(codecsOfInitSegment(init(box('mp4a', Buffer.alloc(28), esds))), ['mp4a.40.2']);
});

t.test('a rung’s init section with its picture and its sound: both codecs, the picture’s first', async (t) => {
  const video = visual('avc1', avcC(0x64, 0x00, 0x1f));
  const audio = box('mp4a', Buffer.alloc(28), esds);
  t.same(codecsOfInitSegment(init(video, audio)), ['avc1.64001f', 'mp4a.40.2']);
  t.same(codecsOfInitSegment(init(audio, video)), ['avc1.64001f', 'mp4a.40.2'], 'whatever order ffmpeg wrote the tracks in');
  t.equal(codecsOfInitSegment(init(video, visual('hvc1'))), undefined, 'a track of unknown codec: CODECS would be incomplete');
});

t.test('bytes that are not an init section with a known codec give no codec', async (t) => {
  t.equal(codecsOfInitSegment(Buffer.alloc(0)), undefined);
  t.equal(codecsOfInitSegment(Buffer.from('not an mp4 at all, just text')), undefined);
  t.equal(codecsOfInitSegment(init(visual('avc1'))), undefined, 'no avcC');
  t.equal(codecsOfInitSegment(init(visual('hvc1'))), undefined);
  const whole = init(visual('avc1', avcC(0x64, 0, 0x1f)));
  t.equal(codecsOfInitSegment(whole.subarray(0, whole.length - 6)), undefined, 'cut short');
});
