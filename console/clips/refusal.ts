// Why the server refused an uploaded file: the finishing PATCH of a tus upload answers problem JSON
// (RFC 9457) with a stable `code` and, for clips, `messages` in both languages (contracts/clips.ts
// ClipError). Pure: unit-tested.
import type { Bilingual } from '../../server/contracts/clips.ts';

export interface Refusal {
  status: number;
  code: string;
  /** The server's words for people, when it gave them in both languages. */
  messages: Bilingual | null;
  /** The server's detail or title otherwise. */
  detail: string | null;
}

const isBilingual = (v: unknown): v is Bilingual =>
  typeof v === 'object' && v !== null && typeof (v as Bilingual)['zh-CN'] === 'string' && typeof (v as Bilingual).en === 'string';

/** The refusal in a response body; null when the body is not problem JSON (a proxy's HTML page, say). */
export function refusalOf(status: number, body: string): Refusal | null {
  let problem: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed !== 'object' || parsed === null) return null;
    problem = parsed as Record<string, unknown>;
  } catch {
    return null;
  }
  const nested = problem.error as Record<string, unknown> | undefined;
  const messages = [problem.messages, problem.message, nested?.message].find(isBilingual) ?? null;
  const code = [problem.code, nested?.code].find((c): c is string => typeof c === 'string') ?? 'OTHER';
  const detail = [problem.detail, problem.title].find((d): d is string => typeof d === 'string') ?? null;
  return { status, code, messages, detail };
}
