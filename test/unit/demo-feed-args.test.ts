import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import t from 'tap';
import { DEMO_FONT, demoFeedArgs } from '../../media/transcode/demo-feed-args.ts';

const run = promisify(execFile);

const target = {
  ip: '127.0.0.1',
  video: { port: 40000, rtcpPort: 40001, payloadType: 102, ssrc: 11111111, codec: 'H264', clockRate: 90000 },
  audio: { port: 40002, rtcpPort: 40003, payloadType: 111, ssrc: 22222222, codec: 'opus', clockRate: 48000, channels: 2 },
};
const localPorts = { videoRtp: 50000, videoRtcp: 50001, audioRtp: 50002, audioRtcp: 50003 };
// 12:34:56.5 local time.
const args = demoFeedArgs({ target, localPorts, width: 1280, height: 720, fps: 30, clockOffsetSeconds: 45296.5 });

const valueOf = (list: readonly string[], flag: string) => list[list.indexOf(flag) + 1];

t.test('each track goes to its ingest port with the payload type, SSRC and RTCP port the ingest asked for, from fixed local ports', async (t) => {
  const urls = args.filter((a) => a.startsWith('rtp://'));
  t.same(urls, [
    'rtp://127.0.0.1:40000?rtcpport=40001&localrtpport=50000&localrtcpport=50001&pkt_size=1200',
    'rtp://127.0.0.1:40002?rtcpport=40003&localrtpport=50002&localrtcpport=50003&pkt_size=1200',
  ]);
  // Output options come before their URL: the video output's end where the audio output's begin.
  const video = args.slice(args.indexOf('-i') + 2, args.indexOf(urls[0]) + 1);
  const audio = args.slice(args.indexOf(urls[0]) + 1);
  t.same([valueOf(video, '-map'), valueOf(video, '-f'), valueOf(video, '-payload_type'), valueOf(video, '-ssrc')], ['0:v:0', 'rtp', '102', '11111111']);
  t.same([valueOf(audio, '-map'), valueOf(audio, '-f'), valueOf(audio, '-payload_type'), valueOf(audio, '-ssrc')], ['0:a:0', 'rtp', '111', '22222222']);
});

t.test('the picture is H.264 constrained baseline for low latency with a keyframe every second, the sound Opus 48 kHz stereo', async (t) => {
  const flags = ['-c:v', '-profile:v', '-preset', '-tune', '-pix_fmt', '-g', '-keyint_min', '-bf', '-c:a', '-ar', '-ac'];
  t.same(Object.fromEntries(flags.map((f) => [f, valueOf(args, f)])), {
    '-c:v': 'libx264', '-profile:v': 'baseline', '-preset': 'ultrafast', '-tune': 'zerolatency', '-pix_fmt': 'yuv420p',
    '-g': '30', '-keyint_min': '30', '-bf': '0', '-c:a': 'libopus', '-ar': '48000', '-ac': '2',
  });
  const at25 = demoFeedArgs({ target, localPorts, width: 640, height: 360, fps: 25, clockOffsetSeconds: 0 });
  t.same([valueOf(at25, '-g'), valueOf(at25, '-keyint_min')], ['25', '25'], 'the GOP follows the frame rate');
});

t.test('the synthetic input is read in real time: a test pattern with the clock and the Chinese label, and a tone', async (t) => {
  t.same(args.slice(0, 4), ['-re', '-f', 'lavfi', '-i']);
  const graph = valueOf(args, '-i');
  t.match(graph, /^testsrc2=size=1280x720:rate=30,/);
  t.match(graph, /text='%\{pts\\:hms\\:45296\.500\\:24HH\}'/, 'the clock is the start time of day plus the frame time, in milliseconds');
  t.match(graph, /text='邻播 Linbo 测试信号'/);
  t.match(graph, new RegExp(`fontfile=${DEMO_FONT}:`));
  t.match(graph, /\[out0\];sine=frequency=440:[^;]*\[out1\]$/);
});

t.test('the font is installed and ffmpeg renders the graph', async (t) => {
  t.ok(existsSync(DEMO_FONT), `${DEMO_FONT} (Debian fonts-noto-cjk)`);
  const input = args.slice(0, args.indexOf('-i') + 2).filter((a) => a !== '-re');
  const { stderr } = await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', ...input, '-map', '0:v', '-frames:v', '2', '-f', 'null', '-']);
  t.equal(stderr, '', 'no error from the filter graph');
});
