// Recorded clips from the finished upload to the feed: the VOD job's events move a clip through
// transcoding, editors and admins review it, and nobody but staff and the sending device sees it
// before it is published. Any staff member may list and read clips; hosts upload but do not review.
import type { Account } from '../accounts/service.ts';
import type { ChannelService } from '../channels/service.ts';
import type { Clock } from '../clock.ts';
import type { Clip, ClipError, ClipState, ListClips } from '../contracts/clips.ts';
import { clipPrefix } from '../contracts/media.ts';
import { ApiError } from '../http/errors.ts';
import type { MediaStorage } from '../../media/storage/storage.ts';
import { VOD_CANCELLED } from '../vod/errors.ts';
import type { ClipJobSink, ClipSources, UploadedClip, VodJobs, VodResult } from './ports.ts';
import { afterTranscode, assertMove, assertReviewable, rejectReason, TRANSCODING } from './state.ts';
import type { ClipStore, NewClipRow } from './store.ts';
import { toClip, type ClipRecord, type ClipRow } from './view.ts';

export interface ClipDeps {
  channels: ChannelService;
  jobs: VodJobs;
  sources: ClipSources;
  /** The published media: a rejected or deleted clip's renditions are removed from it. */
  storage: Pick<MediaStorage, 'delete'>;
  clock: Clock;
  publicUrl: string;
  mediaUrl: string;
}

/** What listeners hear after a clip's state is stored; `deleted` once it is gone. */
export interface ClipChange {
  id: string;
  channelId: string;
  state: ClipState | 'deleted';
}

const NOT_QUEUED: ClipError = { code: 'VOD_NOT_QUEUED', message: { 'zh-CN': '转码任务未能排队，请重试', en: 'The transcode could not be queued; retry' } };

const reviews = (actor: Account) => actor.role === 'admin' || actor.role === 'editor';

export class ClipService implements ClipJobSink {
  readonly #store: ClipStore;
  readonly #deps: ClipDeps;
  readonly #listeners = new Set<(change: ClipChange) => void>();

  constructor(store: ClipStore, deps: ClipDeps) {
    this.#store = store;
    this.#deps = deps;
  }

  #view(record: ClipRecord): Clip {
    return toClip(record, this.#deps);
  }

  async #record(id: string): Promise<ClipRecord> {
    const record = await this.#store.byId(id);
    if (!record) throw new ApiError('CLIP_NOT_FOUND', `No clip ${id}`);
    return record;
  }

  /** A finished, probed upload becomes the clip with the upload's id, and its transcode is queued. */
  async createFromUpload(upload: UploadedClip): Promise<Clip> {
    await this.#deps.channels.get(upload.channelId);
    const { uploader, probe } = upload;
    const now = this.#deps.clock.now();
    const inserted = await this.#store.insert({
      id: upload.id,
      channelId: upload.channelId,
      title: upload.title,
      filename: upload.filename,
      source: uploader.kind,
      uploaderId: uploader.kind === 'staff' ? uploader.account.id : null,
      submitterViewerId: uploader.kind === 'resident' ? uploader.viewerId : null,
      // Kept on the row for staff too, so every reader of the table (the feed) shows the same name.
      submitterName: uploader.kind === 'resident' ? uploader.displayName : uploader.account.displayName,
      submitterIp: uploader.kind === 'resident' ? uploader.ip : null,
      state: 'uploaded',
      sizeBytes: upload.sizeBytes,
      durationSeconds: probe.durationSeconds,
      width: probe.width,
      height: probe.height,
      probe,
      createdAt: now,
      updatedAt: now,
    });
    if (!inserted) throw new ApiError('CLIP_EXISTS', `Clip ${upload.id} exists already`);
    this.#emit(upload.id, upload.channelId, 'uploaded');
    return this.#enqueue(upload.id);
  }

  /** Staff: any clip. */
  async get(id: string): Promise<Clip> {
    return this.#view(await this.#record(id));
  }

  /**
   * Staff see any clip; the device that sent a clip sees it in every state (审核中, 未通过…); anyone
   * else only once it is published. A pending submission answers 404 as if it did not exist.
   */
  async getFor(staff: Account | null, viewerId: string | null, id: string): Promise<Clip> {
    const record = await this.#store.byId(id);
    const visible = record && (staff !== null || record.row.state === 'published' || (viewerId !== null && record.row.submitterViewerId === viewerId));
    if (!visible) throw new ApiError('CLIP_NOT_FOUND', `No clip ${id}`);
    return this.#view(record);
  }

  /** Staff: newest first. */
  async list(query: ListClips): Promise<Clip[]> {
    const records = await this.#store.list({ channelId: query.channelId, state: query.state, source: query.source, limit: query.limit ?? 50 });
    return records.map((record) => this.#view(record));
  }

  /** What this device sent to the channel, newest first, in whatever state each is. */
  async mine(viewerId: string, channelId: string): Promise<Clip[]> {
    await this.#deps.channels.get(channelId);
    const records = await this.#store.list({ channelId, submitterViewerId: viewerId, source: 'resident', limit: 50 });
    return records.map((record) => this.#view(record));
  }

  approve(actor: Account, id: string): Promise<Clip> {
    this.#assertReviews(actor);
    return this.#change(id, (row) => {
      assertReviewable(row.state);
      const now = this.#deps.clock.now();
      return { state: 'published', reviewedBy: actor.id, reviewedAt: now, publishedAt: now };
    });
  }

  /** The reason goes back to the sender; the source and anything published are removed. */
  async reject(actor: Account, id: string, reason: string): Promise<Clip> {
    this.#assertReviews(actor);
    const why = rejectReason(reason);
    const clip = await this.#change(id, (row) => {
      assertReviewable(row.state);
      return { state: 'rejected', rejectReason: why, reviewedBy: actor.id, reviewedAt: this.#deps.clock.now() };
    });
    await this.#removeFiles(id);
    return clip;
  }

  /** Stops the clip's transcode; the clip is `failed` (VOD_CANCELLED) and can be retried. */
  async cancel(actor: Account, id: string): Promise<Clip> {
    this.#assertReviews(actor);
    const { row } = await this.#record(id);
    assertMove(row.state, 'failed');
    await this.#deps.jobs.cancel(id);
    // The sink hears `failed` too, possibly later; whichever comes first, the clip ends up failed once.
    await this.failed(id, VOD_CANCELLED);
    return this.get(id);
  }

  /** A failed clip is queued again from its kept source. */
  async retry(actor: Account, id: string): Promise<Clip> {
    this.#assertReviews(actor);
    await this.#change(id, (row) => {
      assertMove(row.state, 'uploaded');
      return { state: 'uploaded', error: null, progress: 0, etaSeconds: null };
    });
    return this.#enqueue(id);
  }

  /** Removes the clip, its source and its published files; refused while a premiere plays it. */
  async remove(actor: Account, id: string): Promise<void> {
    this.#assertReviews(actor);
    const { row } = await this.#record(id);
    if (await this.#store.usedByBroadcast(id)) throw new ApiError('CLIP_IN_USE', `A premiere plays clip ${id}`);
    if (TRANSCODING.includes(row.state)) await this.#deps.jobs.cancel(id);
    // Checked again in the delete itself: a premiere scheduled meanwhile keeps its clip (the next pass
    // refuses), and a clip deleted meanwhile answers 404 there.
    if (!(await this.#store.deleteUnused(id))) return this.remove(actor, id);
    await this.#removeFiles(id);
    this.#emit(id, row.channelId, 'deleted');
  }

  /** Tells `listener` each time a clip's state changes or it is deleted; returns the function that stops it. */
  onChange(listener: (change: ClipChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  // ── ClipJobSink: server/vod reports here. An event about a clip that has moved on (cancelled,
  // deleted, a duplicate after a restart) changes nothing.

  async started(clipId: string): Promise<void> {
    await this.#changeQuietly(clipId, TRANSCODING, () => ({ state: 'processing', progress: 0, etaSeconds: null }));
  }

  async progress(clipId: string, percent: number, etaSeconds: number | null): Promise<void> {
    const progress = Math.min(100, Math.max(0, percent));
    const eta = etaSeconds === null ? null : Math.max(0, Math.round(etaSeconds));
    await this.#changeQuietly(clipId, TRANSCODING, () => ({ state: 'processing', progress, etaSeconds: eta }));
  }

  async done(clipId: string, result: VodResult): Promise<void> {
    const record = await this.#store.byId(clipId);
    if (!record || !TRANSCODING.includes(record.row.state)) {
      // Nobody will show these files: the clip was cancelled, rejected or deleted meanwhile.
      if (!record || record.row.state === 'failed' || record.row.state === 'rejected') await this.#deps.storage.delete(clipPrefix(clipId));
      return;
    }
    const to = afterTranscode(record.row.source, record.channel.reviewStaffUploads);
    const now = this.#deps.clock.now();
    await this.#changeQuietly(clipId, TRANSCODING, () => ({
      state: to,
      progress: 100,
      etaSeconds: null,
      durationSeconds: result.durationSeconds,
      renditions: result,
      publishedAt: to === 'published' ? now : null,
    }));
  }

  async failed(clipId: string, error: ClipError): Promise<void> {
    await this.#changeQuietly(clipId, TRANSCODING, () => ({ state: 'failed', error, etaSeconds: null }));
  }

  async #enqueue(id: string): Promise<Clip> {
    try {
      await this.#deps.jobs.enqueue(id);
    } catch (error) {
      await this.failed(id, NOT_QUEUED);
      throw error;
    }
    return this.get(id);
  }

  async #removeFiles(id: string): Promise<void> {
    await this.#deps.sources.remove(id);
    await this.#deps.storage.delete(clipPrefix(id));
  }

  /**
   * Reads the clip, lets `plan` check it and say what to write, and writes only if its state is still
   * the one checked; otherwise the checks run again on what is there now.
   */
  async #change(id: string, plan: (row: ClipRow) => Partial<NewClipRow>): Promise<Clip> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const { row } = await this.#record(id);
      const values = plan(row);
      if (await this.#store.update(id, values, [row.state], this.#deps.clock.now())) {
        if (values.state && values.state !== row.state) this.#emit(id, row.channelId, values.state);
        return this.get(id);
      }
    }
    throw new Error(`clip ${id} kept changing while being updated`);
  }

  /**
   * A job event: applied while the clip is still transcoding, dropped otherwise. An `uploaded` clip
   * whose `started` was lost passes through `processing` in the same write.
   */
  async #changeQuietly(id: string, from: readonly ClipState[], plan: () => Partial<NewClipRow>): Promise<void> {
    const before = await this.#store.byId(id);
    if (!before || !from.includes(before.row.state)) return;
    const values = plan();
    if ((await this.#store.update(id, values, from, this.#deps.clock.now())) && values.state && values.state !== before.row.state) {
      this.#emit(id, before.row.channelId, values.state);
    }
  }

  #emit(id: string, channelId: string, state: ClipChange['state']): void {
    for (const listener of this.#listeners) listener({ id, channelId, state });
  }

  #assertReviews(actor: Account): void {
    if (!reviews(actor)) throw new ApiError('FORBIDDEN', `Reviewing clips needs the role editor or admin; you are ${actor.role}`);
  }
}
