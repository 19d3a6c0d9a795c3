// How a resident reads a clip's state: anything before the reviewer's decision is "in review".
import type { ClipState } from '../../server/contracts/clips.ts';
import type { FeedStrings } from '../feed/strings.ts';

export function stateLabel(t: FeedStrings, state: ClipState): string {
  if (state === 'published') return t.statePublished;
  if (state === 'rejected' || state === 'failed') return t.stateRejected;
  return t.stateInReview;
}
