import t from 'tap';
import { h264Level, planLadder, type LadderSource } from '../../media/transcode/ladder.ts';

const sizes = (source: LadderSource) => planLadder(source).rungs.map((r) => `${r.name} ${r.width}x${r.height}${r.passthrough ? ' copy' : ''}`);

t.test('a 1080p H.264 source gets four rungs, the top one copied as it is', async (t) => {
  const plan = planLadder({ width: 1920, height: 1080, fps: 30, codec: 'h264' });
  t.same(sizes({ width: 1920, height: 1080, fps: 30, codec: 'h264' }), ['1080p 1920x1080 copy', '720p 1280x720', '480p 854x480', '360p 640x360']);
  t.equal(plan.rungs[0].level, null, 'a copied rung keeps the level the sender chose');
  t.same(
    plan.rungs.slice(1).map((r) => [r.bitrate, r.maxBitrate]),
    [[2_500_000, 3_000_000], [1_000_000, 1_200_000], [600_000, 720_000]],
  );
  t.equal(plan.keyframes, 'source', 're-encoded rungs cut where the copied one can');
  t.equal(plan.keyframeRequestMs, 1000, 'the producer is asked for a keyframe every segment');
  t.same(plan.audio, { codec: 'aac', bitrate: 128_000, sampleRate: 48_000, channels: 2 }, 'the sound every rung carries');
});

t.test('a 720p H.264 source gets three rungs: nothing is made above it', async (t) => {
  t.same(sizes({ width: 1280, height: 720, fps: 30, codec: 'h264' }), ['720p 1280x720 copy', '480p 854x480', '360p 640x360']);
});

t.test('a VP8 source is re-encoded on every rung, keyframes every segment', async (t) => {
  const plan = planLadder({ width: 1280, height: 720, fps: 30, codec: 'vp8' });
  t.same(sizes({ width: 1280, height: 720, fps: 30, codec: 'vp8' }), ['720p 1280x720', '480p 854x480', '360p 640x360']);
  t.equal(plan.keyframes, 'cadence');
  t.equal(plan.keyframeRequestMs, 2000, 'a keyframe every 2 s un-freezes VP8 after a lost packet');
  t.same(plan.rungs.map((r) => r.level), [31, 31, 30]);
});

t.test('a portrait phone is judged by its short side and stays portrait', async (t) => {
  t.same(sizes({ width: 720, height: 1280, fps: 30, codec: 'h264' }), ['720p 720x1280 copy', '480p 480x854', '360p 360x640']);
  t.same(sizes({ width: 1080, height: 1920, fps: 30, codec: 'vp8' }), ['1080p 1080x1920', '720p 720x1280', '480p 480x854', '360p 360x640']);
});

t.test('a source smaller than 360p gets one rendition at its own size', async (t) => {
  t.same(sizes({ width: 320, height: 240, fps: 15, codec: 'vp8' }), ['240p 320x240']);
  t.same(sizes({ width: 320, height: 240, fps: 15, codec: 'h264' }), ['240p 320x240 copy']);
  t.same(sizes({ width: 427, height: 241, fps: 15, codec: 'vp8' }), ['240p 426x240'], 'dimensions are even');
  const [only] = planLadder({ width: 320, height: 240, fps: 15, codec: 'vp8' }).rungs;
  t.ok(only.bitrate > 0 && only.bitrate < 600_000, 'fewer bits than the 360p rung');
  t.equal(planLadder({ width: 320, height: 240, fps: 15, codec: 'h264' }).rungs[0].bitrate, only.bitrate, 'copied or not, the same nominal rate');
});

t.test('an H.264 source between rungs is the top rung at its own size; a rung just below it is left out', async (t) => {
  t.same(sizes({ width: 1600, height: 900, fps: 30, codec: 'h264' }), ['900p 1600x900 copy', '720p 1280x720', '480p 854x480', '360p 640x360']);
  t.same(sizes({ width: 1366, height: 768, fps: 30, codec: 'h264' }), ['768p 1366x768 copy', '480p 854x480', '360p 640x360']);
  t.same(sizes({ width: 1366, height: 768, fps: 30, codec: 'vp8' }), ['720p 1280x720', '480p 854x480', '360p 640x360']);
});

t.test('an H.264 source above 1080p, or with keyframes too far apart to cut segments on, is re-encoded', async (t) => {
  t.same(sizes({ width: 2560, height: 1440, fps: 30, codec: 'h264' }), ['1080p 1920x1080', '720p 1280x720', '480p 854x480', '360p 640x360']);
  const obs = planLadder({ width: 1280, height: 720, fps: 30, codec: 'h264', keyframeInterval: 4 });
  t.notOk(obs.rungs.some((r) => r.passthrough));
  t.equal(obs.keyframes, 'cadence');
  t.ok(planLadder({ width: 1280, height: 720, fps: 30, codec: 'h264', keyframeInterval: 2 }).rungs[0].passthrough, 'two seconds still fits the target duration');
});

t.test('no rung is ever above the source, and every dimension is even', async (t) => {
  for (const [width, height] of [[1920, 1080], [1280, 720], [640, 480], [1080, 1920], [1366, 768], [854, 480], [400, 300]]) {
    for (const codec of ['h264', 'vp8'] as const) {
      const source = { width, height, fps: 30, codec };
      for (const rung of planLadder(source).rungs) {
        t.ok(Math.min(rung.width, rung.height) <= Math.min(width, height), `${width}x${height} ${codec}: ${rung.name} is not above the source`);
        if (!rung.passthrough) t.ok(rung.width % 2 === 0 && rung.height % 2 === 0, `${width}x${height} ${codec}: ${rung.name} has even sides`);
      }
    }
  }
});

t.test('the passthrough rung states the sender’s peak bit rate when it is known', async (t) => {
  const [top] = planLadder({ width: 1280, height: 720, fps: 30, codec: 'h264', maxBitrate: 1_800_000 }).rungs;
  t.equal(top.maxBitrate, 1_800_000);
  t.equal(top.bitrate, 1_800_000, 'the average is never above the peak');
});

t.test('a source without sound gets no AAC track in its rungs', async (t) => {
  t.equal(planLadder({ width: 1280, height: 720, fps: 30, codec: 'h264', audio: false }).audio, null);
});

t.test('H.264 levels are the lowest that hold the picture, frame rate and peak rate', async (t) => {
  t.equal(h264Level(1920, 1080, 30, 5_400_000), 40);
  t.equal(h264Level(1280, 720, 30, 3_000_000), 31);
  t.equal(h264Level(1280, 720, 60, 3_000_000), 32);
  t.equal(h264Level(854, 480, 30, 1_200_000), 31, '480p30 is over level 3.0’s macroblock rate');
  t.equal(h264Level(640, 360, 30, 720_000), 30);
  t.equal(h264Level(320, 240, 15, 200_000), 20);
});
