// The file the upload benchmark sends: a one-second real recording (MP4, moov first) followed by one
// `free` box (ISO 14496-12 §8.1.2: skipped by every reader) that pads it to the size asked for, so the
// probe at finish reads a valid video and the clip is made, as with a real 2-GiB gala recording, while
// its transcode (queued behind the upload) costs next to nothing.
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, ftruncateSync, mkdirSync, openSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function benchSource(bytes: number): string {
  const dir = join(tmpdir(), 'linbo-bench');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `upload-${bytes}.mp4`);
  if (existsSync(path) && statSync(path).size === bytes) return path;
  const clip = join(dir, 'upload-head.mp4');
  execFileSync('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=30', '-t', '1',
    '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', clip,
  ]);
  const head = statSync(clip).size;
  const free = bytes - head;
  if (free < 8 || free > 0xffff_ffff) throw new Error(`cannot pad a ${head}-byte clip to ${bytes} bytes with one free box`);
  execFileSync('cp', [clip, path]);
  const fd = openSync(path, 'r+');
  const box = Buffer.alloc(8);
  box.writeUInt32BE(free, 0);
  box.write('free', 4, 'latin1');
  writeSync(fd, box, 0, 8, head);
  ftruncateSync(fd, bytes); // the box's body: zeros, sparse on disk
  closeSync(fd);
  return path;
}
