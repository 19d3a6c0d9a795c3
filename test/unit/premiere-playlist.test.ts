import t from 'tap';
import { parseVodPlaylist, premiereMaster, premierePlaylist, segmentsReached, WINDOW_SEGMENTS } from '../../server/premieres/playlist.ts';

// A 19-second clip as a VOD job writes it: 2-s fMP4 segments, the last one shorter.
const VOD = [
  '#EXTM3U',
  '#EXT-X-VERSION:7',
  '#EXT-X-TARGETDURATION:2',
  '#EXT-X-MEDIA-SEQUENCE:0',
  '#EXT-X-PLAYLIST-TYPE:VOD',
  '#EXT-X-MAP:URI="init.mp4"',
  ...Array.from({ length: 10 }, (_, i) => [`#EXTINF:${i === 9 ? '1.000000' : '2.000000'},`, `seg_${String(i).padStart(5, '0')}.m4s`]).flat(),
  '#EXT-X-ENDLIST',
  '',
].join('\n');

const vod = parseVodPlaylist(VOD);
const startedAt = new Date('2026-12-05T11:00:00.000Z');
const urlOf = (uri: string) => `https://media.example.cn/clips/c1/720p/${uri}`;

const at = (elapsedSeconds: number, ended = false) => premierePlaylist(vod, { startedAt, reached: segmentsReached(vod, elapsedSeconds), ended, urlOf });
const segmentsOf = (text: string) => [...text.matchAll(/^https:.*\/(seg_\d+)\.m4s$/gm)].map((m) => m[1]);
const datesOf = (text: string) => [...text.matchAll(/^#EXT-X-PROGRAM-DATE-TIME:(.*)$/gm)].map((m) => Date.parse(m[1]));
const sequenceOf = (text: string) => Number(/^#EXT-X-MEDIA-SEQUENCE:(\d+)$/m.exec(text)?.[1]);

t.test('the clip playlist is read into segments with their offsets, the init section and the whole length', async (t) => {
  t.equal(vod.segments.length, 10);
  t.equal(vod.segments[3].offset, 6);
  t.equal(vod.map, 'init.mp4');
  t.equal(vod.targetDuration, 2);
  t.equal(vod.seconds, 19);
});

t.test('at the start the playlist holds the first segment, open, dated at the start', async (t) => {
  const text = at(0);
  t.same(segmentsOf(text), ['seg_00000']);
  t.equal(sequenceOf(text), 0);
  t.same(datesOf(text), [startedAt.getTime()]);
  t.notMatch(text, /ENDLIST/);
  t.match(text, /^#EXT-X-MAP:URI="https:\/\/media\.example\.cn\/clips\/c1\/720p\/init\.mp4"$/m);
  t.match(text, /^#EXT-X-TARGETDURATION:2$/m);
});

t.test('a segment joins the window the moment the premiere reaches its start', async (t) => {
  t.same(segmentsOf(at(3.999)), ['seg_00000', 'seg_00001']);
  t.same(segmentsOf(at(4)), ['seg_00000', 'seg_00001', 'seg_00002']);
});

t.test('later the window slides: the last six segments reached, numbered by their place in the clip', async (t) => {
  const text = at(15);
  t.same(segmentsOf(text), ['seg_00002', 'seg_00003', 'seg_00004', 'seg_00005', 'seg_00006', 'seg_00007']);
  t.equal(segmentsOf(text).length, WINDOW_SEGMENTS);
  t.equal(sequenceOf(text), 2, 'the media sequence is the first listed segment\'s index');
  t.equal(sequenceOf(at(17)), 3, 'and only grows');
});

t.test('program date-times are the start plus each segment\'s offset, continuous across windows', async (t) => {
  for (const elapsed of [5, 11, 18.5]) {
    const text = at(elapsed);
    const dates = datesOf(text);
    const first = sequenceOf(text);
    dates.forEach((date, i) => t.equal(date, startedAt.getTime() + (first + i) * 2000, `segment ${first + i} at ${elapsed} s`));
  }
});

t.test('the live window stays open after the last segment is reached, until the broadcast ends', async (t) => {
  const text = at(60);
  t.same(segmentsOf(text).at(-1), 'seg_00009');
  t.notMatch(text, /ENDLIST/);
});

t.test('after the end the whole clip is listed from its start and closed: the replay', async (t) => {
  const text = at(25, true);
  t.equal(segmentsOf(text).length, 10);
  t.equal(sequenceOf(text), 0);
  t.match(text, /#EXT-X-ENDLIST\n$/);
  t.match(text, /^#EXT-X-PLAYLIST-TYPE:VOD$/m);
  t.equal(datesOf(text)[9], startedAt.getTime() + 18_000);
});

t.test('the master playlist lists every rendition with its bandwidth, codecs and size', async (t) => {
  const text = premiereMaster(
    [
      { name: '720p', width: 1280, height: 720, bandwidth: 3_000_000, averageBandwidth: 2_500_000, codecs: 'avc1.64001f,mp4a.40.2', passthrough: true },
      { name: '360p', width: 640, height: 360, bandwidth: 900_000, averageBandwidth: 800_000, codecs: 'avc1.4d401e,mp4a.40.2', passthrough: false },
    ],
    (name) => `https://linbo.example.cn/api/broadcasts/b1/premiere/${name}/index.m3u8`,
  );
  t.match(text, /#EXT-X-STREAM-INF:BANDWIDTH=3000000,AVERAGE-BANDWIDTH=2500000,CODECS="avc1.64001f,mp4a.40.2",RESOLUTION=1280x720\nhttps:\/\/linbo\.example\.cn\/api\/broadcasts\/b1\/premiere\/720p\/index\.m3u8/);
  t.match(text, /RESOLUTION=640x360\nhttps:\/\/linbo\.example\.cn\/api\/broadcasts\/b1\/premiere\/360p\/index\.m3u8/);
});

t.test('a playlist with no segments is not a clip', async (t) => {
  t.throws(() => parseVodPlaylist('#EXTM3U\n#EXT-X-ENDLIST\n'), /no segments/);
});
