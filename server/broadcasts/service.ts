// Scheduling and running broadcasts. Who may see the stream key and who may act is decided here:
// editors and admins run everything; a host acts only on broadcasts assigned to them.
import type { Account } from '../accounts/service.ts';
import type { AccountStore } from '../accounts/store.ts';
import type { ChannelService } from '../channels/service.ts';
import type { ImageService } from '../images/service.ts';
import type { Clock } from '../clock.ts';
import type { Broadcast, CreateBroadcast, EndedReason, ListBroadcasts, UpdateBroadcast } from '../contracts/broadcasts.ts';
import { ApiError } from '../http/errors.ts';
import { assertMove, EDITABLE_STATES, type BroadcastState } from './state.ts';
import { newStreamKey } from './stream-key.ts';
import type { BroadcastRecord, BroadcastStore, NewBroadcastRow } from './store.ts';
import { toBroadcast, type BroadcastRow } from './view.ts';
import type { PremiereRules } from '../premieres/rules.ts';

/** A start this close behind the clock still counts as now (the form took a while to submit). */
export const START_GRACE_MS = 60_000;

/** What a host may change on a broadcast assigned to them; the schedule itself is the editors'. */
const HOST_EDITABLE = new Set(['title', 'description', 'theme', 'coverImageId']);

/** Deleting these is allowed; a series occurrence is cancelled instead so the series does not re-create it. */
const DELETABLE: readonly BroadcastState[] = ['draft', 'scheduled', 'cancelled'];

const runsSchedules = (actor: Account) => actor.role === 'admin' || actor.role === 'editor';

export interface BroadcastDeps {
  channels: ChannelService;
  images: ImageService;
  accounts: AccountStore;
  clock: Clock;
  publicUrl: string;
  /** Base URL media is served from (`${publicUrl}/media`, or the S3 public URL). */
  mediaUrl: string;
  /** Which clip a broadcast plays (premieres only) and, for a premiere, its length. */
  premieres: Pick<PremiereRules, 'fields'>;
}

/** Who changes a broadcast: a staff member, or the system itself (a feed arrived, a grace period ran out). */
type Actor = Account | 'system';

export class BroadcastService {
  readonly #store: BroadcastStore;
  readonly #deps: BroadcastDeps;
  readonly #endedListeners = new Set<(id: string) => void>();
  readonly #stateListeners = new Set<(id: string, state: BroadcastState) => void>();
  readonly #savedListeners = new Set<(row: BroadcastRow) => void>();

  constructor(store: BroadcastStore, deps: BroadcastDeps) {
    this.#store = store;
    this.#deps = deps;
  }

  #view(record: BroadcastRecord, viewer: Account | 'system' | null): Broadcast {
    const withStreamKey = viewer === 'system' || (viewer !== null && (runsSchedules(viewer) || record.row.hostId === viewer.id));
    return toBroadcast(record.row, record, this.#deps, { withStreamKey });
  }

  async #record(id: string): Promise<BroadcastRecord> {
    const record = await this.#store.byId(id);
    if (!record) throw new ApiError('BROADCAST_NOT_FOUND', `No broadcast ${id}`);
    return record;
  }

  /** The full view, stream key included: for the server's own use (ingest, series, posters). */
  async get(id: string): Promise<Broadcast> {
    return this.#view(await this.#record(id), 'system');
  }

  /** What a resident reached by link may see: anything but a draft, never the stream key. */
  async getPublic(id: string): Promise<Broadcast> {
    const record = await this.#store.byId(id);
    if (!record || record.row.state === 'draft') throw new ApiError('BROADCAST_NOT_FOUND', `No broadcast ${id}`);
    return this.#view(record, null);
  }

  async getFor(viewer: Account | null, id: string): Promise<Broadcast> {
    if (!viewer) return this.getPublic(id);
    return this.#view(await this.#record(id), viewer);
  }

  /** Residents see what is public and published; staff see everything. Earliest start first. */
  async list(viewer: Account | null, query: ListBroadcasts): Promise<Broadcast[]> {
    const records = await this.#store.list({
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
      channelId: query.channelId,
      seriesId: query.seriesId,
      state: query.state,
      listedOnly: viewer === null,
      limit: query.limit ?? 100,
    });
    return records.map((record) => this.#view(record, viewer));
  }

  async create(actor: Account, input: CreateBroadcast): Promise<Broadcast> {
    const scheduledStart = new Date(input.scheduledStart);
    this.#assertNotPast(scheduledStart);
    await this.#assertReferences(input);
    const premiere = await this.#deps.premieres.fields(input.kind, input.clipId, input.channelId);
    const durationMinutes = premiere.durationMinutes ?? input.durationMinutes;
    if (durationMinutes === undefined) throw new ApiError('VALIDATION_FAILED', 'durationMinutes is required (only a premiere takes its length from its clip)');
    const now = this.#deps.clock.now();
    const row = await this.#store.insert({
      channelId: input.channelId,
      title: input.title,
      description: input.description ?? '',
      kind: input.kind,
      clipId: premiere.clipId,
      state: input.state ?? 'scheduled',
      scheduledStart,
      durationMinutes,
      theme: input.theme ?? '',
      hostId: input.hostId ?? null,
      visibility: input.visibility ?? 'public',
      coverImageId: input.coverImageId ?? null,
      streamKey: newStreamKey(),
      createdAt: now,
      updatedAt: now,
    });
    for (const listener of this.#savedListeners) listener(row);
    return this.#view(await this.#record(row.id), actor);
  }

  async update(actor: Account, id: string, patch: UpdateBroadcast): Promise<Broadcast> {
    return this.#change(actor, id, async (row) => {
      if (!runsSchedules(actor)) {
        const refused = Object.keys(patch).filter((field) => !HOST_EDITABLE.has(field));
        if (refused.length > 0) throw new ApiError('FORBIDDEN', `A host may not change ${refused.join(', ')}`);
      }
      if (!EDITABLE_STATES.includes(row.state)) throw new ApiError('BROADCAST_NOT_EDITABLE', `The broadcast is ${row.state}`);
      const scheduledStart = patch.scheduledStart === undefined ? undefined : new Date(patch.scheduledStart);
      if (scheduledStart && scheduledStart.getTime() !== row.scheduledStart.getTime()) this.#assertNotPast(scheduledStart);
      await this.#assertReferences(patch);
      const changes: Partial<NewBroadcastRow> = { ...patch, scheduledStart, ...(await this.#premiereChanges(row, patch)) };
      if (Object.values(changes).every((value) => value === undefined)) return {};
      // Edited alone: series-wide changes from now on leave this occurrence as the staff set it.
      return row.seriesId ? { ...changes, detached: true } : changes;
    });
  }

  /** A premiere's clip and length follow its kind and clip; another kind's clip is dropped. */
  async #premiereChanges(row: BroadcastRow, patch: UpdateBroadcast): Promise<Partial<NewBroadcastRow>> {
    const kind = patch.kind ?? row.kind;
    const touched = [patch.kind, patch.clipId, patch.channelId, patch.durationMinutes].some((value) => value !== undefined);
    if (!touched || (kind !== 'premiere' && patch.clipId === undefined && row.clipId === null)) return {};
    const asked = patch.clipId !== undefined || kind !== 'premiere' ? patch.clipId : row.clipId;
    const { clipId, durationMinutes } = await this.#deps.premieres.fields(kind, asked, patch.channelId ?? row.channelId);
    const changes: Partial<NewBroadcastRow> = {};
    if (clipId !== row.clipId) changes.clipId = clipId;
    if (durationMinutes !== undefined) changes.durationMinutes = durationMinutes === row.durationMinutes ? undefined : durationMinutes;
    return changes;
  }

  async remove(actor: Account, id: string): Promise<void> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const { row } = await this.#record(id);
      this.#assertActsOn(actor, row);
      if (!DELETABLE.includes(row.state)) throw new ApiError('BROADCAST_NOT_EDITABLE', `A ${row.state} broadcast is kept`);
      if (row.seriesId) {
        if (row.state !== 'cancelled') await this.#move(actor, id, 'cancelled');
        return;
      }
      if (await this.#store.deleteOneOff(id, row)) return;
    }
    throw new Error(`broadcast ${id} kept changing while being deleted`);
  }

  publish(actor: Account, id: string): Promise<Broadcast> {
    return this.#move(actor, id, 'scheduled');
  }

  cancel(actor: Account, id: string): Promise<Broadcast> {
    return this.#move(actor, id, 'cancelled');
  }

  start(actor: Account, id: string): Promise<Broadcast> {
    return this.#move(actor, id, 'live', { startedAt: this.#deps.clock.now() });
  }

  /** Staff end a live broadcast. */
  end(actor: Account, id: string): Promise<Broadcast> {
    return this.#end(actor, id, 'staff');
  }

  /** The media ended it: the feed did not return in time, the transcoder failed, or its node went away. */
  endFromMedia(id: string, reason: Exclude<EndedReason, 'staff'>): Promise<Broadcast> {
    return this.#end('system', id, reason);
  }

  async #end(actor: Actor, id: string, endedReason: EndedReason): Promise<Broadcast> {
    const ended = await this.#move(actor, id, 'ended', { endedAt: this.#deps.clock.now(), endedReason });
    for (const listener of this.#endedListeners) listener(id);
    return ended;
  }

  /**
   * Every rendition playlist is closed in storage. Counts for an ended broadcast only (a node that closes
   * its media on its own while the broadcast may still go on publishes no replay), and only the first time.
   */
  markReplayReady(id: string): Promise<Broadcast> {
    return this.#change('system', id, (row) => (row.state === 'ended' && !row.replayReadyAt ? { replayReadyAt: this.#deps.clock.now() } : {}));
  }

  /** A premiere's scheduled second came: it is live from then (not from when the timer fired), for everyone. */
  startPremiere(id: string, startedAt: Date): Promise<Broadcast> {
    return this.#move('system', id, 'live', { startedAt });
  }

  /** The feed arrived: the broadcast goes live with no staff actor, the media itself is the reason. */
  startFromFeed(id: string): Promise<Broadcast> {
    return this.#move('system', id, 'live', { startedAt: this.#deps.clock.now() });
  }

  /** Tells `listener` each time a broadcast ends, whoever ended it; returns the function that stops it. */
  onEnded(listener: (id: string) => void): () => void {
    this.#endedListeners.add(listener);
    return () => this.#endedListeners.delete(listener);
  }

  /** Tells `listener` each time a broadcast's state changes (after it is stored); returns the function that stops it. */
  onStateChange(listener: (id: string, state: BroadcastState) => void): () => void {
    this.#stateListeners.add(listener);
    return () => this.#stateListeners.delete(listener);
  }

  /** Tells `listener` each time a broadcast is created or changed (after it is stored); returns the function that stops it. */
  onSaved(listener: (row: BroadcastRow) => void): () => void {
    this.#savedListeners.add(listener);
    return () => this.#savedListeners.delete(listener);
  }

  /** Who may send a broadcast's feed: its host or an editor, while it is scheduled or live. */
  async assertMayIngest(actor: Account, id: string): Promise<Broadcast> {
    const record = await this.#record(id);
    this.#assertActsOn(actor, record.row);
    if (record.row.state !== 'scheduled' && record.row.state !== 'live') {
      throw new ApiError('INGEST_NOT_ALLOWED', `The broadcast is ${record.row.state}`, { state: record.row.state });
    }
    // A feed would go live under links.hls nobody plays (a premiere's points at its clip).
    if (record.row.kind === 'premiere') throw new ApiError('INGEST_NOT_ALLOWED', 'A premiere plays its clip and takes no feed', { kind: 'premiere' });
    return this.#view(record, actor);
  }

  /** A new ingest secret; the old one stops working at once (a leaked key is revoked this way). */
  rotateStreamKey(actor: Account, id: string): Promise<Broadcast> {
    return this.#change(actor, id, () => ({ streamKey: newStreamKey() }));
  }

  #move(actor: Actor, id: string, to: BroadcastState, values: Partial<NewBroadcastRow> = {}): Promise<Broadcast> {
    return this.#change(actor, id, (row) => {
      assertMove(row.state, to);
      return { ...values, state: to };
    });
  }

  /**
   * Reads the row, lets `plan` check it and say what to write, and writes only if nobody changed the
   * row in between; otherwise the checks run again on what is there now.
   */
  async #change(actor: Actor, id: string, plan: (row: BroadcastRow) => Partial<NewBroadcastRow> | Promise<Partial<NewBroadcastRow>>): Promise<Broadcast> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const { row } = await this.#record(id);
      this.#assertActsOn(actor, row);
      const values = await plan(row);
      if (Object.values(values).every((value) => value === undefined)) return this.#view(await this.#record(id), actor);
      const saved = await this.#store.update(id, values, row, this.#deps.clock.now());
      if (saved) {
        if (values.state && values.state !== row.state) for (const listener of this.#stateListeners) listener(id, values.state);
        for (const listener of this.#savedListeners) listener(saved);
        return this.#view(await this.#record(id), actor);
      }
    }
    throw new Error(`broadcast ${id} kept changing while being updated`);
  }

  #assertActsOn(actor: Actor, row: BroadcastRow): void {
    if (actor !== 'system' && !runsSchedules(actor) && row.hostId !== actor.id) throw new ApiError('NOT_ASSIGNED_HOST');
  }

  #assertNotPast(start: Date): void {
    if (start.getTime() < this.#deps.clock.now().getTime() - START_GRACE_MS) {
      throw new ApiError('START_IN_PAST', `${start.toISOString()} has already passed`);
    }
  }

  async #assertReferences(input: { channelId?: string; hostId?: string | null; coverImageId?: string | null }): Promise<void> {
    if (input.channelId) await this.#deps.channels.get(input.channelId);
    if (input.coverImageId) await this.#deps.images.get(input.coverImageId);
    if (input.hostId) {
      const host = await this.#deps.accounts.byId(input.hostId);
      if (!host || host.disabled) throw new ApiError('HOST_NOT_FOUND', `No active staff account ${input.hostId} to host it`);
    }
  }
}
