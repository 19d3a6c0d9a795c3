// Where uploaded bytes live: the tus store the endpoint writes through, and what the rest of the
// control plane needs of it (a path or URL to read, removal, a listing for the expiry sweep).
import type { DataStore } from '@tus/utils';
import type { VodSource } from '../clips/ports.ts';

export interface UploadBackend {
  readonly datastore: DataStore;
  /** The tus store's id of a clip's upload (S3: its object key). */
  uploadIdOf(clipId: string): string;
  clipIdOf(uploadId: string): string;
  /** What ffprobe and ffmpeg read here, in the control plane. */
  input(clipId: string): Promise<string>;
  locate(clipId: string): Promise<VodSource>;
  /** The bytes and every sidecar; safe when nothing is there. */
  remove(clipId: string): Promise<void>;
  /** Every upload the store holds, finished or not, by tus id. */
  uploadIds(): AsyncIterable<string>;
  close(): void;
}
