import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import t from 'tap';
import { HlsPublisher, type PublisherOptions } from '../../media/publish/publisher.ts';
import { referencedKeys } from '../../media/publish/playlist.ts';
import { watchPlaylists } from '../../media/publish/watch.ts';
import { FsMediaStorage } from '../../media/storage/fs.ts';
import { S3MediaStorage } from '../../media/storage/s3.ts';
import { isPlaylist, type MediaStorage } from '../../media/storage/storage.ts';
import { HlsWriter, RecordingStorage, type Landed, type WrittenFiles } from '../helpers/hls.ts';
import { startS3 } from '../helpers/s3.ts';
import { until } from '../helpers/until.ts';

interface Test {
  teardown(fn: () => unknown): void;
}
const PREFIX = 'live/b1';

function tempDir(t: Test, name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `linbo-${name}-`));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function setUp(t: Test, storage?: MediaStorage, options: Partial<PublisherOptions> = {}) {
  const dir = tempDir(t, 'work');
  const recording = new RecordingStorage(storage ?? new FsMediaStorage(tempDir(t, 'media'), 'http://127.0.0.1:8080/media'));
  const publisher = new HlsPublisher({ storage: recording, dir, prefix: PREFIX, ...options });
  t.teardown(() => publisher.close());
  return { dir, storage: recording, publisher, writer: new HlsWriter(dir) };
}

/** What the transcoder wrapper does after ffmpeg writes files. */
function report(publisher: HlsPublisher, files: WrittenFiles): void {
  for (const path of files.segments) publisher.segmentWritten(path);
  for (const path of files.playlists) publisher.playlistWritten(path);
}

const settled = (publisher: HlsPublisher) =>
  until('the publisher has nothing left to upload', () => {
    const s = publisher.stats();
    return s.pendingSegments + s.pendingPlaylists + s.uploading === 0;
  });

/** Playlists that landed before something they name had landed. */
function earlyPlaylists(landed: readonly Landed[]): string[] {
  const before = new Set<string>();
  const early: string[] = [];
  for (const { key, body } of landed) {
    const missing = isPlaylist(key) ? referencedKeys(key, body.toString(), PREFIX).filter((ref) => !before.has(ref)) : [];
    if (missing.length > 0) early.push(`${key} before ${missing.join(', ')}`);
    before.add(key);
  }
  return early;
}

const keyOf = (dir: string, path: string) => `${PREFIX}/${relative(dir, path).split(sep).join('/')}`;
const putsOf = (landed: readonly Landed[], key: string) => landed.filter((l) => l.key === key);
const localFiles = (dir: string) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && !e.name.endsWith('.tmp'))
    .map((e) => join(e.parentPath, e.name));

t.test('every segment lands before any playlist naming it, and the multivariant playlist after its renditions', async (t) => {
  const { storage, publisher, writer } = setUp(t);
  report(publisher, writer.start());
  for (let i = 0; i < 8; i++) report(publisher, writer.next());
  await settled(publisher);
  t.same(earlyPlaylists(storage.landed), []);
  t.equal(storage.landed.filter((l) => l.key.endsWith('.m4s')).length, 16, 'all 8 segments of both renditions');
  t.equal((await storage.get(`${PREFIX}/720p/index.m3u8`))?.body.toString(), writer.playlistText(), 'the newest playlist is the one stored');
});

t.test('a playlist rewritten many times while waiting goes up once in its newest version', async (t) => {
  const { storage, publisher, writer } = setUp(t);
  report(publisher, writer.start());
  for (let i = 0; i < 10; i++) report(publisher, writer.next());
  await settled(publisher);
  const puts = putsOf(storage.landed, `${PREFIX}/360p/index.m3u8`);
  t.ok(puts.length <= 2, `10 versions written, ${puts.length} uploaded`);
  t.equal(puts.at(-1)?.body.toString(), writer.playlistText(), 'the last upload is the newest version');
});

t.test('segments nobody reported are found through the playlists naming them and stored first', async (t) => {
  const { storage, publisher, writer } = setUp(t);
  const start = writer.start();
  for (let i = 0; i < 3; i++) writer.next();
  for (const path of [...start.playlists, ...writer.next().playlists]) publisher.playlistWritten(path);
  await settled(publisher);
  t.same(earlyPlaylists(storage.landed), []);
  t.same(
    storage.landed.filter((l) => l.key.startsWith(`${PREFIX}/720p/seg_`)).map((l) => l.key).sort(),
    [1, 2, 3, 4].map((n) => `${PREFIX}/720p/${HlsWriter.segmentName(n)}`),
  );
});

t.test('finish() closes each rendition with ENDLIST after its last segment, so the whole window is the replay', async (t) => {
  const { dir, storage, publisher, writer } = setUp(t);
  report(publisher, writer.start());
  for (let i = 0; i < 5; i++) report(publisher, writer.next());
  // ffmpeg ends a playlist itself when it exits cleanly: that one must not end twice.
  appendFileSync(join(dir, '360p', 'index.m3u8'), '#EXT-X-ENDLIST\n');
  let finished = 0;
  publisher.on('finished', () => (finished += 1));
  await publisher.finish();
  t.equal(finished, 1);
  const replay = `${writer.playlistText()}#EXT-X-ENDLIST\n`;
  for (const rendition of writer.renditions) {
    t.equal((await storage.get(`${PREFIX}/${rendition}/index.m3u8`))?.body.toString(), replay, `${rendition} lists segments 1–5 and ends once`);
    t.equal(readFileSync(join(dir, rendition, 'index.m3u8'), 'utf8'), replay, `${rendition} is closed on disk too`);
  }
  t.notMatch((await storage.get(`${PREFIX}/master.m3u8`))?.body.toString(), /ENDLIST/, 'a multivariant playlist never ends');
  t.same(earlyPlaylists(storage.landed), []);
  const stored = new Set(storage.landed.map((l) => l.key));
  t.same(localFiles(dir).map((p) => keyOf(dir, p)).filter((k) => !stored.has(k)), [], 'every file of the working dir is stored');
});

t.test('a segment gone from disk is reported missing and does not hold its playlist back for ever', async (t) => {
  const { dir, storage, publisher, writer } = setUp(t);
  writer.start();
  const files = writer.next();
  unlinkSync(join(dir, '720p', HlsWriter.segmentName(1)));
  const missing: string[] = [];
  publisher.on('missing', (key) => missing.push(key));
  for (const path of files.playlists) publisher.playlistWritten(path);
  await settled(publisher);
  t.same(missing, [`${PREFIX}/720p/${HlsWriter.segmentName(1)}`]);
  t.equal(putsOf(storage.landed, `${PREFIX}/720p/index.m3u8`).length, 1, 'the playlist went up regardless');
});

t.test('a real ffmpeg ladder is published by watching its working dir alone', async (t) => {
  const { dir, storage, publisher } = setUp(t);
  const stopWatching = watchPlaylists(dir, publisher);
  t.teardown(stopWatching);
  // prettier-ignore
  const ffmpeg = spawn('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-re', '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25', '-t', '3',
    '-filter_complex', '[0:v]split=2[v0][v1];[v1]scale=320:180[v1s]', '-map', '[v0]', '-map', '[v1s]',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '25', '-keyint_min', '25', '-sc_threshold', '0', '-b:v:0', '800k', '-b:v:1', '300k',
    '-f', 'hls', '-hls_time', '1', '-hls_playlist_type', 'event', '-hls_segment_type', 'fmp4', '-hls_flags', 'independent_segments+temp_file',
    '-hls_segment_filename', join(dir, 'v%v', 'seg_%05d.m4s'), '-master_pl_name', 'master.m3u8', '-var_stream_map', 'v:0 v:1', join(dir, 'v%v', 'index.m3u8'),
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  ffmpeg.stderr.on('data', (d) => (stderr += d));
  await until('a rendition playlist is stored while ffmpeg still runs', () => storage.landed.some((l) => l.key === `${PREFIX}/v0/index.m3u8`), 20_000);
  const code = await new Promise((resolve) => ffmpeg.once('exit', resolve));
  t.equal(code, 0, stderr);
  stopWatching();
  await publisher.finish();
  t.same(earlyPlaylists(storage.landed), []);
  for (const path of localFiles(dir)) {
    const got = await storage.get(keyOf(dir, path));
    t.ok(got?.body.equals(readFileSync(path)), `${relative(dir, path)} is stored as written`);
  }
  t.match((await storage.get(`${PREFIX}/v1/index.m3u8`))?.body.toString(), /#EXT-X-MAP:URI="init_1\.mp4"[\s\S]*seg_00002\.m4s\n#EXT-X-ENDLIST\n$/);
});

t.test('against S3', async (t) => {
  const s3 = await startS3(t);
  const s3Storage = () => {
    const storage = new S3MediaStorage({ ...s3, publicUrl: `${s3.endpoint}/${s3.bucket}`, forcePathStyle: true, requestTimeoutMs: 2_000 });
    t.teardown(() => storage.close());
    return storage;
  };
  const retry = { baseMs: 100, maxMs: 1_000 };

  await t.test('a 20-second gateway outage loses no segment, and the replay is complete afterwards', async (t) => {
    const { dir, storage, publisher, writer } = setUp(t, s3Storage(), { retry });
    report(publisher, writer.start());
    for (let i = 0; i < 3; i++) report(publisher, writer.next());
    await settled(publisher);
    const retries: Error[] = [];
    publisher.on('retrying', (err) => retries.push(err));
    await s3.stopGateway();
    // ffmpeg keeps producing a segment per rendition every half second (a fast clock for a 2 s target).
    const producing = setInterval(() => report(publisher, writer.next()), 500);
    t.teardown(() => clearInterval(producing));
    await until('the publisher notices the outage', () => retries.length > 0);
    await new Promise<void>((resolve, reject) => setTimeout(() => s3.startGateway().then(resolve, reject), 20_000));
    const afterOutage = writer.count;
    await until('segments written after the outage are stored', () => storage.landed.some((l) => l.key.endsWith(HlsWriter.segmentName(afterOutage + 2))));
    clearInterval(producing);
    await publisher.finish();

    t.ok(afterOutage > 3, `${afterOutage - 3} segments per rendition were written while S3 was down`);
    for (const path of localFiles(dir)) {
      const got = await storage.get(keyOf(dir, path));
      if (!got?.body.equals(readFileSync(path))) t.fail(`${relative(dir, path)} is not stored as written`);
    }
    for (const rendition of writer.renditions) {
      const text = (await storage.get(`${PREFIX}/${rendition}/index.m3u8`))?.body.toString();
      t.equal(text, `${writer.playlistText()}#EXT-X-ENDLIST\n`, `${rendition} lists all ${writer.count} segments and ends`);
    }
    t.same(earlyPlaylists(storage.landed), []);
    const stats = publisher.stats();
    t.equal(stats.consecutiveFailures, 0, 'healthy again');
    t.match(stats.lastError?.message, /ECONNREFUSED/, 'the outage is on record');
  });

  await t.test('close() while storage is down stops retrying, rejects a pending finish() and is safe twice', async (t) => {
    const { publisher, writer } = setUp(t, s3Storage(), { retry });
    await s3.stopGateway();
    t.teardown(() => s3.startGateway());
    report(publisher, writer.start());
    report(publisher, writer.next());
    const finishing = publisher.finish();
    await until('the publisher is retrying', () => publisher.stats().consecutiveFailures > 0);
    let closed = 0;
    publisher.on('closed', () => (closed += 1));
    publisher.close();
    publisher.close();
    t.equal(closed, 1);
    await t.rejects(finishing, /publisher closed with \d+ segments not stored/);
  });
});
