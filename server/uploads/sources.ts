// Clips' uploaded sources (ClipSources): the tus store of server/uploads, on this machine's disk or in the
// S3 bucket when S3 is configured. VOD jobs locate a source here; a rejected or deleted clip's is removed.
import type { ClipSources, VodSource } from '../clips/ports.ts';
import type { Config } from '../config.ts';
import type { UploadBackend } from './backend.ts';
import { FileUploadBackend } from './file-backend.ts';
import { S3UploadBackend } from './s3-backend.ts';

export class ClipSourceStore implements ClipSources {
  /** The store the tus endpoint writes through. */
  readonly backend: UploadBackend;

  constructor(config: Pick<Config, 'dataDir' | 's3' | 'uploads'>) {
    const expireMs = config.uploads.expireHours * 3600_000;
    this.backend = config.s3 ? new S3UploadBackend(config.s3, expireMs) : new FileUploadBackend(config.dataDir, expireMs);
  }

  locate(clipId: string): Promise<VodSource> {
    return this.backend.locate(clipId);
  }

  remove(clipId: string): Promise<void> {
    return this.backend.remove(clipId);
  }

  /** Safe to call twice. */
  close(): void {
    this.backend.close();
  }
}
