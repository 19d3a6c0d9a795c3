// The initial data the server writes into the channel feed, submission and clip pages (inline JSON):
// each page draws at once from it, then talks to the feed and clip APIs.
import type { ChannelFeed, Clip } from './clips.ts';
import type { Lang } from './display.ts';

interface PageBase {
  /** The server's clock when the page was rendered (ISO 8601). */
  now: string;
  /** The installation's IANA time zone; times are shown in it, not in the phone's. */
  timezone: string;
  lang: Lang;
}

/** /channels/:slug — null feed when there is no such channel. */
export interface FeedBoot extends PageBase {
  feed: ChannelFeed | null;
}

/** /channels/:slug/submit */
export interface SubmitBoot extends PageBase {
  channel: { id: string; name: string; slug: string } | null;
  /** The longest clip a resident may send, in seconds: checked in the browser before uploading. */
  maxSeconds: number;
  /** The tus endpoint. */
  uploadUrl: string;
}

/** /clips/:id — null when the clip is not published (and not this device's own). */
export interface ClipBoot extends PageBase {
  clip: Clip | null;
  liked: boolean;
}
