import { join } from 'node:path';
import t from 'tap';
import { argv, buildLadderArgs, inputArgs, ladderFilterGraph, varStreamMap } from '../../media/transcode/hls-args.ts';
import { planLadder } from '../../media/transcode/ladder.ts';

const h264 = planLadder({ width: 1280, height: 720, fps: 30, codec: 'h264' });
const vp8 = planLadder({ width: 1280, height: 720, fps: 30, codec: 'vp8' });
const DIR = '/work/b1';
const file = { kind: 'file', path: '/feeds/in.mp4' } as const;

/** The value after `flag`; fails the test when the flag is missing. */
function valueOf(args: readonly string[], flag: string): string {
  const i = args.indexOf(flag);
  if (i < 0 || i === args.length - 1) throw new Error(`${flag} missing from ${args.join(' ')}`);
  return args[i + 1];
}

/** The values after each flag `expected` names, to compare with `expected` in one assertion. */
const valuesOf = (args: readonly string[], expected: Record<string, string>) =>
  Object.fromEntries(Object.keys(expected).map((flag) => [flag, args.includes(flag) ? valueOf(args, flag) : undefined]));

t.test('RTP input: the SDP file is read with the udp and rtp protocols allowed and its own time stamps', async (t) => {
  const args = inputArgs({ kind: 'rtp', sdpPath: '/work/b1/stream.sdp' });
  t.same(args.slice(-4), ['-f', 'sdp', '-i', '/work/b1/stream.sdp'], 'the input comes last');
  t.equal(valueOf(args, '-protocol_whitelist'), 'file,udp,rtp');
  t.ok(args.indexOf('-protocol_whitelist') < args.indexOf('-i'), 'input options come before -i');
  t.notOk(args.includes('-use_wallclock_as_timestamps'), 'arrival time would stamp each NAL unit apart');
  t.same(inputArgs(file), ['-i', '/feeds/in.mp4']);
  t.same(inputArgs({ ...file, realtime: true }), ['-re', '-i', '/feeds/in.mp4'], 'a recording read like a live feed');
});

t.test('an H.264 source: the top rung is copied, the others scaled from the one decoded picture', async (t) => {
  const args = argv(buildLadderArgs(file, h264, DIR));
  const copy = args.indexOf('-c:v:0');
  t.same(args.slice(copy - 2, copy + 2), ['-map', '0:v:0', '-c:v:0', 'copy']);
  t.equal(
    ladderFilterGraph(h264),
    '[0:v:0]split=2[d1][d2];[d1]scale=854:480:flags=bilinear,setsar=1[r1];[d2]scale=640:360:flags=bilinear,setsar=1[r2]',
  );
  t.equal(valueOf(args, '-filter_complex'), ladderFilterGraph(h264));
  t.same(args.filter((a, i) => args[i - 1] === '-map'), ['0:v:0', '[r1]', '[r2]', '0:a:0', '0:a:0', '0:a:0'], 'video rungs in ladder order, then the sound once for each');
  t.equal(args.filter((a) => a === '-i').length, 1, 'one input, decoded once');
});

t.test('a single re-encoded rung is scaled without a split', async (t) => {
  const sd = planLadder({ width: 854, height: 480, fps: 30, codec: 'h264' });
  t.equal(ladderFilterGraph(sd), '[0:v:0]scale=640:360:flags=bilinear,setsar=1[r1]');
});

t.test('every re-encoded rung is x264 veryfast with its level, rates and a keyframe on every source keyframe', async (t) => {
  const args = argv(buildLadderArgs(file, h264, DIR));
  const expected = {
    '-c:v:1': 'libx264',
    '-preset:v:1': 'veryfast',
    '-level:v:1': '3.1',
    '-level:v:2': '3.0',
    '-b:v:1': '1000k',
    '-maxrate:v:1': '1200k',
    '-bufsize:v:1': '1200k',
    '-b:v:2': '600k',
  };
  t.same(valuesOf(args, expected), expected);
  for (const i of [1, 2]) {
    t.equal(valueOf(args, `-sc_threshold:v:${i}`), '0', `rung ${i}: no keyframes on scene cuts`);
    t.equal(valueOf(args, `-force_key_frames:v:${i}`), 'source', `rung ${i} cuts where the copied rung cuts`);
    t.equal(valueOf(args, `-g:v:${i}`), '60', `rung ${i}: its own interval only backs up a missed source keyframe`);
    t.equal(valueOf(args, `-bf:v:${i}`), '0');
    t.equal(valueOf(args, `-x264-params:v:${i}`), 'rc-lookahead=0:sync-lookahead=0:mbtree=0', `rung ${i} holds no frames back for a lookahead`);
  }
  t.notOk(args.some((a) => a.startsWith('-') && a.endsWith(':v:0') && a !== '-c:v:0'), 'nothing is set for the copied stream but copy');
});

t.test('a VP8 source: every rung re-encoded, a keyframe every second, GOP = fps × segment', async (t) => {
  const args = argv(buildLadderArgs(file, vp8, DIR));
  t.notOk(args.includes('copy'));
  t.match(ladderFilterGraph(vp8), /^\[0:v:0\]split=3\[d0\]\[d1\]\[d2\];\[d0\]scale=1280:720:flags=bilinear,setsar=1\[r0\];/);
  for (const i of [0, 1, 2]) {
    t.equal(valueOf(args, `-force_key_frames:v:${i}`), 'expr:gte(t,n_forced*1)');
    t.equal(valueOf(args, `-g:v:${i}`), '30');
    t.equal(valueOf(args, `-keyint_min:v:${i}`), '30');
    t.equal(valueOf(args, `-sc_threshold:v:${i}`), '0');
  }
});

t.test('sound: every rung carries its own AAC track, 128k 48 kHz stereo, and there is no audio rendition', async (t) => {
  const args = argv(buildLadderArgs(file, h264, DIR));
  t.equal(args.filter((a, i) => a === '0:a:0' && args[i - 1] === '-map').length, 3, 'the sound is mapped once per rung');
  for (const i of [0, 1, 2]) {
    const expected = { [`-filter:a:${i}`]: 'aresample=async=1', [`-c:a:${i}`]: 'aac', [`-b:a:${i}`]: '128k', [`-ar:a:${i}`]: '48000', [`-ac:a:${i}`]: '2' };
    t.same(valuesOf(args, expected), expected, `rung ${i}'s sound`);
  }
  t.notOk(args.includes('-c:a:3'));
  t.equal(varStreamMap(h264), 'v:0,a:0,name:720p v:1,a:1,name:480p v:2,a:2,name:360p');
  t.notMatch(varStreamMap(h264), /agroup|name:audio/, 'no separate audio rendition');
  t.equal(valueOf(args, '-var_stream_map'), varStreamMap(h264));
  t.equal(varStreamMap(vp8), 'v:0,a:0,name:720p v:1,a:1,name:480p v:2,a:2,name:360p', 'the VP8 ladder too');
});

t.test('HLS output: 1-second fMP4 segments, an EVENT playlist per rendition, dated segments, no ffmpeg master', async (t) => {
  const args = argv(buildLadderArgs(file, h264, DIR));
  const expected = { '-f': 'hls', '-hls_time': '1', '-hls_segment_type': 'fmp4', '-hls_playlist_type': 'event' };
  t.same(valuesOf(args, expected), expected);
  const flags = valueOf(args, '-hls_flags').split('+');
  for (const flag of ['independent_segments', 'program_date_time', 'omit_endlist', 'temp_file']) t.ok(flags.includes(flag), flag);
  t.equal(valueOf(args, '-hls_fmp4_init_filename'), 'init_%v.mp4');
  t.equal(valueOf(args, '-hls_segment_filename'), join(DIR, '%v', 'seg_%05d.m4s'));
  t.notOk(args.includes('-master_pl_name'), 'the media node writes the multivariant playlist');
  t.equal(args.at(-1), join(DIR, '%v', 'index.m3u8'), 'the playlist pattern is the output, last');
  t.ok(args.indexOf('-f') > args.lastIndexOf('-map'), 'muxer options follow the mappings');
});

t.test('a single rung without sound names its init section itself: ffmpeg fills in %v only for several', async (t) => {
  const plan = planLadder({ width: 320, height: 240, fps: 15, codec: 'h264', audio: false });
  const args = argv(buildLadderArgs(file, plan, DIR));
  t.notOk(args.includes('-filter_complex'), 'nothing to scale');
  t.notOk(args.includes('0:a:0'));
  t.equal(valueOf(args, '-var_stream_map'), 'v:0,name:240p');
  t.equal(valueOf(args, '-hls_fmp4_init_filename'), 'init_240p.mp4');
});

t.test('the command is a list of arguments: no element is a shell string', async (t) => {
  const args = argv(buildLadderArgs({ kind: 'rtp', sdpPath: '/a dir/with space.sdp' }, h264, '/out dir'));
  t.ok(args.includes('/a dir/with space.sdp'), 'a path with a space is one argument');
  t.notOk(args.some((a) => a === 'sh' || a === '-c' || /[;&|]\s/.test(a) || a.includes('$(')));
});
