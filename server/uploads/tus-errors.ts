// Every answer the tus endpoint gives on failure is problem JSON with a stable code, like the rest of the
// API: our own refusals (ApiError) as they are, @tus/server's protocol errors mapped by their status.
import type { Bilingual } from '../contracts/clips.ts';
import { ApiError, type ErrorCode } from '../http/errors.ts';
import { problemOf, type Problem } from '../http/problem.ts';

/** A finished upload's refusal: the problem carries the message in both languages as `messages`. */
export class UploadRefused extends ApiError {
  constructor(code: ErrorCode, messages: Bilingual) {
    super(code, messages.en, { messages });
  }
}

const TUS_CODES: Record<number, ErrorCode> = {
  404: 'UPLOAD_NOT_FOUND',
  409: 'UPLOAD_OFFSET_MISMATCH',
  410: 'UPLOAD_EXPIRED',
  413: 'UPLOAD_TOO_LARGE',
};

/** `tusError` is @tus/server's `{ status_code, body }` or anything a hook threw. */
export function problemFor(error: unknown, instance: string): Problem {
  if (error instanceof ApiError) return problemOf(error.code, error.message, instance, error.extra);
  const tus = error as { status_code?: number; body?: string };
  const status = tus.status_code;
  if (typeof status !== 'number' || status >= 500) return problemOf('INTERNAL', undefined, instance);
  const code = TUS_CODES[status];
  const detail = tus.body?.trim();
  // Other protocol errors (412 without Tus-Resumable, 415, 400 on bad headers) keep tus's status.
  return code ? problemOf(code, detail, instance) : { ...problemOf('UPLOAD_PROTOCOL_ERROR', detail, instance), status };
}
