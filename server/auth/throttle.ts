// Login attempt limits per client IP and per account: a fixed budget of failures in a sliding
// window. In memory, per process: behind several replicas each counts its own share (see decisions.md).
export interface ThrottleRule {
  max: number;
  windowMs: number;
}

export class LoginThrottle {
  readonly #rule: ThrottleRule;
  readonly #failures = new Map<string, number[]>();

  constructor(rule: ThrottleRule) {
    this.#rule = rule;
  }

  /** Milliseconds until `key` may try again, or 0. */
  retryAfter(key: string, now: number): number {
    const recent = this.#recent(key, now);
    if (recent.length < this.#rule.max) return 0;
    return recent[0] + this.#rule.windowMs - now;
  }

  fail(key: string, now: number): void {
    const recent = this.#recent(key, now);
    recent.push(now);
    this.#failures.set(key, recent);
  }

  succeed(key: string): void {
    this.#failures.delete(key);
  }

  #recent(key: string, now: number): number[] {
    const times = (this.#failures.get(key) ?? []).filter((t) => t > now - this.#rule.windowMs);
    if (times.length === 0) this.#failures.delete(key);
    return times;
  }
}
