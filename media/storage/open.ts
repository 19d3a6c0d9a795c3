// Chooses the installation's media storage: S3 when it is configured, else the data dir on local
// disk (served by the control plane at `${publicUrl}/media`).
import { join } from 'node:path';
import { FsMediaStorage } from './fs.ts';
import { S3MediaStorage, type S3StorageOptions } from './s3.ts';
import type { MediaStorage } from './storage.ts';

export interface MediaStorageSettings {
  readonly dataDir: string;
  /** The control plane's public base URL. */
  readonly publicUrl: string;
  readonly s3: S3StorageOptions | undefined;
}

/** Where local media lives inside the data dir; the control plane's /media route serves it. */
export const mediaRoot = (dataDir: string): string => join(dataDir, 'media');

export function openMediaStorage(settings: MediaStorageSettings): MediaStorage {
  if (settings.s3) return new S3MediaStorage(settings.s3);
  return new FsMediaStorage(mediaRoot(settings.dataDir), `${settings.publicUrl}/media`);
}
