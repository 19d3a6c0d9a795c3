// A recorded clip's ladder and ffmpeg commands, as data: which rungs, which one is copied, and the exact
// options that make VOD playlists, 2-second segments and the poster and thumbnails.
import t from 'tap';
import { stillsArgs, thumbnailsVtt, vodLadderArgs } from '../../media/vod/args.ts';
import { summariseStderr, vodFailed } from '../../media/vod/failure.ts';
import { playlistSegments, segmentRates } from '../../media/vod/measure.ts';
import { copyable, planVod } from '../../media/vod/plan.ts';
import { longestKeyframeGap, type VodSourceInfo } from '../../media/vod/source.ts';

const phone: VodSourceInfo = {
  durationSeconds: 60,
  width: 1920,
  height: 1080,
  fps: 30,
  codec: 'h264',
  profile: 'High',
  pixFmt: 'yuv420p',
  rotation: 0,
  audio: true,
  keyframeInterval: 1,
};
const rungs = (source: VodSourceInfo) => planVod(source).rungs.map((r) => `${r.name} ${r.width}x${r.height}${r.passthrough ? ' copy' : ''}`);
const after = (args: string[], flag: string) => args[args.indexOf(flag) + 1];

t.test('a phone’s 1080p H.264 is copied as the top rung and the smaller rungs are re-encoded', async (t) => {
  t.same(rungs(phone), ['1080p 1920x1080 copy', '720p 1280x720', '480p 854x480', '360p 640x360']);
  const plan = planVod(phone);
  t.equal(plan.segmentSeconds, 2);
  t.equal(plan.keyframes, 'source', 're-encoded rungs put their keyframes on the source’s');
});

t.test('an old camcorder’s 640x360 MPEG-4 becomes one re-encoded 360p rung, never upscaled', async (t) => {
  const camcorder = { ...phone, width: 640, height: 360, codec: 'mpeg4', profile: 'Simple Profile' };
  t.same(rungs(camcorder), ['360p 640x360']);
  t.equal(planVod(camcorder).keyframes, 'cadence', 'a keyframe every segment');
});

t.test('rungs above the source’s height are skipped', async (t) => {
  t.same(rungs({ ...phone, width: 1280, height: 720 }), ['720p 1280x720 copy', '480p 854x480', '360p 640x360']);
  t.same(rungs({ ...phone, width: 3840, height: 2160 }), ['1080p 1920x1080', '720p 1280x720', '480p 854x480', '360p 640x360'], 'a 4K source is re-encoded from 1080p down');
});

t.test('a portrait recording keeps its orientation in every rung', async (t) => {
  t.same(rungs({ ...phone, width: 1080, height: 1920 }), ['1080p 1080x1920 copy', '720p 720x1280', '480p 480x854', '360p 360x640']);
});

t.test('H.264 a phone may not decode, a rotation flag, or sparse keyframes is re-encoded', async (t) => {
  t.notOk(copyable({ ...phone, profile: 'High 10', pixFmt: 'yuv420p10le' }), '10-bit');
  t.notOk(copyable({ ...phone, profile: 'High 4:2:2', pixFmt: 'yuv422p' }), '4:2:2');
  t.notOk(copyable({ ...phone, rotation: -90 }), 'rotated by a flag a copy would lose');
  t.ok(copyable({ ...phone, profile: 'Constrained Baseline', pixFmt: 'yuvj420p' }), 'a webcam’s baseline');
  t.notOk(planVod({ ...phone, keyframeInterval: 5 }).rungs[0].passthrough, 'keyframes 5 s apart cannot be cut into 2-second segments');
  t.ok(planVod({ ...phone, keyframeInterval: 2 }).rungs[0].passthrough, 'every 2 s still can');
});

t.test('a clip without sound gets no audio in any rung', async (t) => {
  const plan = planVod({ ...phone, audio: false });
  t.equal(plan.audio, null);
  const args = vodLadderArgs('/in/clip.mp4', plan, '/stage');
  t.notOk(args.includes('0:a:0'), 'no audio mapped');
  t.equal(after(args, '-var_stream_map'), 'v:0,name:1080p v:1,name:720p v:2,name:480p v:3,name:360p');
});

t.test('the ladder command writes VOD playlists of 2-second fMP4 segments, the top rung copied', async (t) => {
  const args = vodLadderArgs('/in/clip.mp4', planVod(phone), '/stage');
  t.same(args.slice(0, 2), ['-i', '/in/clip.mp4'], 'read as fast as it decodes, not at its own pace');
  t.equal(after(args, '-hls_playlist_type'), 'vod');
  t.equal(after(args, '-hls_time'), '2');
  t.equal(after(args, '-hls_segment_type'), 'fmp4');
  t.equal(after(args, '-hls_flags'), 'independent_segments+temp_file', 'ffmpeg writes ENDLIST itself');
  t.equal(after(args, '-c:v:0'), 'copy');
  t.equal(after(args, '-c:v:1'), 'libx264');
  t.equal(after(args, '-force_key_frames:v:1'), 'source');
  t.equal(args.at(-1), '/stage/%v/index.m3u8');
});

t.test('re-encoding every rung puts a keyframe at every segment boundary', async (t) => {
  const args = vodLadderArgs('/in/old.avi', planVod({ ...phone, codec: 'mpeg4', profile: null }), '/stage');
  t.equal(after(args, '-c:v:0'), 'libx264');
  t.equal(after(args, '-force_key_frames:v:0'), 'expr:gte(t,n_forced*2)');
  t.equal(after(args, '-g:v:0'), '60');
});

t.test('the stills command takes the poster 10 % in, at most 1280 wide, and a thumbnail every 10 s from keyframes', async (t) => {
  const args = stillsArgs('/in/clip.mp4', 60, '/stage');
  t.same(args.slice(0, 7), ['-ss', '6.000', '-i', '/in/clip.mp4', '-skip_frame', 'nokey', '-i']);
  t.ok(args.includes("scale='min(1280,iw)':-2"));
  t.equal(args.at(-1), '/stage/thumbs/%04d.jpg');
  t.match(args.join(' '), /select='isnan\(prev_selected_t\)\+gte\(t-prev_selected_t\\,10\)'/);
});

t.test('the thumbnails track maps each stretch of the clip to its image, the last one cut at the end', async (t) => {
  t.equal(
    thumbnailsVtt(3, 25),
    'WEBVTT\n\n00:00:00.000 --> 00:00:10.000\nthumbs/0001.jpg\n\n00:00:10.000 --> 00:00:20.000\nthumbs/0002.jpg\n\n00:00:20.000 --> 00:00:25.000\nthumbs/0003.jpg\n',
  );
});

t.test('the keyframe cadence is the longest gap between keyframe packets, in presentation order', async (t) => {
  t.equal(longestKeyframeGap('0.000000,K_\n0.100000,__\n2.000000,K_\n1.500000,__\n5.000000,K_\n', 60), 3);
  t.equal(longestKeyframeGap('0.000000,K_\n0.033000,__\n', 12), 12, 'a single keyframe: the whole window');
});

t.test('a failure’s reason is ffmpeg’s error lines, kept short, in both languages', async (t) => {
  const tail = ['[h264 @ 0x1] mmco: unref short failure', 'frame=  100 fps=50', 'Error while decoding stream #0:0: Invalid data found when processing input', 'Conversion failed!'].join('\n');
  t.equal(summariseStderr(tail), 'Error while decoding stream #0:0: Invalid data found when processing input / Conversion failed!');
  t.equal(summariseStderr('x'.repeat(1000)).length, 300);
  const error = vodFailed('the ladder: ffmpeg exited with 1');
  t.equal(error.code, 'VOD_FAILED');
  t.match(error.message['zh-CN'], /转码失败/);
  t.match(error.message.en, /could not be transcoded: the ladder/);
});

t.test('a rendition’s rates are measured from its segments: the peak segment and the average', async (t) => {
  const playlist = '#EXTM3U\n#EXT-X-MAP:URI="init_720p.mp4"\n#EXTINF:2.000000,\nseg_00000.m4s\n#EXTINF:2.000000,\nseg_00001.m4s\n#EXTINF:1.000000,\nseg_00002.m4s\n#EXT-X-ENDLIST\n';
  t.same(playlistSegments(playlist), [
    { seconds: 2, uri: 'seg_00000.m4s' },
    { seconds: 2, uri: 'seg_00001.m4s' },
    { seconds: 1, uri: 'seg_00002.m4s' },
  ]);
  t.same(segmentRates([{ seconds: 2, bytes: 250_000 }, { seconds: 2, bytes: 500_000 }, { seconds: 1, bytes: 125_000 }]), { peak: 2_000_000, average: 1_400_000 });
});
