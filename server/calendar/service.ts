// The .ics feeds residents add to their phone's calendar: one broadcast, a series, or a channel.
import type { Clock } from '../clock.ts';
import { ApiError } from '../http/errors.ts';
import { renderCalendar } from './ics.ts';
import type { CalendarStore } from './store.ts';

/** Feeds show this much of the past: recent entries stay in subscribers' calendars. */
const HISTORY_MS = 90 * 24 * 60 * 60 * 1000;

export interface CalendarFile {
  filename: string;
  body: string;
}

export class CalendarService {
  readonly #store: CalendarStore;
  readonly #clock: Clock;
  readonly #publicUrl: string;

  constructor(store: CalendarStore, options: { clock: Clock; publicUrl: string }) {
    this.#store = store;
    this.#clock = options.clock;
    this.#publicUrl = options.publicUrl;
  }

  #since(): Date {
    return new Date(this.#clock.now().getTime() - HISTORY_MS);
  }

  async broadcast(id: string): Promise<CalendarFile> {
    const row = await this.#store.published(id);
    if (!row) throw new ApiError('BROADCAST_NOT_FOUND', `No broadcast ${id}`);
    return { filename: `linbo-broadcast-${id}.ics`, body: renderCalendar(row.title, [row], this.#publicUrl) };
  }

  /** Every occurrence, unlisted ones too: whoever has the series' link may follow all of it. */
  async series(id: string): Promise<CalendarFile> {
    const title = await this.#store.seriesTitle(id);
    if (title === undefined) throw new ApiError('SERIES_NOT_FOUND', `No series ${id}`);
    const rows = await this.#store.seriesOccurrences(id, this.#since());
    return { filename: `linbo-series-${id}.ics`, body: renderCalendar(title, rows, this.#publicUrl) };
  }

  /** What the channel lists publicly. */
  async channel(id: string): Promise<CalendarFile> {
    const name = await this.#store.channelName(id);
    if (name === undefined) throw new ApiError('CHANNEL_NOT_FOUND', `No channel ${id}`);
    const rows = await this.#store.channelBroadcasts(id, this.#since());
    return { filename: `linbo-channel-${id}.ics`, body: renderCalendar(name, rows, this.#publicUrl) };
  }
}
