import t from 'tap';
import { hasEndList, referencedKeys, withEndList } from '../../media/publish/playlist.ts';

const MEDIA = '#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-MAP:URI="init_0.mp4"\n#EXTINF:2.000000,\nseg_00001.m4s\n#EXTINF:2.000000,\nseg_00002.m4s?v=1\n';
const MASTER = '#EXTM3U\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="a",NAME="zh",URI="audio/index.m3u8"\n#EXT-X-STREAM-INF:BANDWIDTH=880000\nv0/index.m3u8\n\n#EXT-X-STREAM-INF:BANDWIDTH=330000\nv1/index.m3u8\n';

t.test('a media playlist names its init section and segments, resolved beside it without query strings', async (t) => {
  t.same(referencedKeys('live/b1/v0/index.m3u8', MEDIA, 'live/b1'), ['live/b1/v0/init_0.mp4', 'live/b1/v0/seg_00001.m4s', 'live/b1/v0/seg_00002.m4s']);
});

t.test('a multivariant playlist names its rendition playlists, including those in URI attributes', async (t) => {
  t.same(referencedKeys('live/b1/master.m3u8', MASTER, 'live/b1'), ['live/b1/audio/index.m3u8', 'live/b1/v0/index.m3u8', 'live/b1/v1/index.m3u8']);
});

t.test('absolute URLs and paths outside the broadcast are not the publisher\'s to upload', async (t) => {
  const text = '#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\nhttps://cdn.example.cn/ad.m4s\n#EXTINF:2,\n/other/seg.m4s\n#EXTINF:2,\n../../b2/seg.m4s\n#EXTINF:2,\n../v1/seg_00001.m4s\n#EXTINF:2,\n%E7%89%87%E6%AE%B5.m4s\n#EXTINF:2,\nbad%zz.m4s\n';
  t.same(referencedKeys('live/b1/v0/index.m3u8', text, 'live/b1'), ['live/b1/v1/seg_00001.m4s', 'live/b1/v0/片段.m4s']);
});

t.test('ENDLIST is appended once to a media playlist, on a line of its own', async (t) => {
  const ended = withEndList(MEDIA);
  t.ok(ended.endsWith('seg_00002.m4s?v=1\n#EXT-X-ENDLIST\n'));
  t.equal(withEndList(ended), ended, 'an ended playlist is left as it is');
  t.equal(withEndList(MEDIA.trimEnd()), ended, 'a missing final newline is added first');
  t.ok(hasEndList(ended));
});

t.test('a multivariant playlist is never ended', async (t) => {
  t.equal(withEndList(MASTER), MASTER);
});
