// A finished rendition's real bit rates, for the master playlist: RFC 8216 §4.3.4.2 wants BANDWIDTH at
// least the peak segment bit rate, and a copied phone recording can be far above the rung's nominal rate
// (a phone's 1080p is often 15 Mbit/s). Live cannot know this in advance; a VOD job can measure it.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { renditionPlaylist } from '../transcode/hls-args.ts';
import type { LadderPlan } from '../transcode/ladder.ts';

export interface SegmentSize {
  readonly seconds: number;
  readonly bytes: number;
}

/** Peak and average bits/s over media segments (the init section is fetched once, not per segment). */
export function segmentRates(segments: readonly SegmentSize[]): { peak: number; average: number } {
  const seconds = segments.reduce((sum, s) => sum + s.seconds, 0);
  const bytes = segments.reduce((sum, s) => sum + s.bytes, 0);
  const peak = Math.max(0, ...segments.filter((s) => s.seconds > 0).map((s) => (s.bytes * 8) / s.seconds));
  return { peak: Math.ceil(peak), average: seconds > 0 ? Math.ceil((bytes * 8) / seconds) : 0 };
}

/** Each `#EXTINF` duration with the URI after it. */
export function playlistSegments(text: string): { seconds: number; uri: string }[] {
  const out: { seconds: number; uri: string }[] = [];
  let seconds: number | undefined;
  for (const line of text.split('\n').map((l) => l.trim())) {
    if (line.startsWith('#EXTINF:')) seconds = Number.parseFloat(line.slice(8));
    else if (line && !line.startsWith('#') && seconds !== undefined) {
      out.push({ seconds, uri: line });
      seconds = undefined;
    }
  }
  return out;
}

/**
 * The plan with each rung's rates replaced by what its segments in `dir` measure. The segments carry
 * the sound too, and the master playlist adds the sound's rate to each rung's, so it is taken off here.
 */
export async function measuredPlan(dir: string, plan: LadderPlan): Promise<LadderPlan> {
  const audioBits = plan.audio?.bitrate ?? 0;
  const rungs = await Promise.all(
    plan.rungs.map(async (rung) => {
      const folder = join(dir, rung.name);
      const listed = playlistSegments(await readFile(join(dir, renditionPlaylist(rung.name)), 'utf8'));
      const sizes = await Promise.all(listed.map(async (s) => ({ seconds: s.seconds, bytes: (await stat(join(folder, s.uri))).size })));
      const { peak, average } = segmentRates(sizes);
      return { ...rung, maxBitrate: Math.max(1, peak - audioBits), bitrate: Math.max(1, average - audioBits) };
    }),
  );
  return { ...plan, rungs };
}
