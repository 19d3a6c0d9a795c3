// Real media for the transcoder tests: synthetic feeds encoded by ffmpeg, and what ffprobe sees in the
// renditions the ladder wrote. Fixtures run ffmpeg directly; the code under test goes through the runner.
import { execFile } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

interface Teardown {
  teardown(fn: () => unknown): void;
}

export function tempDir(t: Teardown, name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `linbo-${name}-`));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export interface FeedOptions {
  readonly seconds: number;
  readonly width?: number;
  readonly height?: number;
  readonly fps?: number;
  /** AAC in MP4 like a recording; Opus in MPEG-TS like a WebRTC sender (SPS/PPS before every keyframe). */
  readonly style?: 'recording' | 'webrtc';
}

/** An H.264 feed of a moving test picture and a tone, with a keyframe every second (x264 `-g fps`). */
export async function makeFeed(dir: string, options: FeedOptions): Promise<string> {
  const { seconds, width = 1280, height = 720, fps = 30, style = 'recording' } = options;
  const path = join(dir, style === 'webrtc' ? 'feed.ts' : 'feed.mp4');
  const audio = style === 'webrtc' ? ['-c:a', 'libopus', '-b:a', '64k'] : ['-c:a', 'aac', '-b:a', '128k'];
  const profile = style === 'webrtc' ? 'baseline' : 'high';
  await run('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}:rate=${fps}`,
    '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
    '-t', String(seconds),
    '-c:v', 'libx264', '-preset', 'veryfast', '-profile:v', profile, '-pix_fmt', 'yuv420p',
    '-g', String(fps), '-keyint_min', String(fps), '-sc_threshold', '0', '-b:v', '2500k',
    ...audio, '-ac', '2', path,
  ]);
  return path;
}

/**
 * A WebRTC sender that drops its resolution half-way, as browsers do when bandwidth falls: H.264
 * constrained baseline 1280x720, then 640x360 (new SPS in-band), Opus beside it, in MPEG-TS.
 */
export async function makeResolutionChangeFeed(dir: string, secondsEach: number): Promise<string> {
  const part = async (name: string, size: string) => {
    const path = join(dir, name);
    await run('ffmpeg', [
      '-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=30`, '-t', String(secondsEach),
      '-c:v', 'libx264', '-preset', 'veryfast', '-profile:v', 'baseline', '-pix_fmt', 'yuv420p', '-g', '30', '-sc_threshold', '0', '-f', 'h264', path,
    ]);
    return readFileSync(path);
  };
  const video = join(dir, 'switch.h264');
  writeFileSync(video, Buffer.concat([await part('a.h264', '1280x720'), await part('b.h264', '640x360')]));
  const path = join(dir, 'switch.ts');
  await run('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-y', '-r', '30', '-i', video, '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
    '-t', String(2 * secondsEach), '-map', '0:v', '-map', '1:a', '-c:v', 'copy', '-c:a', 'libopus', '-ac', '2', path,
  ]);
  return path;
}

const udpFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => resolve(false));
    socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
  });

/** An even UDP port whose odd neighbour (its RTCP port) is free too. */
export async function freeRtpPort(): Promise<number> {
  for (;;) {
    const port = 20_000 + 2 * Math.floor(Math.random() * 20_000);
    if ((await udpFree(port)) && (await udpFree(port + 1))) return port;
  }
}

export interface Frame {
  readonly key: boolean;
  readonly width: number;
  readonly height: number;
}

/** Decodes an fMP4 segment behind its init section, as a player would, and lists its frames. */
export async function decodeSegment(initPath: string, segmentPath: string): Promise<Frame[]> {
  const { stdout } = await run('ffprobe', [
    '-v', 'error', '-select_streams', 'v:0', '-show_entries', 'frame=key_frame,width,height', '-of', 'json',
    `concat:${initPath}|${segmentPath}`,
  ]);
  const frames = (JSON.parse(stdout) as { frames?: { key_frame: number; width: number; height: number }[] }).frames ?? [];
  return frames.map((f) => ({ key: f.key_frame === 1, width: f.width, height: f.height }));
}

/** Decodes a sound segment behind its init section and counts its samples. */
export async function audioSamples(initPath: string, segmentPath: string): Promise<number> {
  const { stdout } = await run('ffprobe', [
    '-v', 'error', '-select_streams', 'a:0', '-show_entries', 'frame=nb_samples', '-of', 'json', `concat:${initPath}|${segmentPath}`,
  ]);
  const frames = (JSON.parse(stdout) as { frames?: { nb_samples: number }[] }).frames ?? [];
  return frames.reduce((sum, f) => sum + f.nb_samples, 0);
}

export interface MediaPlaylist {
  readonly targetDuration: number;
  readonly init: string | undefined;
  readonly segments: readonly { readonly uri: string; readonly duration: number; readonly programDateTime: string | undefined }[];
}

/** The parts of an RFC 8216 media playlist the ladder's tests look at. */
export function parseMediaPlaylist(text: string): MediaPlaylist {
  const lines = text.split('\n').map((l) => l.trim());
  const segments: { uri: string; duration: number; programDateTime: string | undefined }[] = [];
  let duration = Number.NaN;
  let programDateTime: string | undefined;
  for (const line of lines) {
    if (line.startsWith('#EXTINF:')) duration = Number.parseFloat(line.slice(8));
    else if (line.startsWith('#EXT-X-PROGRAM-DATE-TIME:')) programDateTime = line.slice(25);
    else if (line && !line.startsWith('#')) {
      segments.push({ uri: line, duration, programDateTime });
      programDateTime = undefined;
    }
  }
  const target = lines.find((l) => l.startsWith('#EXT-X-TARGETDURATION:'));
  const map = lines.find((l) => l.startsWith('#EXT-X-MAP:'));
  return {
    targetDuration: target ? Number(target.split(':')[1]) : Number.NaN,
    init: map?.match(/URI="([^"]+)"/)?.[1],
    segments,
  };
}

/** `KEY=value,KEY="quoted,value"` attribute lists (RFC 8216 §4.2) of the tags named `tag`. */
export function tagAttributes(text: string, tag: string): Record<string, string>[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${tag}:`))
    .map((line) => Object.fromEntries([...line.slice(tag.length + 1).matchAll(/([A-Z0-9-]+)=("[^"]*"|[^,]*)/g)].map((m) => [m[1], m[2].replace(/^"|"$/g, '')])));
}
