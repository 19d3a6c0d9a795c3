// A small live broadcast over plain RTP for tests of what happens to a running transcoder: the real
// control plane and media node, a real ffmpeg feed (one copied 360p rendition and the sound keep the CPU
// free for tests running beside it), and ways to find the transcoder and read the playlist.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startApp, staff } from './app.ts';
import { sendTestPattern, startMediaNode } from './media-node.ts';
import { createBroadcast, createChannel } from './schedule.ts';
import { until } from './until.ts';

const run = promisify(execFile);

interface Teardown {
  teardown(fn: () => unknown): void;
}

/** The ffmpeg processes a media node started (its transcoders). */
export async function transcoderPids(nodePid: number): Promise<number[]> {
  const { stdout } = await run('pgrep', ['-P', String(nodePid), '-x', 'ffmpeg']).catch(() => ({ stdout: '' }));
  return stdout.split('\n').filter(Boolean).map(Number);
}

export const segments = (text: string) => text.match(/^seg_\d+\.m4s$/gm) ?? [];

/** A live broadcast fed over plain RTP by a real ffmpeg, once its 360p playlist has 3 segments. */
export async function liveOverRtp(t: Teardown, env: Record<string, string> = {}) {
  const ctx = await startApp(t, { listen: true, env });
  const node = await startMediaNode(t, ctx);
  const admin = await staff(ctx, 'admin');
  const broadcast = await createBroadcast(ctx, admin, (await createChannel(ctx, admin)).id);
  const opened = await ctx.app.inject({ method: 'POST', url: `/api/broadcasts/${broadcast.id}/ingest/rtp`, headers: admin, payload: { width: 640, height: 360 } });
  sendTestPattern(t, opened.json().ffmpegArgs, '640x360');
  const playlist = broadcast.links.hls.replace(/master\.m3u8$/, '360p/index.m3u8');
  const read = async () => {
    const res = await fetch(playlist);
    return res.ok ? res.text() : '';
  };
  await until('the 360p playlist has 3 segments', async () => segments(await read()).length >= 3, 15_000, 200);
  const transcoders = () => transcoderPids(node.pid!);
  /** The broadcast's JSON as staff see it now. */
  const get = async () => (await ctx.app.inject({ method: 'GET', url: `/api/broadcasts/${broadcast.id}`, headers: admin })).json();
  const state = async () => (await get()).state;
  return { broadcast, playlist, read, transcoders, get, state };
}
