// Uploads in the media bucket under `uploads/` (@tus/s3-store: a multipart upload per file, an empty
// `<key>.info` object carrying its metadata, a `<key>.part` for a tail shorter than a part). Nothing
// under `uploads/` is public: the bucket policy opens only the published prefixes (docs/operations.md);
// the control plane and media nodes read a source through a presigned GET.
import { DeleteObjectsCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { S3Store } from '@tus/s3-store';
import type { VodSource } from '../clips/ports.ts';
import type { S3Config } from '../config.ts';
import type { UploadBackend } from './backend.ts';

export const UPLOAD_PREFIX = 'uploads/';
const INFO = '.info';
/** A long transcode reads its source for hours; a week is SigV4's limit. */
const SOURCE_URL_SECONDS = 12 * 3600;
/** The probe at finish reads for a minute at most. */
const PROBE_URL_SECONDS = 15 * 60;

/** S3Store opens its own client and never closes it; closing it lets a stopping process exit. */
class ClosableS3Store extends S3Store {
  close(): void {
    this.client.destroy();
  }
}

export class S3UploadBackend implements UploadBackend {
  readonly datastore: ClosableS3Store;
  readonly #client: S3Client;
  readonly #bucket: string;

  constructor(s3: S3Config, expireMs: number) {
    const clientConfig = {
      endpoint: s3.endpoint,
      region: s3.region,
      forcePathStyle: s3.forcePathStyle,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
      // As media/storage/s3.ts: older gateways refuse the SDK's trailing-checksum chunked encoding.
      requestChecksumCalculation: 'WHEN_REQUIRED' as const,
      responseChecksumValidation: 'WHEN_REQUIRED' as const,
    };
    this.#bucket = s3.bucket;
    this.#client = new S3Client(clientConfig);
    // No expiry tags: the sweep (expiry.ts) removes unfinished uploads, so no lifecycle rule is needed.
    this.datastore = new ClosableS3Store({ partSize: 8 * 1024 * 1024, useTags: false, expirationPeriodInMilliseconds: expireMs, s3ClientConfig: { bucket: s3.bucket, ...clientConfig } });
  }

  uploadIdOf(clipId: string): string {
    return `${UPLOAD_PREFIX}${clipId}`;
  }

  clipIdOf(uploadId: string): string {
    return uploadId.slice(UPLOAD_PREFIX.length);
  }

  #presign(clipId: string, expiresIn: number): Promise<string> {
    return getSignedUrl(this.#client, new GetObjectCommand({ Bucket: this.#bucket, Key: this.uploadIdOf(clipId) }), { expiresIn });
  }

  input(clipId: string): Promise<string> {
    return this.#presign(clipId, PROBE_URL_SECONDS);
  }

  async locate(clipId: string): Promise<VodSource> {
    return { kind: 'url', url: await this.#presign(clipId, SOURCE_URL_SECONDS) };
  }

  async remove(clipId: string): Promise<void> {
    const key = this.uploadIdOf(clipId);
    // An unfinished upload is a multipart upload to abort; a finished (or absent) one has none.
    await this.datastore.remove(key).catch(() => {});
    await this.#client.send(
      new DeleteObjectsCommand({ Bucket: this.#bucket, Delete: { Objects: [{ Key: key }, { Key: `${key}${INFO}` }, { Key: `${key}.part` }], Quiet: true } }),
    );
  }

  async *uploadIds(): AsyncIterable<string> {
    let token: string | undefined;
    do {
      const page = await this.#client.send(new ListObjectsV2Command({ Bucket: this.#bucket, Prefix: UPLOAD_PREFIX, ContinuationToken: token }));
      for (const object of page.Contents ?? []) if (object.Key?.endsWith(INFO)) yield object.Key.slice(0, -INFO.length);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  close(): void {
    this.#client.destroy();
    this.datastore.close();
  }
}
