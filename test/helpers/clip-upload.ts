// Clips sent the way the console and other tus clients send them (tus-js-client in Node, or the bare
// tus 1.0 requests), and a clip watched through its API until it settles, every state seen kept.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { count, eq } from 'drizzle-orm';
import * as tus from 'tus-js-client';
import { vodJobs } from '../../server/store/schema.ts';
import { startApp, staff, type TestApp } from './app.ts';
import { tempDir } from './media.ts';
import { createChannel } from './schedule.ts';
import { until } from './until.ts';

export const TUS_VERSION = '1.0.0';

/** tus 1.0 `Upload-Metadata`: comma-separated `key base64(value)` pairs. */
export const tusMetadata = (fields: Record<string, string>): string =>
  Object.entries(fields)
    .map(([key, value]) => `${key} ${Buffer.from(value, 'utf8').toString('base64')}`)
    .join(',');

export interface ClipMetadata {
  readonly channelId: string;
  readonly title: string;
  readonly filename?: string;
  readonly displayName?: string;
}

export interface SentUpload {
  /** The upload's URL (its last segment is the clip's id). */
  readonly url: string;
  readonly clipId: string;
  /** Where each PATCH this run sent started. */
  readonly chunkStarts: readonly number[];
}

export interface UploadRun {
  /** Resolves when the upload finished, rejects with tus-js-client's DetailedError. */
  readonly finished: Promise<SentUpload>;
  readonly upload: tus.Upload;
}

const lastSegment = (url: string) => new URL(url).pathname.split('/').filter(Boolean).at(-1)!;

/**
 * One run of tus-js-client over `bytes`: a new upload, or the one at `uploadUrl` resumed from where the
 * server says it stopped. `onChunk` hears each accepted chunk (bytes accepted so far, total).
 */
export function sendClip(
  endpoint: string,
  bytes: Buffer,
  options: {
    headers?: Record<string, string>;
    metadata: ClipMetadata;
    chunkSize: number;
    uploadUrl?: string;
    onChunk?: (accepted: number, total: number, upload: tus.Upload) => void;
  },
): UploadRun {
  const chunkStarts: number[] = [];
  let upload!: tus.Upload;
  const finished = new Promise<SentUpload>((resolve, reject) => {
    upload = new tus.Upload(bytes, {
      endpoint,
      uploadUrl: options.uploadUrl ?? null,
      headers: options.headers ?? {},
      chunkSize: options.chunkSize,
      // A refusal is the server's answer to look at, not a blip to retry.
      retryDelays: null,
      metadata: { filename: options.metadata.filename ?? 'clip.mp4', channelId: options.metadata.channelId, title: options.metadata.title, ...(options.metadata.displayName ? { displayName: options.metadata.displayName } : {}) },
      onBeforeRequest(req) {
        if (req.getMethod() === 'PATCH') chunkStarts.push(Number(req.getHeader('Upload-Offset')));
      },
      onChunkComplete(_size, accepted, total) {
        options.onChunk?.(accepted, total, upload);
      },
      onSuccess() {
        resolve({ url: upload.url!, clipId: lastSegment(upload.url!), chunkStarts });
      },
      onError: reject,
    });
    upload.start();
  });
  return { finished, upload };
}

export interface CutAndResumed extends SentUpload {
  readonly total: number;
  /** Bytes the server held when the first run was cut (its HEAD's Upload-Offset). */
  readonly heldAfterCut: number;
  /** Where the resumed run's first PATCH started. */
  readonly resumedFrom: number;
}

/**
 * An upload cut once half of it has been accepted (the connection dropped, the laptop closed), then
 * resumed by a new tus-js-client at the same upload URL, as the console does after a reload.
 */
export async function sendClipCutAndResumed(
  endpoint: string,
  file: string,
  options: { headers?: Record<string, string>; metadata: ClipMetadata; chunkSize: number },
): Promise<CutAndResumed> {
  const bytes = readFileSync(file);
  const metadata = { filename: basename(file), ...options.metadata };
  let cut!: () => void;
  const wasCut = new Promise<void>((resolve) => (cut = resolve));
  const first = sendClip(endpoint, bytes, {
    ...options,
    metadata,
    onChunk(accepted, total, upload) {
      if (accepted >= total / 2 && accepted < total) void upload.abort().then(cut);
    },
  });
  await Promise.race([wasCut, first.finished.then(() => Promise.reject(new Error('the upload finished before it could be cut: use a smaller chunkSize')))]);
  const url = first.upload.url!;
  const heldAfterCut = Number((await fetch(url, { method: 'HEAD', headers: { ...options.headers, 'tus-resumable': TUS_VERSION } })).headers.get('upload-offset'));
  const resumed = await sendClip(endpoint, bytes, { ...options, metadata, uploadUrl: url }).finished;
  return { ...resumed, total: bytes.length, heldAfterCut, resumedFrom: resumed.chunkStarts[0] ?? bytes.length };
}

/** What a clip said at one poll. */
export interface ClipSample {
  readonly state: string;
  readonly progress: number;
  readonly etaSeconds: number | null;
}

/**
 * Polls GET /api/clips/:id every 100 ms until its state is one of `settled`, keeping each distinct
 * (state, progress) seen; gives the last clip and the samples.
 */
export async function watchClip(
  base: string,
  clipId: string,
  headers: Record<string, string>,
  settled: readonly string[],
  timeoutMs = 120_000,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<{ clip: Record<string, any>; samples: ClipSample[] }> {
  const samples: ClipSample[] = [];
  const clip = await until(`clip ${clipId} reaches ${settled.join(' or ')} (seen: ${JSON.stringify(samples)})`, async () => {
    const res = await fetch(`${base}/api/clips/${clipId}`, { headers });
    if (!res.ok) return undefined;
    const now = await res.json();
    const last = samples.at(-1);
    if (!last || last.state !== now.state || last.progress !== now.progress) samples.push({ state: now.state, progress: now.progress, etaSeconds: now.etaSeconds });
    return settled.includes(now.state) ? now : undefined;
  }, timeoutMs, 100);
  return { clip, samples };
}

/** The bare tus 1.0 creation request (POST), as any tus client sends it; gives the response. */
export function createUpload(endpoint: string, length: number, metadata: ClipMetadata, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(endpoint, {
    method: 'POST',
    headers: {
      ...headers,
      'tus-resumable': TUS_VERSION,
      'upload-length': String(length),
      'upload-metadata': tusMetadata({ filename: metadata.filename ?? 'clip.mp4', channelId: metadata.channelId, title: metadata.title, ...(metadata.displayName ? { displayName: metadata.displayName } : {}) }),
    },
  });
}

/** One bare tus PATCH of `bytes` at `offset`. */
export function patchUpload(url: string, offset: number, bytes: Buffer, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'PATCH',
    headers: { ...headers, 'tus-resumable': TUS_VERSION, 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream' },
    body: new Uint8Array(bytes),
  });
}

/** A whole file sent in one creation and one PATCH; gives the upload URL and the PATCH's response. */
export async function sendWhole(endpoint: string, file: string, metadata: ClipMetadata, headers: Record<string, string> = {}): Promise<{ url: string; clipId: string; finish: Response }> {
  const bytes = readFileSync(file);
  const created = await createUpload(endpoint, bytes.length, { filename: basename(file), ...metadata }, headers);
  if (created.status !== 201) throw new Error(`tus creation refused: ${created.status} ${await created.text()}`);
  const url = new URL(created.headers.get('location')!, endpoint).href;
  return { url, clipId: lastSegment(url), finish: await patchUpload(url, 0, bytes, headers) };
}

/** The app listening on a port (no media node), an editor's bearer header, a channel and a temp dir for files. */
export async function clipTestApp(t: { teardown(fn: () => unknown): void }, env: Record<string, string> = {}) {
  const ctx = await startApp(t, { listen: true, env });
  const editor = await staff(ctx, 'editor');
  const headers = { authorization: editor.authorization };
  const channel = await createChannel(ctx, editor);
  return { ctx, headers, channel, dir: tempDir(t, 'clips') };
}

/** Files published for the clip `id` in the media storage (the data dir's, with no S3 configured). */
export const publishedFilesOf = (ctx: TestApp, id: string): string[] => {
  const dir = join(ctx.config.dataDir, 'media', 'clips', id);
  return existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String) : [];
};

export const jobRows = async (ctx: TestApp, id: string): Promise<number> => (await ctx.services.store.db.select({ n: count() }).from(vodJobs).where(eq(vodJobs.clipId, id)))[0].n;
