// Series: a recurrence whose occurrences are materialised as broadcasts up to a horizon, so every
// occurrence has its own links, poster, stream key and calendar entry before it happens.
import type { AccountStore } from '../accounts/store.ts';
import type { ChannelService } from '../channels/service.ts';
import type { ImageService } from '../images/service.ts';
import type { Clock } from '../clock.ts';
import type { CreateSeries, Series, UpdateSeries } from '../contracts/series.ts';
import { ApiError } from '../http/errors.ts';
import { seriesIcsLink } from '../broadcasts/links.ts';
import { newStreamKey } from '../broadcasts/stream-key.ts';
import { planOccurrences } from './plan.ts';
import { normaliseRrule, validateRecurrence } from './recurrence.ts';
import type { SeriesRow, SeriesStore } from './store.ts';

/** A start this little in the past still counts as now (the form was filled in a minute ago). */
const START_GRACE_MS = 60_000;
const DAY_MS = 24 * 60 * 60 * 1000;
const WEEK_MS = 7 * DAY_MS;

export interface SeriesDeps {
  channels: ChannelService;
  images: ImageService;
  accounts: AccountStore;
  clock: Clock;
  publicUrl: string;
  /** The zone wall-clock times and month themes are read in. */
  timezone: string;
  horizonWeeks: number;
}

export class SeriesService {
  readonly #store: SeriesStore;
  readonly #deps: SeriesDeps;

  constructor(store: SeriesStore, deps: SeriesDeps) {
    this.#store = store;
    this.#deps = deps;
  }

  #view(row: SeriesRow): Series {
    return {
      id: row.id,
      channelId: row.channelId,
      title: row.title,
      description: row.description,
      kind: row.kind,
      rrule: row.rrule,
      firstStart: row.firstStart.toISOString(),
      timezone: row.timezone,
      durationMinutes: row.durationMinutes,
      themes: row.themes,
      hostId: row.hostId,
      visibility: row.visibility,
      coverImageId: row.coverImageId,
      endedAt: row.endedAt?.toISOString() ?? null,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
      links: { ics: seriesIcsLink(this.#deps.publicUrl, row.id) },
    };
  }

  async list(): Promise<Series[]> {
    return (await this.#store.list()).map((row) => this.#view(row));
  }

  async get(id: string): Promise<Series> {
    const row = await this.#store.byId(id);
    if (!row) throw new ApiError('SERIES_NOT_FOUND', `No series ${id}`);
    return this.#view(row);
  }

  async create(input: CreateSeries): Promise<Series> {
    const now = this.#deps.clock.now();
    await this.#deps.channels.get(input.channelId);
    await this.#checkRefs(input);
    const firstStart = new Date(input.firstStart);
    if (firstStart.getTime() < now.getTime() - START_GRACE_MS) {
      throw new ApiError('START_IN_PAST', `The first start ${input.firstStart} has passed`);
    }
    const rrule = normaliseRrule(input.rrule);
    validateRecurrence({ rrule, firstStart, timezone: this.#deps.timezone });
    return this.#store.transaction(async (store) => {
      const row = await store.insert({
        channelId: input.channelId,
        title: input.title,
        description: input.description ?? '',
        kind: input.kind,
        rrule,
        firstStart,
        timezone: this.#deps.timezone,
        durationMinutes: input.durationMinutes,
        themes: input.themes ?? {},
        hostId: input.hostId ?? null,
        visibility: input.visibility ?? 'public',
        coverImageId: input.coverImageId ?? null,
        createdAt: now,
        updatedAt: now,
      });
      await this.#replan(store, row, now, now);
      return this.#view(row);
    });
  }

  /** Changes the series and re-plans its occurrences from `patch.from` (default now) on. */
  async update(id: string, patch: UpdateSeries): Promise<Series> {
    const { from: fromText, ...changes } = patch;
    await this.#checkRefs(changes);
    const now = this.#deps.clock.now();
    const from = fromText && new Date(fromText) > now ? new Date(fromText) : now;
    return this.#store.transaction(async (store) => {
      const current = await store.lock(id);
      if (!current) throw new ApiError('SERIES_NOT_FOUND', `No series ${id}`);
      const rrule = changes.rrule === undefined ? current.rrule : normaliseRrule(changes.rrule);
      const firstStart = changes.firstStart === undefined ? current.firstStart : new Date(changes.firstStart);
      if (changes.rrule !== undefined || changes.firstStart !== undefined) validateRecurrence({ rrule, firstStart, timezone: current.timezone });
      const row = await store.update(id, { ...changes, rrule, firstStart, updatedAt: now });
      await this.#replan(store, row!, from, now);
      return this.#view(row!);
    });
  }

  /** Ends the series: no new occurrences, and its future ones that follow it are cancelled. */
  async end(id: string): Promise<void> {
    const now = this.#deps.clock.now();
    await this.#store.transaction(async (store) => {
      const current = await store.lock(id);
      if (!current) throw new ApiError('SERIES_NOT_FOUND', `No series ${id}`);
      const row = current.endedAt ? current : await store.update(id, { endedAt: now, updatedAt: now });
      await this.#replan(store, row!, now, now);
    });
  }

  /**
   * Materialises every active series up to the horizon from now. Only adds occurrences after the last
   * one stored: what lies before it was planned by create or update (which respect their `from`).
   */
  async extendAll(): Promise<number> {
    const now = this.#deps.clock.now();
    let inserted = 0;
    for (const { id } of await this.#store.active()) {
      inserted += await this.#store.transaction(async (store) => {
        const row = await store.lock(id);
        if (!row || row.endedAt) return 0;
        const latest = await store.latestOccurrenceStart(id);
        const from = latest && latest >= now ? new Date(latest.getTime() + 1) : now;
        return this.#replan(store, row, from, now);
      });
    }
    return inserted;
  }

  /** Writes the plan for `row` from `from` on; returns how many occurrences were added. */
  async #replan(store: SeriesStore, row: SeriesRow, from: Date, now: Date): Promise<number> {
    // A day early: see planOccurrences.
    const stored = await store.occurrencesSince(row.id, new Date(from.getTime() - DAY_MS));
    const plan = planOccurrences(row, stored, { now, from, to: new Date(now.getTime() + this.#deps.horizonWeeks * WEEK_MS) });
    const inserted = await store.insertOccurrences(
      plan.inserts.map((fields) => ({ ...fields, channelId: row.channelId, seriesId: row.id, streamKey: newStreamKey(), createdAt: now, updatedAt: now })),
    );
    // An occurrence edited alone since it was read is skipped by the store: its own edit wins.
    for (const { id, version, changes } of plan.updates) await store.updateOccurrence(id, version, changes, now);
    for (const { id, version } of plan.cancellations) await store.cancelOccurrence(id, version, now);
    return inserted;
  }

  async #checkRefs(refs: { hostId?: string | null; coverImageId?: string | null }): Promise<void> {
    if (refs.coverImageId) await this.#deps.images.get(refs.coverImageId);
    if (refs.hostId) {
      const host = await this.#deps.accounts.byId(refs.hostId);
      if (!host || host.disabled) throw new ApiError('HOST_NOT_FOUND', `No active staff account ${refs.hostId} to host it`);
    }
  }
}
