import t from 'tap';
import { mediaInfoFromFfprobe } from '../../media/ffmpeg/probe.ts';

// Trimmed from `ffprobe -print_format json -show_format -show_streams` on a phone recording.
const PROBE = {
  streams: [
    { index: 0, codec_name: 'h264', codec_type: 'video', profile: 'High', width: 1920, height: 1080, level: 40, r_frame_rate: '30000/1001', avg_frame_rate: '30000/1001', bit_rate: '8000000' },
    { index: 1, codec_name: 'aac', codec_type: 'audio', profile: 'LC', sample_rate: '48000', channels: 2, bit_rate: '128000' },
    { index: 2, codec_name: 'bin_data', codec_type: 'data' },
  ],
  format: { duration: '12.345000', bit_rate: '8131072' },
};

t.test('ffprobe output becomes numbers, with the first video and audio stream at hand', async (t) => {
  const info = mediaInfoFromFfprobe(PROBE);
  t.equal(info.durationSeconds, 12.345);
  t.equal(info.bitrate, 8_131_072);
  t.equal(info.streams.length, 2, 'data streams are not media');
  t.same(info.video, { kind: 'video', index: 0, codec: 'h264', profile: 'High', level: 40, width: 1920, height: 1080, fps: 30000 / 1001, bitrate: 8_000_000 });
  t.same(info.audio, { kind: 'audio', index: 1, codec: 'aac', sampleRate: 48_000, channels: 2, bitrate: 128_000 });
});

t.test('what ffprobe does not know is null: N/A, 0/0 rates, missing fields', async (t) => {
  const info = mediaInfoFromFfprobe({
    streams: [{ index: 0, codec_name: 'vp8', codec_type: 'video', width: 640, height: 480, level: -99, avg_frame_rate: '0/0', r_frame_rate: '25/1', bit_rate: 'N/A' }],
    format: { duration: 'N/A' },
  });
  t.same(info.video, { kind: 'video', index: 0, codec: 'vp8', profile: null, level: null, width: 640, height: 480, fps: 25, bitrate: null });
  t.equal(info.durationSeconds, null);
  t.equal(info.audio, null);
});

t.test('a file with no streams, or no output at all, describes nothing', async (t) => {
  t.same(mediaInfoFromFfprobe({}), { container: null, durationSeconds: null, bitrate: null, streams: [], video: null, audio: null });
  t.same(mediaInfoFromFfprobe(null).streams, []);
});
