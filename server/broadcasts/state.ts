// The broadcast lifecycle. Pure: services ask here before they write, so every route agrees on which
// moves exist. A draft is invisible to residents; live and ended are history and are never reopened.
import { ApiError } from '../http/errors.ts';

export type BroadcastState = 'draft' | 'scheduled' | 'live' | 'ended' | 'cancelled';

const NEXT: Readonly<Record<BroadcastState, readonly BroadcastState[]>> = {
  draft: ['scheduled', 'cancelled'],
  scheduled: ['draft', 'live', 'cancelled'],
  live: ['ended'],
  ended: [],
  cancelled: [],
};

export const canMove = (from: BroadcastState, to: BroadcastState): boolean => NEXT[from].includes(to);

export function assertMove(from: BroadcastState, to: BroadcastState): void {
  if (!canMove(from, to)) {
    throw new ApiError('INVALID_STATE_TRANSITION', `A ${from} broadcast cannot become ${to}`, { from, to });
  }
}

/** Schedule fields may change only before the broadcast goes live. */
export const EDITABLE_STATES: readonly BroadcastState[] = ['draft', 'scheduled'];
