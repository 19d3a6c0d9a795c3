// Why a VOD job stopped, for the people who uploaded the clip: ffmpeg's own last words, kept short.
import type { ClipError } from '../../server/contracts/clips.ts';

const MAX_REASON = 300;
/** Lines of ffmpeg's stderr that name what went wrong, rather than warnings on the way there. */
const ERROR_LINE = /error|invalid|could not|cannot|failed|no such|unsupported|corrupt|killed/i;

/** The telling lines of ffmpeg's stderr tail (the last ones that say error), or its last line. */
export function summariseStderr(tail: string): string {
  const lines = tail.split('\n').map((l) => l.trim()).filter(Boolean);
  const telling = lines.filter((l) => ERROR_LINE.test(l)).slice(-2);
  const summary = (telling.length > 0 ? telling : lines.slice(-1)).join(' / ');
  return summary.length > MAX_REASON ? `${summary.slice(0, MAX_REASON - 1)}…` : summary;
}

export function vodFailed(reason: string): ClipError {
  const detail = reason || 'unknown';
  return { code: 'VOD_FAILED', message: { 'zh-CN': `视频转码失败：${detail}`, en: `The video could not be transcoded: ${detail}` } };
}

export const VOD_CANCELLED: ClipError = {
  code: 'VOD_CANCELLED',
  message: { 'zh-CN': '转码已取消', en: 'The transcode was cancelled' },
};

/** Thrown inside a job when it is cancelled, so every step unwinds the same way a failure does. */
export class VodCancelled extends Error {
  constructor() {
    super('cancelled');
  }
}
