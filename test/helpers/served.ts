// What the media route (or S3's public URL) serves, as a player fetches it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { audioSamples, decodeSegment, type Frame } from './media.ts';

/** The body as text, or '' while it is not served (a playlist not written yet). */
export async function servedText(url: string): Promise<string> {
  const res = await fetch(url);
  return res.ok ? res.text() : '';
}

/** The body's bytes; throws when it is not served. */
export async function servedBytes(url: string): Promise<Buffer> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}

/**
 * A served segment decoded behind a served init section, as a player would join them: its video
 * frames and the number of audio samples (a rung's picture and sound ride in one fMP4).
 */
export async function decodeServed(dir: string, initUrl: string, segmentUrl: string): Promise<{ frames: Frame[]; samples: number }> {
  const local = (url: string) => join(dir, url.split('/').slice(-2).join('-'));
  const [initPath, segmentPath] = [local(initUrl), local(segmentUrl)];
  writeFileSync(initPath, await servedBytes(initUrl));
  writeFileSync(segmentPath, await servedBytes(segmentUrl));
  return { frames: await decodeSegment(initPath, segmentPath), samples: await audioSamples(initPath, segmentPath) };
}
