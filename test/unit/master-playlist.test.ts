import t from 'tap';
import { masterPlaylist, playlistOrder } from '../../media/publish/master-playlist.ts';
import { planLadder } from '../../media/transcode/ladder.ts';
import { tagAttributes } from '../helpers/media.ts';

const plan = planLadder({ width: 1920, height: 1080, fps: 30, codec: 'h264' });
const codecs = {
  '1080p': ['avc1.640028', 'mp4a.40.2'],
  '720p': ['avc1.64001f', 'mp4a.40.2'],
  '480p': ['avc1.64001f', 'mp4a.40.2'],
  '360p': ['avc1.64001e', 'mp4a.40.2'],
};

t.test('every rung is listed with BANDWIDTH, AVERAGE-BANDWIDTH, RESOLUTION, CODECS and FRAME-RATE, its sound inside it', async (t) => {
  const text = masterPlaylist(plan, codecs);
  t.match(text, /^#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n/);
  t.notMatch(text, /EXT-X-MEDIA|AUDIO=/, 'no separate audio rendition: the light hls.js build plays every variant with sound');
  const variants = tagAttributes(text, '#EXT-X-STREAM-INF');
  t.equal(variants.length, 4);
  const p720 = variants.find((v) => v.RESOLUTION === '1280x720')!;
  t.same(p720, {
    BANDWIDTH: String(3_000_000 + 128_000),
    'AVERAGE-BANDWIDTH': String(2_500_000 + 128_000),
    RESOLUTION: '1280x720',
    CODECS: 'avc1.64001f,mp4a.40.2',
    'FRAME-RATE': '30.000',
  });
  t.ok(variants.every((v) => v.CODECS && v['FRAME-RATE'] && v.RESOLUTION && v.BANDWIDTH && v['AVERAGE-BANDWIDTH']), 'the copied rung too');
  t.equal(variants.find((v) => v.RESOLUTION === '1920x1080')!.CODECS, 'avc1.640028,mp4a.40.2');
});

t.test('players start on 480p, listed first; the others follow largest first, each with its playlist', async (t) => {
  const text = masterPlaylist(plan, codecs);
  const uris = text.split('\n').filter((l) => l && !l.startsWith('#'));
  t.same(uris, ['480p/index.m3u8', '1080p/index.m3u8', '720p/index.m3u8', '360p/index.m3u8']);
  const tiny = planLadder({ width: 320, height: 240, fps: 15, codec: 'vp8' });
  t.same(playlistOrder(tiny.rungs).map((r) => r.name), ['240p']);
  const portrait = planLadder({ width: 720, height: 1280, fps: 30, codec: 'h264' });
  t.equal(playlistOrder(portrait.rungs)[0].name, '480p', 'judged by the short side');
});

t.test('a fractional frame rate keeps three decimals', async (t) => {
  const ntsc = planLadder({ width: 640, height: 360, fps: 30000 / 1001, codec: 'vp8' });
  t.match(masterPlaylist(ntsc, { '360p': ['avc1.64001e', 'mp4a.40.2'] }), /FRAME-RATE=29\.970/);
});

t.test('without sound CODECS names the picture alone, and BANDWIDTH counts no sound', async (t) => {
  const silent = planLadder({ width: 1280, height: 720, fps: 25, codec: 'h264', audio: false });
  const text = masterPlaylist(silent, { '720p': ['avc1.64001f'], '480p': ['avc1.64001f'], '360p': ['avc1.64001e'] });
  t.notMatch(text, /EXT-X-MEDIA|AUDIO=/);
  t.equal(tagAttributes(text, '#EXT-X-STREAM-INF').find((v) => v.RESOLUTION === '854x480')!.BANDWIDTH, '1200000');
  t.same(tagAttributes(text, '#EXT-X-STREAM-INF').map((v) => v.CODECS), ['avc1.64001f', 'avc1.64001f', 'avc1.64001e']);
});

t.test('a rendition whose codec is unknown is refused rather than listed without CODECS', async (t) => {
  t.throws(() => masterPlaylist(plan, { ...codecs, '1080p': undefined }), /1080p/);
});
