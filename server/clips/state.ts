// The clip lifecycle. Pure: the service asks here before it writes, so the review routes, the job
// sink and the console agree on which moves exist. Nothing reaches residents before `published`.
import type { ClipSource, ClipState } from '../contracts/clips.ts';
import { ApiError } from '../http/errors.ts';

const NEXT: Readonly<Record<ClipState, readonly ClipState[]>> = {
  uploaded: ['processing', 'failed'],
  // `published` straight away: a staff upload in a channel that does not review staff uploads.
  processing: ['in_review', 'published', 'failed'],
  in_review: ['published', 'rejected'],
  published: [],
  rejected: [],
  // Retry: the source is still there (only rejection and deletion remove it).
  failed: ['uploaded'],
};

/** The clip's transcode has not finished: a job may still be queued or running for it. */
export const TRANSCODING: readonly ClipState[] = ['uploaded', 'processing'];

export const canMove = (from: ClipState, to: ClipState): boolean => NEXT[from].includes(to);

export function assertMove(from: ClipState, to: ClipState): void {
  if (!canMove(from, to)) throw new ApiError('INVALID_CLIP_TRANSITION', `A ${from} clip cannot become ${to}`, { from, to });
}

/** Approving and rejecting are for clips a reviewer can watch: transcoded and waiting. */
export function assertReviewable(state: ClipState): void {
  if (state !== 'in_review') throw new ApiError('CLIP_NOT_IN_REVIEW', `The clip is ${state}`, { state });
}

/** A rejection tells the sender why; whitespace is no reason. */
export function rejectReason(reason: string): string {
  const trimmed = reason.trim();
  if (!trimmed) throw new ApiError('CLIP_REASON_REQUIRED');
  return trimmed;
}

/** Where a transcoded clip goes: residents' submissions always wait for a reviewer; staff uploads as the channel says. */
export const afterTranscode = (source: ClipSource, reviewStaffUploads: boolean): 'in_review' | 'published' =>
  source === 'staff' && !reviewStaffUploads ? 'published' : 'in_review';
