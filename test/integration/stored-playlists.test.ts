// A transcoder starting where storage already holds part of its broadcast (its first node was killed):
// the stored playlists come back into the working dir for ffmpeg's append_list, a ladder other than the
// stored one is refused, and the publisher never uploads a stored name again.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { masterPlaylist } from '../../media/publish/master-playlist.ts';
import { HlsPublisher } from '../../media/publish/publisher.ts';
import { restoreStoredPlaylists, StoredLadderMismatch } from '../../media/publish/stored-playlists.ts';
import { FsMediaStorage } from '../../media/storage/fs.ts';
import { S3MediaStorage } from '../../media/storage/s3.ts';
import { mediaTypeOf, type MediaStorage } from '../../media/storage/storage.ts';
import { planLadder, type LadderPlan } from '../../media/transcode/ladder.ts';
import { tempDir } from '../helpers/media.ts';
import { startS3 } from '../helpers/s3.ts';

const PREFIX = 'live/b1';
/** 640×480 H.264: a copied 480p rung and a re-encoded 360p rung, each carrying the sound. */
const PLAN = planLadder({ width: 640, height: 480, fps: 30, codec: 'h264' });
const CODECS = { '480p': ['avc1.42e01e', 'mp4a.40.2'], '360p': ['avc1.64001e', 'mp4a.40.2'] };
const RUNGS = ['480p', '360p'];

const rendition = (name: string) =>
  ['#EXTM3U', '#EXT-X-VERSION:7', '#EXT-X-TARGETDURATION:1', '#EXT-X-MEDIA-SEQUENCE:0', '#EXT-X-PLAYLIST-TYPE:EVENT', `#EXT-X-MAP:URI="init_${name}.mp4"`, '#EXTINF:1.000000,', 'seg_00000.m4s', '#EXTINF:1.000000,', 'seg_00001.m4s', ''].join('\n');

const put = (storage: MediaStorage, key: string, body: string) => storage.put(key, Buffer.from(body), mediaTypeOf(key));

/** What the first node stored of the broadcast planned as `plan`. */
async function storedBroadcast(storage: MediaStorage, plan: LadderPlan): Promise<void> {
  for (const name of RUNGS) {
    await put(storage, `${PREFIX}/${name}/init_${name}.mp4`, `the first init of ${name}`);
    for (const segment of ['seg_00000.m4s', 'seg_00001.m4s']) await put(storage, `${PREFIX}/${name}/${segment}`, `${name} ${segment}`);
    await put(storage, `${PREFIX}/${name}/index.m3u8`, rendition(name));
  }
  await put(storage, `${PREFIX}/master.m3u8`, masterPlaylist(plan, CODECS));
}

t.test('with nothing stored, nothing is restored', async (t) => {
  const storage = new FsMediaStorage(tempDir(t, 'media'), 'http://127.0.0.1/media');
  const dir = tempDir(t, 'work');
  t.equal(await restoreStoredPlaylists(storage, PREFIX, dir, PLAN), undefined, 'nothing to continue');
  t.notOk(existsSync(join(dir, '480p', 'index.m3u8')), 'no playlist is written');
});

async function restoresFrom(t: Test, storage: MediaStorage): Promise<void> {
  await storedBroadcast(storage, PLAN);
  const dir = tempDir(t, 'work');
  const keys = await restoreStoredPlaylists(storage, PREFIX, dir, PLAN);
  for (const name of RUNGS) {
    t.equal(readFileSync(join(dir, name, 'index.m3u8'), 'utf8'), rendition(name), `${name}/index.m3u8 as stored`);
  }
  t.same(new Set(keys), new Set(RUNGS.flatMap((name) => [`init_${name}.mp4`, 'seg_00000.m4s', 'seg_00001.m4s'].map((file) => `${PREFIX}/${name}/${file}`))), 'the stored segments and init sections');
}

t.test('the stored rendition playlists come back into the working dir, with every name they list', (t) => restoresFrom(t, new FsMediaStorage(tempDir(t, 'media'), 'http://127.0.0.1/media')));

t.test('a ladder other than the stored one is refused, naming both', async (t) => {
  const storage = new FsMediaStorage(tempDir(t, 'media'), 'http://127.0.0.1/media');
  await storedBroadcast(storage, PLAN);
  const smaller = planLadder({ width: 480, height: 360, fps: 30, codec: 'h264' });
  const refusal = await restoreStoredPlaylists(storage, PREFIX, tempDir(t, 'work'), smaller).catch((err: Error) => err);
  t.ok(refusal instanceof StoredLadderMismatch, 'as a ladder mismatch, which the pipeline does not take for storage being away');
  t.match(refusal instanceof Error ? refusal.message : refusal, /another ladder \(360p 480x360, 480p 640x480\) than the one planned now \(360p 480x360\)/, 'naming both ladders');
});

t.test('a broadcast stored with its sound in a rendition of its own (the earlier ladder) is not continued in muxed rungs', async (t) => {
  const storage = new FsMediaStorage(tempDir(t, 'media'), 'http://127.0.0.1/media');
  await storedBroadcast(storage, PLAN);
  const earlier = [
    '#EXTM3U',
    '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="audio",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2",URI="audio/index.m3u8"',
    '#EXT-X-STREAM-INF:BANDWIDTH=1328000,RESOLUTION=640x480,CODECS="avc1.42e01e,mp4a.40.2",AUDIO="audio"',
    '480p/index.m3u8',
    '#EXT-X-STREAM-INF:BANDWIDTH=848000,RESOLUTION=480x360,CODECS="avc1.64001e,mp4a.40.2",AUDIO="audio"',
    '360p/index.m3u8',
    '',
  ].join('\n');
  await put(storage, `${PREFIX}/master.m3u8`, earlier);
  const refusal = await restoreStoredPlaylists(storage, PREFIX, tempDir(t, 'work'), PLAN).catch((err: Error) => err);
  t.ok(refusal instanceof StoredLadderMismatch, `refused (${refusal instanceof Error ? refusal.message : refusal}): its rungs hold no sound`);
});

t.test('the publisher never uploads a name it was told storage holds, though the new ffmpeg rewrote it', async (t) => {
  const storage = new FsMediaStorage(tempDir(t, 'media'), 'http://127.0.0.1/media');
  await storedBroadcast(storage, PLAN);
  const dir = tempDir(t, 'work');
  const stored = await restoreStoredPlaylists(storage, PREFIX, dir, PLAN);
  // The continuing ffmpeg writes its own init section and a segment numbered after the stored ones.
  mkdirSync(join(dir, '360p'), { recursive: true });
  writeFileSync(join(dir, '360p', 'init_360p.mp4'), 'the second init');
  writeFileSync(join(dir, '360p', 'seg_00002.m4s'), 'after the seam');
  writeFileSync(join(dir, '360p', 'index.m3u8'), `${rendition('360p')}#EXT-X-DISCONTINUITY\n#EXTINF:1.000000,\nseg_00002.m4s\n`);
  const publisher = new HlsPublisher({ storage, dir, prefix: PREFIX, stored });
  t.teardown(() => publisher.close());
  publisher.playlistWritten(join(dir, '360p', 'index.m3u8'));
  await publisher.finish();
  t.equal((await storage.get(`${PREFIX}/360p/init_360p.mp4`))?.body.toString(), 'the first init of 360p', 'the stored init section stays');
  t.equal((await storage.get(`${PREFIX}/360p/seg_00002.m4s`))?.body.toString(), 'after the seam', 'the new segment is stored');
  t.match((await storage.get(`${PREFIX}/360p/index.m3u8`))?.body.toString(), /seg_00001\.m4s\n#EXT-X-DISCONTINUITY\n#EXTINF:1\.000000,\nseg_00002\.m4s\n#EXT-X-ENDLIST/, 'the playlist goes on after the seam');
});

t.test('against S3', async (t) => {
  const s3 = await startS3(t);
  const storage = new S3MediaStorage({ ...s3, publicUrl: `${s3.endpoint}/${s3.bucket}`, forcePathStyle: true, requestTimeoutMs: 2_000 });
  t.teardown(() => storage.close());

  await t.test('the stored rendition playlists come back from a bucket as from disk', (t) => restoresFrom(t, storage));

  await t.test('a gateway that does not answer is not taken for another ladder', async (t) => {
    await s3.stopGateway();
    t.teardown(() => s3.startGateway());
    const failure = await restoreStoredPlaylists(storage, PREFIX, tempDir(t, 'work'), PLAN).catch((err: Error) => err);
    t.ok(failure instanceof Error && !(failure instanceof StoredLadderMismatch), `an error of its own (${failure instanceof Error ? failure.message : failure}), on which the pipeline starts new playlists`);
  });
});
