// The media node's VOD worker with real ffmpeg: a clip cancelled and sent again at once is published
// whole even where removing the cancelled run's files is slow (an S3 gateway under load).
import { join } from 'node:path';
import pino from 'pino';
import t from 'tap';
import type { NodeBus, NodeMessage } from '../../server/contracts/media.ts';
import { clipMasterKey } from '../../server/contracts/media.ts';
import { FsMediaStorage } from '../../media/storage/fs.ts';
import { VodWorker } from '../../media/vod/worker.ts';
import { makeClipFile } from '../helpers/clip-files.ts';
import { tempDir } from '../helpers/media.ts';
import { until } from '../helpers/until.ts';

/** Local storage whose deletes take `delayMs`, as a busy bucket's do. */
class SlowDeleteStorage extends FsMediaStorage {
  readonly #delayMs: number;
  constructor(root: string, delayMs: number) {
    super(root, 'http://127.0.0.1/media');
    this.#delayMs = delayMs;
  }
  override async delete(prefix: string): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, this.#delayMs));
    await super.delete(prefix);
  }
}

t.test('a clip cancelled and started again at once is published whole: the new run waits for the cancelled run to clear its files', async (t) => {
  const dir = tempDir(t, 'vod-worker');
  const path = await makeClipFile(dir, { seconds: 15, width: 1280, height: 720, codec: 'mpeg4', name: 'clip.mp4' });
  const storage = new SlowDeleteStorage(join(dir, 'media'), 20_000);
  const sent: NodeMessage[] = [];
  const bus: NodeBus = { send: (message) => void sent.push(message), onMessage: () => () => {}, close: () => {} };
  const worker = new VodWorker({ nodeId: 'node-1', dataDir: join(dir, 'node'), bus, storage, logger: pino({ level: 'silent' }) });
  t.teardown(() => worker.close());
  const clipId = '7d7c1b0e-5c55-4d4e-9f0c-0c4f7b0f5a01';
  const source = { kind: 'file', path } as const;

  worker.handle({ type: 'vod.start', jobId: 'first', clipId, source });
  await until('the first run is under way', () => sent.some((m) => m.type === 'vod.progress' && m.jobId === 'first' && m.percent > 0), 60_000);
  worker.handle({ type: 'vod.cancel', jobId: 'first' });
  worker.handle({ type: 'vod.start', jobId: 'second', clipId, source });
  const end = await until('the second run ends', () => sent.find((m) => (m.type === 'vod.done' || m.type === 'vod.failed') && m.jobId === 'second'), 90_000);
  t.equal(end.type, 'vod.done', 'the second run succeeded');
  t.match(sent.find((m) => m.type === 'vod.failed' && m.jobId === 'first'), { error: { code: 'VOD_CANCELLED' } }, 'the first run was cancelled');
  await until('the cancelled run has removed its files', () => worker.running === 0, 60_000);
  t.ok(await storage.get(clipMasterKey(clipId)), 'the second run’s master playlist is still published');
});
