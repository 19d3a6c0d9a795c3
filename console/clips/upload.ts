// One clip upload from the console, over tus (tus-js-client against /api/uploads): pause and resume,
// and an upload cut by a dropped connection, a closed laptop or a reload continues where it stopped
// (tus-js-client keeps the upload's URL in localStorage under the file's fingerprint). The upload
// outlives the view that started it, so switching the language or the page does not stop it.
import * as tus from 'tus-js-client';
import { UPLOAD_METADATA } from '../../server/contracts/clips.ts';
import { RateMeter, secondsLeft } from './progress.ts';
import { refusalOf, type Refusal } from './refusal.ts';

export const UPLOAD_ENDPOINT = '/api/uploads';
/** tus-js-client's pauses between retries of a failed request: a phone's connection that drops for half a minute comes back by itself. */
const RETRY_DELAYS = [0, 1_000, 3_000, 5_000, 10_000, 20_000];

/** Answers after which resuming the same upload cannot succeed. */
const FINAL = [400, 403, 404, 410, 413, 422];

/** `checking`: every byte is sent and the server is probing the file before it answers the last PATCH. */
export type UploadPhase = 'uploading' | 'paused' | 'checking' | 'done' | 'refused' | 'stopped';

export interface UploadSnapshot {
  readonly phase: UploadPhase;
  readonly filename: string;
  readonly title: string;
  readonly bytesSent: number;
  readonly bytesTotal: number;
  /** Bytes per second over the last few seconds; null while unknown. */
  readonly speed: number | null;
  readonly secondsLeft: number | null;
  /** Resumed from an earlier, unfinished upload of the same file. */
  readonly resumed: boolean;
  /** The clip's id (the upload URL's last segment) once the server knows the upload. */
  readonly clipId: string | null;
  /** Why the server refused the file (phase `refused`). */
  readonly refusal: Refusal | null;
  /** What stopped it otherwise (phase `stopped`): the network, an expired session. */
  readonly problem: Refusal | null;
}

export interface ClipDraft {
  file: File;
  channelId: string;
  title: string;
}

type Listener = (snapshot: UploadSnapshot) => void;

let current: ClipUpload | null = null;

/** The upload started in this tab, if any; a finished or refused one until the staff member moves on. */
export const currentUpload = (): ClipUpload | null => current;

/** The staff member has read how it ended and wants the form back. */
export function dismissUpload(): void {
  const phase = current?.snapshot.phase;
  if (phase === 'done' || phase === 'refused') current = null;
}

/** Uploads started earlier (before a reload) and never finished, newest first. */
export async function unfinishedUploads(): Promise<tus.PreviousUpload[]> {
  const all = await tus.defaultOptions.urlStorage.findAllUploads().catch(() => []);
  return all.sort((a, b) => b.creationTime.localeCompare(a.creationTime));
}

/** Gives up an unfinished upload: forgotten here, and its bytes removed from the server. */
export async function abandonUpload(previous: tus.PreviousUpload): Promise<void> {
  await tus.defaultOptions.urlStorage.removeUpload(previous.urlStorageKey);
  if (previous.uploadUrl) await tus.Upload.terminate(previous.uploadUrl).catch(() => {});
}

/** An earlier unfinished upload of this very file (same name, size, type and date), if any. */
export async function previousUploadOf(file: File): Promise<tus.PreviousUpload | null> {
  const probe = new tus.Upload(file, { endpoint: UPLOAD_ENDPOINT });
  return (await probe.findPreviousUploads().catch(() => []))[0] ?? null;
}

export class ClipUpload {
  readonly #upload: tus.Upload;
  readonly #meter = new RateMeter();
  readonly #listeners = new Set<Listener>();
  #snapshot: UploadSnapshot;
  /** A laptop reopened or a phone back in coverage: an upload the network stopped goes on by itself. */
  readonly #online = () => {
    if (this.#snapshot.phase === 'stopped' && this.#snapshot.problem?.code === 'NETWORK') this.resume();
  };

  private constructor(draft: ClipDraft) {
    this.#snapshot = {
      phase: 'uploading', filename: draft.file.name, title: draft.title, bytesSent: 0, bytesTotal: draft.file.size,
      speed: null, secondsLeft: null, resumed: false, clipId: null, refusal: null, problem: null,
    };
    this.#upload = new tus.Upload(draft.file, {
      endpoint: UPLOAD_ENDPOINT,
      // No chunkSize: one PATCH carries the rest of the file, the fastest way; tus resumes a cut one from the server's offset.
      retryDelays: RETRY_DELAYS,
      metadata: { [UPLOAD_METADATA.filename]: draft.file.name, [UPLOAD_METADATA.channelId]: draft.channelId, [UPLOAD_METADATA.title]: draft.title },
      removeFingerprintOnSuccess: true,
      onUploadUrlAvailable: () => this.#set({ clipId: idOf(this.#upload.url) }),
      onProgress: (sent, total) => this.#progress(sent, total),
      onSuccess: () => this.#set({ phase: 'done', bytesSent: this.#snapshot.bytesTotal, speed: null, secondsLeft: 0, clipId: idOf(this.#upload.url) }),
      onError: (error) => this.#failed(error),
    });
  }

  /** Starts `draft`'s upload, continuing an earlier one of the same file to the same channel and title. */
  static async start(draft: ClipDraft): Promise<ClipUpload> {
    const upload = new ClipUpload(draft);
    current = upload;
    const previous = (await upload.#upload.findPreviousUploads().catch(() => [])).find(
      (p) => p.metadata[UPLOAD_METADATA.channelId] === draft.channelId && p.metadata[UPLOAD_METADATA.title] === draft.title,
    );
    if (previous) {
      upload.#upload.resumeFromPreviousUpload(previous);
      upload.#set({ resumed: true });
    }
    upload.#upload.start();
    window.addEventListener('online', upload.#online);
    return upload;
  }

  get snapshot(): UploadSnapshot {
    return this.#snapshot;
  }

  /** Calls `listener` now and on every change; returns the unsubscribe. */
  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    listener(this.#snapshot);
    return () => this.#listeners.delete(listener);
  }

  pause(): void {
    if (this.#snapshot.phase !== 'uploading') return;
    // No termination: the server keeps the bytes it has, and start() asks it where to go on from.
    void this.#upload.abort(false);
    this.#set({ phase: 'paused', speed: null, secondsLeft: null });
  }

  /** Gives the upload up: its bytes removed from the server, the form free for another file. */
  async abandon(): Promise<void> {
    if (this.#snapshot.phase !== 'paused' && this.#snapshot.phase !== 'stopped') return;
    window.removeEventListener('online', this.#online);
    if (current === this) current = null;
    await this.#upload.abort(true).catch(() => forget(this.#upload.url));
  }

  resume(): void {
    if (this.#snapshot.phase !== 'paused' && this.#snapshot.phase !== 'stopped') return;
    this.#meter.reset();
    this.#set({ phase: 'uploading', problem: null });
    this.#upload.start();
  }

  #progress(sent: number, total: number): void {
    if (this.#snapshot.phase !== 'uploading' && this.#snapshot.phase !== 'checking') return;
    this.#meter.add(performance.now(), sent);
    const speed = this.#meter.speed();
    this.#set({ phase: sent >= total ? 'checking' : 'uploading', bytesSent: sent, bytesTotal: total, speed, secondsLeft: secondsLeft(total - sent, speed) });
  }

  #failed(error: Error): void {
    const response = (error as tus.DetailedError).originalResponse ?? null;
    const status = response?.getStatus() ?? 0;
    const problem = response ? refusalOf(status, response.getBody()) : null;
    // A file the server looked at and will not take (422: not a video, too long; 413: too large), or an
    // upload it will not go on with (bad metadata, someone else's, expired): starting again cannot help.
    // Anything else (the network, an expired session, a busy server) can be resumed.
    if (FINAL.includes(status)) {
      void forget(this.#upload.url);
      this.#set({ phase: 'refused', refusal: problem ?? { status, code: 'OTHER', messages: null, detail: error.message }, speed: null, secondsLeft: null });
      return;
    }
    this.#set({ phase: 'stopped', problem: problem ?? { status, code: status === 0 ? 'NETWORK' : 'OTHER', messages: null, detail: error.message }, speed: null, secondsLeft: null });
  }

  #set(change: Partial<UploadSnapshot>): void {
    this.#snapshot = { ...this.#snapshot, ...change };
    if (this.#snapshot.phase === 'done' || this.#snapshot.phase === 'refused') window.removeEventListener('online', this.#online);
    for (const listener of [...this.#listeners]) listener(this.#snapshot);
  }
}

/** Drops a refused upload from the resumable ones: the server removed its bytes already. */
async function forget(url: string | null): Promise<void> {
  const storage = tus.defaultOptions.urlStorage;
  for (const p of await storage.findAllUploads().catch(() => [])) if (p.uploadUrl === url) await storage.removeUpload(p.urlStorageKey).catch(() => {});
}

const idOf = (url: string | null): string | null => (url ? decodeURIComponent(new URL(url, location.href).pathname.split('/').pop() ?? '') || null : null);
