// VOD job test parts: clip rows for vod_jobs to point at, a ClipJobSink that records what it hears (the
// port ClipService implements), and ClipSources over files the test made.
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClipJobSink, ClipSources, VodResult, VodSource } from '../../server/clips/ports.ts';
import type { ClipError } from '../../server/contracts/clips.ts';
import type { Db } from '../../server/store/db.ts';
import { channels, clips } from '../../server/store/schema.ts';
import { VodJobStore } from '../../server/vod/store.ts';
import type { TestApp } from './app.ts';

/** A channel and an `uploaded` clip in it; returns the clip's id. */
export async function insertClip(db: Db): Promise<string> {
  const [channel] = await db.insert(channels).values({ slug: `vod-${randomUUID().slice(0, 8)}`, name: '转码街道' }).returning({ id: channels.id });
  const id = randomUUID();
  await db.insert(clips).values({ id, channelId: channel.id, title: '广场舞', filename: 'dance.mp4', source: 'staff', state: 'uploaded', sizeBytes: 1000 });
  return id;
}

/** A clip row and its bytes where the tus file store keeps an upload (`<dataDir>/uploads/<clipId>`). */
export async function uploadedClip(ctx: TestApp, source: string, clipId?: string): Promise<string> {
  const id = clipId ?? (await insertClip(ctx.services.store.db));
  mkdirSync(join(ctx.config.dataDir, 'uploads'), { recursive: true });
  copyFileSync(source, join(ctx.config.dataDir, 'uploads', id));
  return id;
}

/** The clip's VOD jobs, newest first. */
export const jobsOf = (db: Db, clipId: string) => new VodJobStore(db).byClip(clipId);

export type SinkCall =
  | { readonly kind: 'started'; readonly clipId: string }
  | { readonly kind: 'progress'; readonly clipId: string; readonly percent: number; readonly etaSeconds: number | null }
  | { readonly kind: 'done'; readonly clipId: string; readonly result: VodResult }
  | { readonly kind: 'failed'; readonly clipId: string; readonly error: ClipError };

/** Records every report in order. */
export class RecordingSink implements ClipJobSink {
  readonly calls: SinkCall[] = [];

  async started(clipId: string): Promise<void> {
    this.calls.push({ kind: 'started', clipId });
  }

  async progress(clipId: string, percent: number, etaSeconds: number | null): Promise<void> {
    this.calls.push({ kind: 'progress', clipId, percent, etaSeconds });
  }

  async done(clipId: string, result: VodResult): Promise<void> {
    this.calls.push({ kind: 'done', clipId, result });
  }

  async failed(clipId: string, error: ClipError): Promise<void> {
    this.calls.push({ kind: 'failed', clipId, error });
  }

  of(clipId: string, kind?: SinkCall['kind']): SinkCall[] {
    return this.calls.filter((c) => c.clipId === clipId && (kind === undefined || c.kind === kind));
  }

  /** The clip's final report, once it has one. */
  ended(clipId: string): SinkCall | undefined {
    return this.of(clipId).find((c) => c.kind === 'done' || c.kind === 'failed');
  }
}

/** Sources on this machine's disk, by clip id. */
export class FileSources implements ClipSources {
  readonly #paths = new Map<string, string>();

  add(clipId: string, path: string): void {
    this.#paths.set(clipId, path);
  }

  async locate(clipId: string): Promise<VodSource> {
    const path = this.#paths.get(clipId);
    if (!path) throw new Error(`no source for clip ${clipId}`);
    return { kind: 'file', path };
  }

  async remove(clipId: string): Promise<void> {
    this.#paths.delete(clipId);
  }
}

/** The ffmpeg processes this test process started (through the code under test), by /proc's parent ids. */
export function childFfmpegs(): { pid: number; nice: number }[] {
  const found: { pid: number; nice: number }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the parenthesised command name (which may contain spaces): state is field 3.
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (name === 'ffmpeg' && Number(fields[1]) === process.pid) found.push({ pid: Number(entry), nice: Number(fields[16]) });
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}
