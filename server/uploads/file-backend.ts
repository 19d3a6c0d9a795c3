// Uploads on this machine's disk: @tus/file-store writes `<clipId>` and its `<clipId>.json` sidecar
// under `${dataDir}/uploads`; the upload's id is the clip's id.
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { FileStore } from '@tus/file-store';
import type { VodSource } from '../clips/ports.ts';
import type { UploadBackend } from './backend.ts';

const SIDECAR = '.json';

export class FileUploadBackend implements UploadBackend {
  readonly datastore: FileStore;
  readonly #dir: string;

  constructor(dataDir: string, expireMs: number) {
    this.#dir = join(dataDir, 'uploads');
    this.datastore = new FileStore({ directory: this.#dir, expirationPeriodInMilliseconds: expireMs });
  }

  uploadIdOf(clipId: string): string {
    return clipId;
  }

  clipIdOf(uploadId: string): string {
    return uploadId;
  }

  async input(clipId: string): Promise<string> {
    return join(this.#dir, clipId);
  }

  async locate(clipId: string): Promise<VodSource> {
    const path = join(this.#dir, clipId);
    await stat(path); // a source that is gone fails the job now, with the path in the error
    return { kind: 'file', path };
  }

  async remove(clipId: string): Promise<void> {
    const path = join(this.#dir, clipId);
    await Promise.all([rm(path, { force: true }), rm(path + SIDECAR, { force: true })]);
  }

  async *uploadIds(): AsyncIterable<string> {
    const names = await readdir(this.#dir).catch(() => []);
    for (const name of names) if (name.endsWith(SIDECAR)) yield name.slice(0, -SIDECAR.length);
  }

  close(): void {}
}
