// Files people upload, made by ffmpeg for the clip tests: recordings in the codecs phones and cameras
// produce, and the bad files a clip must be refused for. Each returns the file's path in `dir`.
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ClipFileOptions {
  readonly seconds: number;
  readonly width?: number;
  readonly height?: number;
  readonly fps?: number;
  /** `h264`: a phone or camera recording (passthrough candidate); `mpeg4`: an old camcorder's, always re-encoded. */
  readonly codec?: 'h264' | 'mpeg4';
  /** Seconds between keyframes (default 1). */
  readonly keyframeSeconds?: number;
  readonly audio?: boolean;
  readonly name?: string;
}

/** A moving test picture (testsrc2, with a running clock) and a 440 Hz tone, in MP4. */
export async function makeClipFile(dir: string, options: ClipFileOptions): Promise<string> {
  const { seconds, width = 1280, height = 720, fps = 30, codec = 'h264', keyframeSeconds = 1, audio = true } = options;
  const path = join(dir, options.name ?? `clip-${width}x${height}-${codec}.mp4`);
  const gop = String(Math.round(fps * keyframeSeconds));
  const video =
    codec === 'h264'
      ? ['-c:v', 'libx264', '-preset', 'veryfast', '-profile:v', 'high', '-pix_fmt', 'yuv420p', '-b:v', '3000k']
      : ['-c:v', 'mpeg4', '-q:v', '5'];
  await run('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}:rate=${fps}`,
    ...(audio ? ['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000'] : []),
    '-t', String(seconds),
    ...video, '-g', gop, '-keyint_min', gop, '-sc_threshold', '0',
    ...(audio ? ['-c:a', 'aac', '-b:a', '128k', '-ac', '2'] : []),
    '-movflags', '+faststart', path,
  ]);
  return path;
}

/** A sound recording with no picture (an M4A a resident might pick by mistake). */
export async function makeAudioOnlyFile(dir: string, seconds = 3): Promise<string> {
  const path = join(dir, 'voice.m4a');
  await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000', '-t', String(seconds), '-c:a', 'aac', path]);
  return path;
}

/** Not media at all: a text document renamed to .mp4. */
export function makeNotVideoFile(dir: string): string {
  const path = join(dir, 'notes.mp4');
  writeFileSync(path, '这不是视频 — this is not a video.\n'.repeat(2000));
  return path;
}

/** A real recording whose first `keepBytes` are kept and the rest overwritten with noise: unreadable. */
export async function makeCorruptFile(dir: string, keepBytes = 64): Promise<string> {
  const good = await makeClipFile(dir, { seconds: 2, width: 320, height: 240, name: 'good-before-corruption.mp4' });
  const bytes = readFileSync(good);
  for (let i = keepBytes; i < bytes.length; i++) bytes[i] = (i * 2654435761) >>> 24;
  const path = join(dir, 'corrupt.mp4');
  writeFileSync(path, bytes);
  return path;
}

/**
 * The MD5 of each of the first `count` video packets in `input` (a file, or an init section and a
 * segment joined): equal lists mean the same H.264 bytes, i.e. a rung copied from the source, not re-encoded.
 */
export async function videoPacketHashes(input: string, count: number): Promise<string[]> {
  const { stdout } = await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-i', input, '-map', '0:v:0', '-c', 'copy', '-frames:v', String(count), '-f', 'framemd5', '-'], { maxBuffer: 16 * 1024 * 1024 });
  return stdout.split('\n').filter((line) => line && !line.startsWith('#')).map((line) => line.split(',').at(-1)!.trim());
}
