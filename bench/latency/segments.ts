// Watches the top rendition's playlist from outside the player. For each segment that appears: how
// long after its end by EXT-X-PROGRAM-DATE-TIME (PDT + EXTINF) it became readable, and how long after
// its first frame was painted (the clock burnt into that frame, read with ffmpeg) — the ingest,
// transcode and segmenting part of the latency, before any player (see bench/README.md).
import { spawn } from 'node:child_process';
import { once } from 'node:events';

export interface SegmentWatch {
  count(): number;
  /** Milliseconds from each segment's PDT end to the poll that first saw it listed. */
  afterPdtEnd(): number[];
  /** Milliseconds from the painting of each segment's first frame to the poll that first saw it. */
  afterFirstFrame(): number[];
  /** EXTINF of each segment seen, ms. */
  durations(): number[];
  stop(): void;
}

const WIDTH = 1280;
const HEIGHT = 720;

/** The stamp pages.ts burns in (32 blocks of 40 px, complements below), from a grey 1280×720 frame. */
export function readStamp(gray: Buffer): number | null {
  let value = 0;
  for (let i = 0; i < 32; i++) {
    const bit = gray[20 * WIDTH + i * 40 + 20] > 128;
    if (bit === gray[60 * WIDTH + i * 40 + 20] > 128) return null;
    value = value * 2 + (bit ? 1 : 0);
  }
  return value;
}

async function firstFrameStamp(init: Buffer, segment: Buffer): Promise<number | null> {
  const ffmpeg = spawn('ffmpeg', ['-v', 'error', '-f', 'mp4', '-i', 'pipe:0', '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:1']);
  const chunks: Buffer[] = [];
  ffmpeg.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  ffmpeg.stdin.on('error', () => {});
  ffmpeg.stdin.end(Buffer.concat([init, segment]));
  await once(ffmpeg, 'close');
  const frame = Buffer.concat(chunks);
  return frame.length === WIDTH * HEIGHT ? readStamp(frame) : null;
}

export function watchSegments(playlistUrl: string, everyMs = 50): SegmentWatch {
  const afterPdt = new Map<string, number>();
  const afterFrame: number[] = [];
  const durations: number[] = [];
  let init: Buffer | undefined;
  let stopped = false;
  // Segments listed at the first poll were not seen arriving.
  let first = true;
  const decode = async (uri: string, at: number) => {
    const res = await fetch(new URL(uri, playlistUrl));
    const stamp = init && res.ok ? await firstFrameStamp(init, Buffer.from(await res.arrayBuffer())) : null;
    if (stamp !== null) afterFrame.push((at % 2 ** 32 - stamp + 2 ** 32) % 2 ** 32);
  };
  const poll = async () => {
    while (!stopped) {
      const at = Date.now();
      const res = await fetch(playlistUrl).catch(() => undefined);
      const text = res?.ok ? await res.text() : '';
      let date: number | undefined;
      let duration = 0;
      for (const line of text.split('\n')) {
        const map = /^#EXT-X-MAP:URI="([^"]+)"/.exec(line);
        if (map && !init) init = Buffer.from(await (await fetch(new URL(map[1], playlistUrl))).arrayBuffer());
        if (line.startsWith('#EXT-X-PROGRAM-DATE-TIME:')) date = Date.parse(line.slice(25));
        else if (line.startsWith('#EXTINF:')) duration = Number.parseFloat(line.slice(8)) * 1000;
        else if (line && !line.startsWith('#')) {
          if (!afterPdt.has(line) && date !== undefined) {
            afterPdt.set(line, first ? Number.NaN : at - (date + duration));
            if (!first) {
              durations.push(duration);
              void decode(line, at).catch(() => {});
            }
          }
          // ffmpeg writes a PDT before every segment; one carried over would be a segment later.
          if (date !== undefined) date += duration;
        }
      }
      if (text) first = false;
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  };
  void poll();
  return {
    count: () => afterPdt.size,
    afterPdtEnd: () => [...afterPdt.values()].filter((ms) => !Number.isNaN(ms)),
    afterFirstFrame: () => afterFrame,
    durations: () => durations,
    stop: () => {
      stopped = true;
    },
  };
}
