// Local-disk storage under `${dataDir}/media`, served by the control plane's /media route. Every
// write goes to a temp file that is renamed into place, so a player never reads half a playlist.
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { assertKey, mediaTypeOf, urlOf, type MediaStorage, type PutOptions, type StoredObject } from './storage.ts';

export class FsMediaStorage implements MediaStorage {
  readonly root: string;
  readonly #baseUrl: string;

  /** `root` is the media directory; `baseUrl` is where the control plane serves it (`${PUBLIC_URL}/media`). */
  constructor(root: string, baseUrl: string) {
    this.root = root;
    this.#baseUrl = baseUrl;
  }

  pathOf(key: string): string {
    assertKey(key);
    return join(this.root, ...key.split('/'));
  }

  // The served headers come from mediaTypeOf at read time, so the options need not be stored.
  async put(key: string, body: Buffer | Readable, _options: PutOptions): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      if (Buffer.isBuffer(body)) await writeFile(temp, body);
      else await pipeline(body, createWriteStream(temp));
      await rename(temp, path);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
  }

  async get(key: string): Promise<StoredObject | undefined> {
    try {
      const body = await readFile(this.pathOf(key));
      return { body, ...mediaTypeOf(key) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async delete(prefix: string): Promise<void> {
    assertKey(prefix, { prefix: true });
    await rm(join(this.root, ...prefix.split('/')), { recursive: true, force: true });
  }

  publicUrl(key: string): string {
    return urlOf(this.#baseUrl, key);
  }

  close(): void {}
}
