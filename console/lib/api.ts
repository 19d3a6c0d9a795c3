// Same-origin fetch with the session cookie. A failure becomes an ApiProblem carrying the API's stable
// code, so views branch on codes and show the message in the staff member's language.
import { isKey, t } from './i18n.ts';

export class ApiProblem extends Error {
  readonly code: string;
  readonly status: number;
  readonly retryAfter: number | undefined;

  constructor(status: number, body: { code?: unknown; title?: unknown; detail?: unknown; retryAfter?: unknown } | null) {
    super(String(body?.detail ?? body?.title ?? `HTTP ${status}`));
    this.status = status;
    this.code = typeof body?.code === 'string' ? body.code : status === 0 ? 'NETWORK' : 'OTHER';
    this.retryAfter = typeof body?.retryAfter === 'number' ? body.retryAfter : undefined;
  }

  /** What to show a person: the localized message for the code, the server's words otherwise. */
  localized(): string {
    const code = /_NOT_FOUND$/.test(this.code) ? 'NOT_FOUND' : this.code;
    const key = `err.${code}`;
    return isKey(key) ? t(key, { seconds: this.retryAfter ?? 60, detail: this.message }) : t('err.OTHER', { detail: this.message });
  }
}

let onUnauthenticated: () => void = () => {};

/** Called when a session expires mid-use, so the console returns to the login form. */
export function whenUnauthenticated(handler: () => void): void {
  onUnauthenticated = handler;
}

async function send<T>(method: string, path: string, init: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { method, credentials: 'same-origin', ...init });
  } catch {
    throw new ApiProblem(0, null);
  }
  if (res.status === 204) return undefined as T;
  const body = await res.json().catch(() => null);
  if (!res.ok) {
    const problem = new ApiProblem(res.status, body);
    if (problem.code === 'UNAUTHENTICATED' && path !== '/api/auth/me') onUnauthenticated();
    throw problem;
  }
  return body as T;
}

export function api<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
  return send<T>(method, path, body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

export function upload<T>(path: string, file: File): Promise<T> {
  const form = new FormData();
  form.append('file', file);
  return send<T>('POST', path, { body: form });
}

/** A query string from the defined values. */
export function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

export const messageOf = (err: unknown): string => (err instanceof ApiProblem ? err.localized() : t('err.OTHER', { detail: String(err) }));
