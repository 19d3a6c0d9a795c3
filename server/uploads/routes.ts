// The tus 1.0 endpoint (https://tus.io/protocols/resumable-upload): Fastify identifies the caller and
// documents the routes; @tus/server answers on the raw request, reading the body as a stream straight
// into the store, so memory stays flat whatever the file's size.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { Type } from 'typebox';
import type { AuthService } from '../auth/service.ts';
import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import { Id } from '../contracts/common.ts';
import { UPLOAD_METADATA } from '../contracts/clips.ts';
import type { Db } from '../store/db.ts';
import { callerOf } from './caller.ts';
import { UploadExpiry } from './expiry.ts';
import { UploadService, UPLOADS_PATH, type ClipIntake } from './service.ts';
import type { ClipSourceStore } from './sources.ts';
import { SubmissionStore } from './store.ts';

export interface UploadRoutesOptions {
  readonly auth: AuthService;
  readonly channels: { get(id: string): Promise<unknown> };
  readonly clips: ClipIntake;
  readonly sources: ClipSourceStore;
  readonly db: Db;
  readonly clock: Clock;
  readonly config: Pick<Config, 'publicUrl' | 'uploads'>;
}

/** How often unfinished uploads past their expiry are looked for. */
const SWEEP_MS = 15 * 60_000;

const tags = ['clips'];
const Params = Type.Object({ id: Id });
const tusHeader = (description: string) => Type.Optional(Type.String({ description }));
const TusHeaders = Type.Object({
  'tus-resumable': tusHeader('Always `1.0.0`'),
  authorization: tusHeader('Staff: `Bearer <token>` (or the console\'s session cookie). Residents send none: the `linbo_device` cookie the submission page sets identifies them.'),
});
const CreateHeaders = Type.Intersect([
  TusHeaders,
  Type.Object({
    'upload-length': tusHeader('The file\'s size in bytes (required: Upload-Defer-Length is refused)'),
    'upload-metadata': tusHeader(
      `Comma-separated \`key base64(value)\` pairs: ${UPLOAD_METADATA.filename} (1–255 characters), ${UPLOAD_METADATA.channelId} (an existing channel), ` +
        `${UPLOAD_METADATA.title} (1–120), and for residents ${UPLOAD_METADATA.displayName} (1–40)`,
    ),
  }),
]);
const PatchHeaders = Type.Intersect([
  TusHeaders,
  Type.Object({ 'upload-offset': tusHeader('Where these bytes start: the Upload-Offset a HEAD answered'), 'content-type': tusHeader('`application/offset+octet-stream`') }),
]);
const Problem = (description: string) => Type.Ref('Problem', { description });
const Empty = (description: string) => Type.Null({ description });

export const uploadRoutes: FastifyPluginAsyncTypebox<UploadRoutesOptions> = async (app, options) => {
  const { auth, sources, config } = options;
  const logger = app.log as unknown as Logger;
  const uploads = new UploadService({
    backend: sources.backend,
    clips: options.clips,
    channels: options.channels,
    submissions: new SubmissionStore(options.db),
    clock: options.clock,
    logger,
    publicUrl: config.publicUrl,
    limits: config.uploads,
  });
  const expiry = new UploadExpiry(sources.backend, { clock: options.clock, expireMs: config.uploads.expireHours * 3600_000, logger });
  expiry.start(SWEEP_MS);
  app.addHook('onClose', async () => {
    expiry.close();
    uploads.close();
  });

  // PATCH bodies are left unread for @tus/server to stream into the store.
  app.addContentTypeParser('application/offset+octet-stream', (_request, _payload, done) => done(null));

  const tus = async (request: FastifyRequest, reply: FastifyReply) => {
    const caller = request.method === 'OPTIONS' ? null : await callerOf(request, auth);
    reply.hijack();
    await uploads.handle(request.raw, reply.raw, caller);
  };
  const refusals = {
    400: Problem('UPLOAD_METADATA_INVALID, UPLOAD_PROTOCOL_ERROR'),
    401: Problem('UPLOAD_DEVICE_REQUIRED: neither a staff login nor a device cookie'),
    403: Problem('UPLOAD_NOT_YOURS: begun by someone else'),
    404: Problem('UPLOAD_NOT_FOUND, CHANNEL_NOT_FOUND'),
    409: Problem('UPLOAD_FINISHED (a finished upload takes no more requests), UPLOAD_OFFSET_MISMATCH'),
    410: Problem('UPLOAD_EXPIRED: not finished within LINBO_UPLOAD_EXPIRE_HOURS'),
    413: Problem('UPLOAD_TOO_LARGE: over LINBO_MAX_UPLOAD_BYTES (staff) or LINBO_SUBMISSION_MAX_BYTES (residents)'),
  };
  const supported = { 204: Empty('Tus-Version, Tus-Extension and Tus-Max-Size') };

  app.options(UPLOADS_PATH, { schema: { tags, summary: 'tus: what this server supports (versions, extensions, largest upload)', response: supported } }, tus);
  app.post(
    UPLOADS_PATH,
    {
      schema: {
        tags,
        summary: 'tus: begin an upload of a recorded clip; Location is its URL, whose last segment is the clip\'s id',
        description:
          'Staff upload to any channel; a resident (no login, the device cookie) sends a submission with a display name, ' +
          'limited per device (LINBO_SUBMISSIONS_PER_HOUR) and per address (LINBO_SUBMISSIONS_PER_HOUR_PER_IP). ' +
          'Unfinished uploads are removed after LINBO_UPLOAD_EXPIRE_HOURS.',
        headers: CreateHeaders,
        response: { 201: Empty('Created: Location is the upload'), ...refusals, 429: Problem('SUBMISSION_RATE_LIMITED') },
      },
    },
    tus,
  );
  app.options(`${UPLOADS_PATH}/:id`, { schema: { tags, summary: "tus: what this server supports, at an upload's URL", params: Params, response: supported } }, tus);
  app.head(
    `${UPLOADS_PATH}/:id`,
    {
      // @fastify/swagger leaves HEAD routes out (Fastify adds one to every GET); this one is tus's own.
      config: { swagger: { exposeHeadRoute: true } },
      schema: {
        tags,
        summary: 'tus: how much of the upload the server holds (Upload-Offset), to resume from there',
        params: Params,
        headers: TusHeaders,
        response: { 200: Empty('Upload-Offset and Upload-Length'), ...refusals },
      },
    },
    tus,
  );
  app.patch(
    `${UPLOADS_PATH}/:id`,
    {
      schema: {
        tags,
        summary: 'tus: send bytes from Upload-Offset; the request that completes the file is answered once it is probed',
        description:
          'The finishing request answers 204 once the clip exists (GET /api/clips/:id), or 422 problem JSON with `messages` ' +
          "{'zh-CN', en} when the file is refused (its bytes are removed): UPLOAD_NOT_VIDEO, UPLOAD_NO_VIDEO_STREAM, UPLOAD_CORRUPT, " +
          'UPLOAD_TOO_LONG (over LINBO_CLIP_MAX_SECONDS, or LINBO_SUBMISSION_MAX_SECONDS for residents).',
        params: Params,
        headers: PatchHeaders,
        consumes: ['application/offset+octet-stream'],
        response: { 204: Empty('Accepted: Upload-Offset is the new offset'), ...refusals, 422: Problem('The finished file is not taken as a clip') },
      },
    },
    tus,
  );
  app.delete(
    `${UPLOADS_PATH}/:id`,
    {
      schema: {
        tags,
        summary: 'tus: abandon an unfinished upload (its bytes are removed); a finished one is a clip: delete that instead',
        params: Params,
        headers: TusHeaders,
        response: { 204: Empty('Removed'), ...refusals },
      },
    },
    tus,
  );
};
