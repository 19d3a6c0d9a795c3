// A published clip for premiere tests, made the way a VOD job lays one out (clips/<id>/master.m3u8,
// <rendition>/index.m3u8, an init section and 2-s fMP4 segments) by ffmpeg from a lavfi test picture,
// put into the app's media storage, with its clip row as ClipService leaves a published clip.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { VodRendition, VodResult } from '../../server/clips/ports.ts';
import { clipMasterKey, clipPrefix } from '../../server/contracts/media.ts';
import { clips } from '../../server/store/schema.ts';
import { mediaTypeOf } from '../../media/storage/storage.ts';
import type { TestApp } from './app.ts';
import { makeClipFile } from './clip-files.ts';
import { sendWhole, watchClip } from './clip-upload.ts';

const run = promisify(execFile);

const RUNGS = [
  { name: '360p', width: 640, height: 360, kbps: 800 },
  { name: '180p', width: 320, height: 180, kbps: 300 },
] as const;

export interface ClipOptions {
  readonly seconds: number;
  /** Default `published`; another state makes a clip a premiere must refuse. */
  readonly state?: 'published' | 'in_review' | 'processing';
}

/** Writes one rendition's VOD HLS into `dir` (a picture with a running clock, and a tone). */
async function encodeRendition(dir: string, seconds: number, rung: (typeof RUNGS)[number]): Promise<void> {
  mkdirSync(join(dir, rung.name), { recursive: true });
  // prettier-ignore
  await run('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc2=size=${rung.width}x${rung.height}:rate=30`,
    '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
    '-t', String(seconds),
    '-c:v', 'libx264', '-preset', 'veryfast', '-profile:v', 'main', '-level', '3.0', '-pix_fmt', 'yuv420p', '-b:v', `${rung.kbps}k`,
    '-g', '60', '-keyint_min', '60', '-sc_threshold', '0',
    '-c:a', 'aac', '-b:a', '96k', '-ac', '2',
    '-f', 'hls', '-hls_time', '2', '-hls_playlist_type', 'vod', '-hls_segment_type', 'fmp4',
    '-hls_fmp4_init_filename', 'init.mp4', '-hls_segment_filename', join(dir, rung.name, 'seg_%05d.m4s'),
    join(dir, rung.name, 'index.m3u8'),
  ]);
}

/** A clip of `channelId` with its VOD files in the app's media storage; returns its id and what its job "published". */
export async function premiereClip(ctx: TestApp, channelId: string, options: ClipOptions): Promise<{ id: string; result: VodResult }> {
  const id = randomUUID();
  const dir = mkdtempSync(join(tmpdir(), 'linbo-clip-'));
  try {
    await Promise.all(RUNGS.map((rung) => encodeRendition(dir, options.seconds, rung)));
    const renditions: VodRendition[] = RUNGS.map((r) => ({
      name: r.name,
      width: r.width,
      height: r.height,
      bandwidth: (r.kbps + 96) * 1200,
      averageBandwidth: (r.kbps + 96) * 1000,
      codecs: 'avc1.4d401e,mp4a.40.2',
      passthrough: false,
    }));
    const storage = ctx.services.mediaStorage;
    for (const rung of RUNGS) {
      for (const file of readdirSync(join(dir, rung.name)).sort((a, b) => Number(a.endsWith('.m3u8')) - Number(b.endsWith('.m3u8')))) {
        const key = `${clipPrefix(id)}/${rung.name}/${file}`;
        await storage.put(key, readFileSync(join(dir, rung.name, file)), mediaTypeOf(key));
      }
    }
    const master = ['#EXTM3U', ...renditions.flatMap((r) => [`#EXT-X-STREAM-INF:BANDWIDTH=${r.bandwidth},CODECS="${r.codecs}",RESOLUTION=${r.width}x${r.height}`, `${r.name}/index.m3u8`])];
    await storage.put(clipMasterKey(id), Buffer.from(`${master.join('\n')}\n`), mediaTypeOf(clipMasterKey(id)));
    const result: VodResult = { durationSeconds: options.seconds, segmentSeconds: 2, renditions };
    const state = options.state ?? 'published';
    const now = ctx.services.clock.now();
    await ctx.services.store.db.insert(clips).values({
      id,
      channelId,
      title: '重阳节文艺汇演',
      filename: 'gala.mp4',
      source: 'staff',
      state,
      sizeBytes: 1,
      durationSeconds: options.seconds,
      width: 640,
      height: 360,
      progress: state === 'processing' ? 40 : 100,
      renditions: state === 'processing' ? null : result,
      publishedAt: state === 'published' ? now : null,
    });
    return { id, result };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** POSTs a premiere (an hour ahead unless `fields` say otherwise; no duration: the clip has one); the raw answer, refusals included. */
export function postPremiere(ctx: TestApp, headers: { authorization: string }, fields: Record<string, unknown> & { channelId: string }) {
  const inAnHour = new Date(Math.ceil(ctx.services.clock.now().getTime() / 1000) * 1000 + 3600_000).toISOString();
  return ctx.app.inject({
    method: 'POST',
    url: '/api/broadcasts',
    headers,
    payload: { title: '重阳晚会首映', kind: 'premiere', scheduledStart: inAnHour, ...fields },
  });
}

/** A premiere of `clipId` starting `seconds` from now, on a whole second. */
export async function premiereSoon(ctx: TestApp, headers: { authorization: string }, channelId: string, clipId: string, seconds: number) {
  const start = new Date(Math.ceil(Date.now() / 1000) * 1000 + seconds * 1000).toISOString();
  const res = await postPremiere(ctx, headers, { channelId, clipId, scheduledStart: start });
  if (res.statusCode !== 201) throw new Error(`create premiere: ${res.statusCode} ${res.body}`);
  return { start, premiere: res.json() };
}

/**
 * A clip published the way staff publish one: a recording made by ffmpeg, sent through tus to
 * /api/uploads, transcoded by the media node already attached to `ctx`, approved by `headers`' editor.
 */
export async function publishedThroughUpload(ctx: TestApp, headers: { authorization: string }, channelId: string, dir: string, seconds: number): Promise<{ id: string; durationSeconds: number }> {
  const file = await makeClipFile(dir, { seconds, width: 640, height: 360, name: 'gala.mp4' });
  const sent = await sendWhole(`${ctx.url}/api/uploads`, file, { channelId, title: '重阳节文艺汇演' }, headers);
  if (!sent.finish.ok) throw new Error(`upload refused: ${sent.finish.status} ${await sent.finish.text()}`);
  const { clip } = await watchClip(ctx.url, sent.clipId, headers, ['in_review', 'published', 'failed'], 180_000);
  if (clip.state === 'failed') throw new Error(`the clip's transcode failed: ${JSON.stringify(clip.error)}`);
  if (clip.state === 'in_review') {
    const approved = await fetch(`${ctx.url}/api/clips/${sent.clipId}/approve`, { method: 'POST', headers });
    if (!approved.ok) throw new Error(`approve: ${approved.status} ${await approved.text()}`);
  }
  return { id: sent.clipId, durationSeconds: clip.durationSeconds };
}
