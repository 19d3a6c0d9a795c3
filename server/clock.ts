/** Time as a dependency, so the scheduler and countdowns are testable without waiting. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
