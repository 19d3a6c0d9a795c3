// S3-compatible storage (AWS, Ceph radosgw, MinIO, the Chinese clouds' object storage). Players
// fetch straight from `publicUrl` (the bucket or a CDN in front of it), so objects carry their
// Content-Type and Cache-Control.
import type { Readable } from 'node:stream';
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { S3Settings } from '../../server/contracts/media.ts';
import { assertKey, urlOf, type MediaStorage, type PutOptions, type StoredObject } from './storage.ts';

export interface S3StorageOptions extends Readonly<S3Settings> {
  /**
   * A whole request's time limit. A frozen gateway accepts the connection and then says nothing;
   * without a limit the request waits for ever and the publisher's retries never start.
   */
  readonly requestTimeoutMs?: number;
}

/** Buffers above this size, and every stream, go up as a multipart upload in parts of this size. */
const PART_BYTES = 8 * 1024 * 1024;

export class S3MediaStorage implements MediaStorage {
  readonly #client: S3Client;
  readonly #bucket: string;
  readonly #publicUrl: string;

  constructor(options: S3StorageOptions) {
    this.#bucket = options.bucket;
    this.#publicUrl = options.publicUrl;
    this.#client = new S3Client({
      endpoint: options.endpoint,
      region: options.region,
      forcePathStyle: options.forcePathStyle,
      credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
      // Only the checksums S3 itself requires: older gateways (radosgw 16, many vendors' S3 layers)
      // refuse the trailing-checksum chunked encoding the SDK would otherwise use for streams.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      requestHandler: { connectionTimeout: 5_000, requestTimeout: options.requestTimeoutMs ?? 30_000, throwOnRequestTimeout: true },
    });
  }

  async put(key: string, body: Buffer | Readable, options: PutOptions): Promise<void> {
    assertKey(key);
    const params = { Bucket: this.#bucket, Key: key, Body: body, ContentType: options.contentType, CacheControl: options.cacheControl };
    if (Buffer.isBuffer(body) && body.length <= PART_BYTES) {
      await this.#client.send(new PutObjectCommand(params));
      return;
    }
    // A multipart upload's CompleteMultipartUpload answer carries an empty ETag on radosgw; Upload does not check it.
    await new Upload({ client: this.#client, params, partSize: PART_BYTES, queueSize: 2, leavePartsOnError: false }).done();
  }

  async get(key: string): Promise<StoredObject | undefined> {
    assertKey(key);
    try {
      const res = await this.#client.send(new GetObjectCommand({ Bucket: this.#bucket, Key: key }));
      const body = Buffer.from(await res.Body!.transformToByteArray());
      return { body, contentType: res.ContentType, cacheControl: res.CacheControl };
    } catch (err) {
      if (err instanceof NoSuchKey || (err instanceof S3ServiceException && err.$metadata.httpStatusCode === 404)) return undefined;
      throw err;
    }
  }

  async delete(prefix: string): Promise<void> {
    assertKey(prefix, { prefix: true });
    const folder = prefix.endsWith('/') ? prefix : `${prefix}/`;
    // Listing after each batch of deletes (rather than paging with a token) stays correct while the
    // listing shrinks under it; 1,000 is the most one DeleteObjects takes.
    for (;;) {
      const listed = await this.#client.send(new ListObjectsV2Command({ Bucket: this.#bucket, Prefix: folder, MaxKeys: 1000 }));
      const keys = (listed.Contents ?? []).map((o) => ({ Key: o.Key! }));
      if (keys.length === 0) return;
      const res = await this.#client.send(new DeleteObjectsCommand({ Bucket: this.#bucket, Delete: { Objects: keys, Quiet: true } }));
      if (res.Errors?.length) throw new Error(`S3 refused to delete ${res.Errors.length} objects, first ${res.Errors[0].Key}: ${res.Errors[0].Code}`);
    }
  }

  publicUrl(key: string): string {
    return urlOf(this.#publicUrl, key);
  }

  close(): void {
    this.#client.destroy();
  }
}
