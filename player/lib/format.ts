// Time on resident pages: the countdown's parts and a clock that follows the server's, not the phone's.

export interface CountdownParts {
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

/** Whole days, hours, minutes and seconds left in `ms` (zero once it has passed). Seconds round up, so 0 shows only at the start. */
export function countdownParts(ms: number): CountdownParts {
  const total = Math.max(0, Math.ceil(ms / 1000));
  return {
    days: Math.floor(total / 86_400),
    hours: Math.floor((total % 86_400) / 3600),
    minutes: Math.floor((total % 3600) / 60),
    seconds: total % 60,
  };
}

export const twoDigits = (n: number): string => String(n).padStart(2, '0');

/**
 * The server's time now, from the phone's clock corrected by the difference seen when the page was
 * served (phones are often minutes off; a countdown must not show "started" while the host is not live).
 */
export function serverClock(serverNow: string, phoneNowAtBoot: number = Date.now()): () => number {
  const skew = new Date(serverNow).getTime() - phoneNowAtBoot;
  return () => Date.now() + skew;
}
