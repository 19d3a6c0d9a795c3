// The one API call resident pages make, and the poll that keeps a page's broadcast fresh.
import type { Broadcast } from '../../server/contracts/broadcasts.ts';

export class MissingBroadcast extends Error {}

/** The anonymous view (cookies omitted: a staff member's session must not change what the page shows). */
export async function fetchBroadcast(id: string): Promise<Broadcast> {
  const res = await fetch(`/api/broadcasts/${encodeURIComponent(id)}`, { cache: 'no-store', credentials: 'omit', headers: { accept: 'application/json' } });
  if (res.status === 404) throw new MissingBroadcast(id);
  if (!res.ok) throw new Error(`GET broadcast ${id}: ${res.status}`);
  return (await res.json()) as Broadcast;
}

export interface PollHandlers {
  onBroadcast(broadcast: Broadcast): void;
  /** Deleted or unpublished since the page loaded; polling stops. */
  onMissing(): void;
  /** True after a failed check, false after the next good one. */
  onTrouble(failing: boolean): void;
}

const MAX_BACKOFF_MS = 60_000;

/**
 * Checks the broadcast every `everyMs` (±10 %, so a crowd that opened the page together spreads out),
 * doubling the wait after each failure, pausing while the page is hidden and checking at once when it
 * is shown again. Returns a function that stops it.
 */
export function pollBroadcast(id: string, everyMs: number, handlers: PollHandlers): () => void {
  let wait = everyMs;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let checking = false;
  let stopped = false;

  const schedule = () => {
    clearTimeout(timer);
    if (!stopped && !document.hidden) timer = setTimeout(check, wait * (0.9 + Math.random() * 0.2));
  };
  async function check(): Promise<void> {
    if (checking || stopped) return;
    checking = true;
    try {
      const broadcast = await fetchBroadcast(id);
      wait = everyMs;
      handlers.onTrouble(false);
      if (!stopped) handlers.onBroadcast(broadcast);
    } catch (err) {
      if (err instanceof MissingBroadcast) {
        stop();
        handlers.onMissing();
        return;
      }
      wait = Math.min(wait * 2, MAX_BACKOFF_MS);
      handlers.onTrouble(true);
    } finally {
      checking = false;
      schedule();
    }
  }
  const onVisibility = () => (document.hidden ? clearTimeout(timer) : void check());
  function stop(): void {
    stopped = true;
    clearTimeout(timer);
    document.removeEventListener('visibilitychange', onVisibility);
  }

  document.addEventListener('visibilitychange', onVisibility);
  schedule();
  return stop;
}
