// tus `Upload-Metadata` (already base64-decoded by @tus/server) → the fields a clip needs, checked.
import { UPLOAD_METADATA } from '../contracts/clips.ts';
import { ApiError } from '../http/errors.ts';

export interface ClipFields {
  readonly filename: string;
  readonly channelId: string;
  readonly title: string;
  /** Resident submissions only. */
  readonly displayName: string | null;
}

/** A UUID in any case (clients may upper-case a channel id). */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Control characters (a newline in a title would break the console's one-line lists) are refused.
const CONTROL = /[\u0000-\u001f\u007f]/;

function text(raw: Record<string, string | null>, key: string, max: number, required: boolean): string | null {
  const value = raw[key]?.trim() ?? '';
  if (value === '') {
    if (required) throw new ApiError('UPLOAD_METADATA_INVALID', `Upload-Metadata needs ${key}`, { field: key });
    return null;
  }
  if ([...value].length > max) throw new ApiError('UPLOAD_METADATA_INVALID', `${key} is longer than ${max} characters`, { field: key });
  if (CONTROL.test(value)) throw new ApiError('UPLOAD_METADATA_INVALID', `${key} contains control characters`, { field: key });
  return value;
}

export function clipFieldsOf(raw: Record<string, string | null> | undefined, resident: boolean): ClipFields {
  const meta = raw ?? {};
  const channelId = text(meta, UPLOAD_METADATA.channelId, 36, true)!;
  if (!UUID.test(channelId)) throw new ApiError('UPLOAD_METADATA_INVALID', 'channelId is not a channel id (a UUID)', { field: UPLOAD_METADATA.channelId });
  return {
    filename: text(meta, UPLOAD_METADATA.filename, 255, true)!,
    channelId: channelId.toLowerCase(),
    title: text(meta, UPLOAD_METADATA.title, 120, true)!,
    displayName: text(meta, UPLOAD_METADATA.displayName, 40, resident),
  };
}
