// Publishes one broadcast's HLS output from the local dir ffmpeg writes into to the media storage.
// Rules (DESIGN.md, live path "Publish"): a playlist goes up only after every file it names is stored;
// only the newest version of a playlist waiting to go up is sent; a failed upload is retried with
// backoff for as long as the broadcast runs, so no segment is ever dropped (the queue holds keys
// and paths, the bytes stay on disk); finish() closes the playlists with ENDLIST and the live window
// becomes the replay, with no re-encode.
import { EventEmitter } from 'node:events';
import { readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { isPlaylist, mediaTypeOf, type MediaStorage } from '../storage/storage.ts';
import { hasEndList, isMediaPlaylist, referencedKeys, withEndList } from './playlist.ts';

export interface PublisherOptions {
  readonly storage: MediaStorage;
  /** The broadcast's working dir; ffmpeg writes its segments and playlists here. */
  readonly dir: string;
  /** Where the broadcast lives in storage, e.g. `live/<broadcastId>`. */
  readonly prefix: string;
  /** Uploads in flight at once. */
  readonly concurrency?: number;
  /** Backoff after a failed upload: doubles from `baseMs` up to `maxMs`, with jitter. */
  readonly retry?: { readonly baseMs: number; readonly maxMs: number };
  /** Keys storage holds already (an earlier node's segments and init sections): never uploaded again. */
  readonly stored?: Iterable<string>;
}

export interface PublisherStats {
  readonly pendingSegments: number;
  readonly pendingPlaylists: number;
  readonly uploading: number;
  /** How long the oldest segment not yet stored has waited: how far storage lags the broadcast. */
  readonly oldestPendingMs: number;
  readonly storedObjects: number;
  readonly storedBytes: number;
  readonly consecutiveFailures: number;
  readonly lastError: { readonly message: string; readonly at: Date } | undefined;
}

interface PublisherEvents {
  stored: [key: string];
  retrying: [error: Error, delayMs: number];
  /** A playlist names a file that is not in the working dir: it cannot be published. */
  missing: [key: string];
  finished: [];
  closed: [];
}

interface PlaylistState {
  readonly path: string;
  /** A newer version is on disk than in storage. */
  dirty: boolean;
  /** Names files not stored yet; looked at again when one is. */
  blocked: boolean;
}

type Task = { kind: 'segment'; key: string; path: string } | { kind: 'playlist'; key: string; state: PlaylistState };

export class HlsPublisher extends EventEmitter<PublisherEvents> {
  readonly #storage: MediaStorage;
  readonly #dir: string;
  readonly #prefix: string;
  readonly #concurrency: number;
  readonly #retry: { baseMs: number; maxMs: number };
  /** Segments waiting for storage, oldest first, with when they were reported. */
  readonly #segments = new Map<string, { path: string; since: number }>();
  readonly #playlists = new Map<string, PlaylistState>();
  readonly #inFlight = new Set<string>();
  readonly #stored = new Set<string>();
  readonly #missing = new Set<string>();
  #storedBytes = 0;
  /** Counts stores and missing reports, so a playlist can tell whether one happened while it looked. */
  #settled = 0;
  #failures = 0;
  #lastError: PublisherStats['lastError'];
  #retryTimer: NodeJS.Timeout | undefined;
  #idleWaiters: { resolve: () => void; reject: (err: Error) => void }[] = [];
  #closed = false;

  constructor(options: PublisherOptions) {
    super();
    this.#storage = options.storage;
    this.#dir = options.dir;
    this.#prefix = options.prefix.replace(/\/+$/, '');
    this.#concurrency = options.concurrency ?? 4;
    this.#retry = { baseMs: 250, maxMs: 5_000, ...options.retry };
    for (const key of options.stored ?? []) this.#stored.add(key);
  }

  /** ffmpeg finished writing a segment (or init section) at `path`; it will not change again. */
  segmentWritten(path: string): void {
    const key = this.#keyOf(path);
    if (this.#closed || this.#stored.has(key) || this.#segments.has(key)) return;
    this.#segments.set(key, { path, since: Date.now() });
    this.#pump();
  }

  /** ffmpeg wrote (renamed into place) a new version of the playlist at `path`. */
  playlistWritten(path: string): void {
    const key = this.#keyOf(path);
    if (this.#closed) return;
    const state = this.#playlists.get(key);
    if (state) state.dirty = true;
    else this.#playlists.set(key, { path, dirty: true, blocked: false });
    this.#pump();
  }

  /**
   * Call once ffmpeg has exited: closes every media playlist in the working dir with ENDLIST and
   * resolves when all of it is stored. Keeps retrying until then; close() gives up instead.
   */
  async finish(): Promise<void> {
    for (const path of await playlistFiles(this.#dir)) {
      const text = await readFile(path, 'utf8');
      if (isMediaPlaylist(text) && !hasEndList(text)) await writeAtomically(path, withEndList(text));
      this.playlistWritten(path);
    }
    await this.#idle();
    this.emit('finished');
  }

  stats(): PublisherStats {
    const oldest = this.#segments.values().next().value;
    return {
      pendingSegments: this.#segments.size,
      pendingPlaylists: [...this.#playlists.values()].filter((p) => p.dirty).length,
      uploading: this.#inFlight.size,
      oldestPendingMs: oldest ? Date.now() - oldest.since : 0,
      storedObjects: this.#stored.size,
      storedBytes: this.#storedBytes,
      consecutiveFailures: this.#failures,
      lastError: this.#lastError,
    };
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#retryTimer);
    for (const waiter of this.#idleWaiters.splice(0)) waiter.reject(this.#closedError());
    this.emit('closed');
  }

  #closedError(): Error {
    return new Error(`publisher closed with ${this.#segments.size} segments not stored`);
  }

  #keyOf(path: string): string {
    const rel = relative(this.#dir, path);
    if (rel === '' || rel.startsWith('..') || rel.startsWith(sep)) throw new Error(`${path} is not inside ${this.#dir}`);
    return `${this.#prefix}/${rel.split(sep).join('/')}`;
  }

  #pathOf(key: string): string {
    return join(this.#dir, ...key.slice(this.#prefix.length + 1).split('/'));
  }

  #pump(): void {
    if (this.#closed || this.#retryTimer) return;
    while (this.#inFlight.size < this.#concurrency) {
      const task = this.#nextTask();
      if (!task) break;
      this.#inFlight.add(task.key);
      void this.#run(task);
    }
    if (this.#inFlight.size === 0 && this.#segments.size === 0 && ![...this.#playlists.values()].some((p) => p.dirty)) {
      for (const waiter of this.#idleWaiters.splice(0)) waiter.resolve();
    }
  }

  // Segments first: every playlist is waiting for them anyway.
  #nextTask(): Task | undefined {
    for (const [key, { path }] of this.#segments) {
      if (!this.#inFlight.has(key)) return { kind: 'segment', key, path };
    }
    for (const [key, state] of this.#playlists) {
      if (state.dirty && !state.blocked && !this.#inFlight.has(key)) return { kind: 'playlist', key, state };
    }
    return undefined;
  }

  async #run(task: Task): Promise<void> {
    try {
      if (task.kind === 'segment') await this.#publishSegment(task.key, task.path);
      else await this.#publishPlaylist(task.key, task.state);
    } catch (err) {
      if (task.kind === 'playlist') task.state.dirty = true;
      if (!this.#closed) this.#backOff(err instanceof Error ? err : new Error(String(err)));
    } finally {
      this.#inFlight.delete(task.key);
    }
    this.#pump();
  }

  async #publishSegment(key: string, path: string): Promise<void> {
    let body: Buffer;
    try {
      body = await readFile(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      this.#segments.delete(key);
      this.#reportMissing(key);
      return;
    }
    await this.#storage.put(key, body, mediaTypeOf(key));
    this.#segments.delete(key);
    this.#markStored(key, body.length);
  }

  async #publishPlaylist(key: string, state: PlaylistState): Promise<void> {
    // Cleared before reading, so a version written while this one uploads is sent after it.
    state.dirty = false;
    const settledBefore = this.#settled;
    let body: Buffer;
    try {
      body = await readFile(state.path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      // Gone from disk: nothing to send until it is written again.
      this.#playlists.delete(key);
      this.#unblockPlaylists();
      return;
    }
    const unmet: string[] = [];
    for (const ref of referencedKeys(key, body.toString('utf8'), this.#prefix)) {
      if (this.#stored.has(ref) || this.#missing.has(ref)) continue;
      const queued = this.#segments.has(ref) || this.#inFlight.has(ref) || this.#playlists.get(ref)?.dirty;
      if (queued || (await this.#discover(ref))) unmet.push(ref);
    }
    if (unmet.length > 0) {
      state.dirty = true;
      // Unless what it waits for was settled while this looked, which would leave it waiting for ever.
      state.blocked = this.#settled === settledBefore;
      return;
    }
    await this.#storage.put(key, body, mediaTypeOf(key));
    this.#markStored(key, body.length);
  }

  #markStored(key: string, bytes: number): void {
    this.#stored.add(key);
    this.#storedBytes += bytes;
    this.#failures = 0;
    this.#unblockPlaylists();
    if (!this.#closed) this.emit('stored', key);
  }

  /** Something a playlist may be waiting for is settled: look at the waiting ones again. */
  #unblockPlaylists(): void {
    this.#settled += 1;
    for (const state of this.#playlists.values()) state.blocked = false;
  }

  /** A file the playlist names that nobody reported: queue it if it is on disk. */
  async #discover(key: string): Promise<boolean> {
    const path = this.#pathOf(key);
    if (!(await stat(path).then((s) => s.isFile(), () => false))) {
      this.#reportMissing(key);
      return false;
    }
    if (isPlaylist(key)) this.playlistWritten(path);
    else this.segmentWritten(path);
    return true;
  }

  #reportMissing(key: string): void {
    this.#missing.add(key);
    this.#unblockPlaylists();
    if (!this.#closed) this.emit('missing', key);
  }

  #backOff(error: Error): void {
    this.#lastError = { message: error.message, at: new Date() };
    // Uploads already in flight when storage went away fail too; they join the same wait.
    if (this.#retryTimer) return;
    this.#failures += 1;
    const ceiling = Math.min(this.#retry.maxMs, this.#retry.baseMs * 2 ** (this.#failures - 1));
    const delayMs = Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      this.#pump();
    }, delayMs);
    this.emit('retrying', error, delayMs);
  }

  #idle(): Promise<void> {
    if (this.#closed) return Promise.reject(this.#closedError());
    const done = new Promise<void>((resolve, reject) => this.#idleWaiters.push({ resolve, reject }));
    this.#pump();
    return done;
  }
}

async function playlistFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && isPlaylist(e.name)).map((e) => join(e.parentPath, e.name));
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const temp = `${path}.endlist.tmp`;
  await writeFile(temp, text);
  await rename(temp, path);
}
