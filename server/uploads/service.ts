// The tus 1.0 endpoint's behaviour (@tus/server): who may begin and resume an upload, what its metadata
// must say, how large it may be, and at finish the probe that turns it into a clip or refuses it with
// nothing left behind. The upload's id is the clip's id (S3: under `uploads/` in the bucket).
import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Server, EVENTS } from '@tus/server';
import type { Upload } from '@tus/utils';
import type { Logger } from 'pino';
import { NodeRequest, sendNodeResponse } from 'srvx/node';
import type { UploadedClip, Uploader } from '../clips/ports.ts';
import type { Clock } from '../clock.ts';
import type { UploadLimits } from '../config.ts';
import { ApiError } from '../http/errors.ts';
import type { UploadBackend } from './backend.ts';
import { ownerOf, type Caller } from './caller.ts';
import { inspectUpload } from './inspect.ts';
import { clipFieldsOf, UUID } from './metadata.ts';
import { ProbeSlots } from './probe-slots.ts';
import type { SubmissionStore } from './store.ts';
import { SubmissionLimit } from './submission-limit.ts';
import { problemFor, UploadRefused } from './tus-errors.ts';

export const UPLOADS_PATH = '/api/uploads';

/** ClipService's intake (server/clips): the finished, probed upload becomes the clip with its id. */
export interface ClipIntake {
  createFromUpload(clip: UploadedClip): Promise<unknown>;
}

export interface UploadServiceOptions {
  readonly backend: UploadBackend;
  readonly clips: ClipIntake;
  /** Throws CHANNEL_NOT_FOUND for a channel that does not exist. */
  readonly channels: { get(id: string): Promise<unknown> };
  readonly submissions: SubmissionStore;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly publicUrl: string;
  readonly limits: UploadLimits;
}

/** The server-side keys an upload's metadata carries beside the client's (UPLOAD_METADATA). */
const OWNER = 'owner';
const IP = 'ip';

type TusRequest = Parameters<NonNullable<ConstructorParameters<typeof Server>[0]['onUploadCreate']>>[0];

export class UploadService {
  readonly #server: Server;
  readonly #options: UploadServiceOptions;
  readonly #limit: SubmissionLimit;
  /** Who sent each request in flight (set by the route, read by the hooks). */
  readonly #callers = new WeakMap<IncomingMessage, Caller>();
  /** Uploads whose finish is being probed: a second finishing request is refused, never a second clip. */
  readonly #finishing = new Set<string>();
  readonly #probes = new ProbeSlots(availableParallelism());
  readonly #onTerminate = (_req: unknown, _res: unknown, id: string) => this.#limit.release(id);

  constructor(options: UploadServiceOptions) {
    this.#options = options;
    const { backend, limits, publicUrl } = options;
    this.#limit = new SubmissionLimit(options.submissions, {
      clock: options.clock,
      perDevice: limits.submissionsPerHour,
      perIp: limits.submissionsPerHourPerIp,
      expireMs: limits.expireHours * 3600_000,
    });
    this.#server = new Server({
      path: UPLOADS_PATH,
      datastore: backend.datastore,
      maxSize: (req) => (this.#callerOf(req)?.kind === 'resident' ? limits.submissionMaxBytes : limits.maxBytes),
      namingFunction: () => backend.uploadIdOf(randomUUID()),
      // PUBLIC_URL, not the Host header: behind a proxy the client must get the address it can reach.
      generateUrl: (_req, { id }) => `${publicUrl}${UPLOADS_PATH}/${backend.clipIdOf(id)}`,
      getFileIdFromRequest: (_req, last) => (last && UUID.test(last) ? backend.uploadIdOf(last.toLowerCase()) : undefined),
      allowedOrigins: [new URL(publicUrl).origin],
      allowedCredentials: true,
      disableTerminationForFinishedUploads: true,
      locker: undefined as never, // @tus/server fills in its MemoryLocker
      onIncomingRequest: (req, id) => this.#admit(req, id),
      onUploadCreate: (req, upload) => this.#create(req, upload),
      onUploadFinish: (req, upload) => this.#finish(req, upload),
      onResponseError: (req, error) => this.#problem(req, error),
    });
    this.#server.on(EVENTS.POST_TERMINATE, this.#onTerminate);
  }

  /** Answers one tus request on the raw response; `caller` is null for OPTIONS. Never throws. */
  async handle(req: IncomingMessage, res: ServerResponse, caller: Caller | null): Promise<void> {
    if (caller) this.#callers.set(req, caller);
    try {
      // Server.handle(req, res) without the last step: an error's body is our problem JSON, but a web
      // Response with a string body says text/plain.
      const response = await this.#server.handleWeb(new NodeRequest({ req, res }));
      if (response.status >= 400) response.headers.set('content-type', 'application/problem+json; charset=utf-8');
      await sendNodeResponse(res, response);
    } catch (err) {
      this.#options.logger.error({ err }, 'tus request failed');
      res.destroy();
    }
  }

  close(): void {
    this.#server.off(EVENTS.POST_TERMINATE, this.#onTerminate);
  }

  #callerOf(req: TusRequest): Caller | undefined {
    const node = req.runtime?.node?.req as IncomingMessage | undefined;
    return node && this.#callers.get(node);
  }

  #required(req: TusRequest): Caller {
    const caller = this.#callerOf(req);
    if (!caller) throw new ApiError('UPLOAD_DEVICE_REQUIRED');
    return caller;
  }

  /** HEAD, PATCH, DELETE: only the one who began the upload, and never once it has finished. */
  async #admit(req: TusRequest, id: string): Promise<void> {
    if (req.method === 'POST') return;
    const caller = this.#required(req);
    const upload = await this.#options.backend.datastore.getUpload(id);
    if (upload.metadata?.[OWNER] !== ownerOf(caller)) throw new ApiError('UPLOAD_NOT_YOURS');
    if (this.#finishing.has(id) || (upload.size !== undefined && upload.offset >= upload.size)) throw new ApiError('UPLOAD_FINISHED');
  }

  async #create(req: TusRequest, upload: Upload): Promise<{ metadata: Record<string, string> }> {
    const caller = this.#required(req);
    if (upload.sizeIsDeferred) throw new ApiError('UPLOAD_PROTOCOL_ERROR', 'Send Upload-Length: the size must be known to check it against the limit');
    const resident = caller.kind === 'resident';
    const fields = clipFieldsOf(upload.metadata, resident);
    await this.#options.channels.get(fields.channelId);
    if (resident) await this.#limit.take(upload.id, caller.viewerId, caller.ip);
    return {
      metadata: {
        filename: fields.filename,
        channelId: fields.channelId,
        title: fields.title,
        ...(resident ? { displayName: fields.displayName!, [IP]: caller.ip } : {}),
        [OWNER]: ownerOf(caller),
      },
    };
  }

  async #finish(req: TusRequest, upload: Upload): Promise<Record<string, never>> {
    const { backend, limits, clips } = this.#options;
    if (this.#finishing.has(upload.id)) throw new ApiError('UPLOAD_FINISHED');
    this.#finishing.add(upload.id);
    const clipId = backend.clipIdOf(upload.id);
    const discard = async () => {
      this.#limit.release(upload.id);
      await backend.remove(clipId);
    };
    try {
      const caller = this.#required(req);
      const meta = upload.metadata ?? {};
      const resident = caller.kind === 'resident';
      const maxSeconds = resident ? limits.submissionMaxSeconds : limits.clipMaxSeconds;
      const inspection = await this.#probes.run(async () => inspectUpload(await backend.input(clipId), maxSeconds));
      if (!inspection.ok) {
        await discard();
        throw new UploadRefused(inspection.refusal.code, inspection.refusal.messages);
      }
      const fields = clipFieldsOf(meta, resident);
      const uploader: Uploader =
        caller.kind === 'staff'
          ? { kind: 'staff', account: caller.account }
          : { kind: 'resident', viewerId: caller.viewerId, displayName: fields.displayName!, ip: meta[IP] ?? caller.ip };
      const clip: UploadedClip = { id: clipId, channelId: fields.channelId, title: fields.title, filename: fields.filename, sizeBytes: upload.size ?? upload.offset, uploader, probe: inspection.probe };
      await clips.createFromUpload(clip).catch(async (err: unknown) => {
        await discard();
        throw err;
      });
      this.#limit.release(upload.id);
      return {};
    } finally {
      this.#finishing.delete(upload.id);
    }
  }

  #problem(req: TusRequest, error: unknown): { status_code: number; body: string } {
    const problem = problemFor(error, new URL(req.url).pathname);
    if (problem.status >= 500) this.#options.logger.error({ err: error }, 'upload failed');
    return { status_code: problem.status, body: JSON.stringify(problem) };
  }
}
