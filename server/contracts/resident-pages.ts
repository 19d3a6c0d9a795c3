// The initial data the server writes into the countdown, watch and embed pages (inline JSON): the
// page draws at once from it, then keeps it fresh by polling GET /api/broadcasts/:id.
import type { Broadcast } from './broadcasts.ts';
import type { Lang } from './display.ts';

export interface ResidentBoot {
  /** Null when there is no such (published) broadcast: the page says so. */
  broadcast: Broadcast | null;
  /** The server's clock when the page was rendered (ISO 8601), so a phone whose clock is off still counts down right. */
  now: string;
  /** The installation's IANA time zone; times are shown in it, not in the phone's. */
  timezone: string;
  lang: Lang;
  /** How often the page re-checks the broadcast's state, in ms. */
  pollMs: number;
  /** Inside another site's frame: no site chrome, links open outside the frame. */
  embed: boolean;
}
