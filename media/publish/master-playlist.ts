// The broadcast's multivariant playlist (RFC 8216 §4.4.6), written by us instead of ffmpeg: ffmpeg's
// leaves CODECS out for a copied stream and never states FRAME-RATE, and a player that cannot tell a
// rendition's codec may pick one the phone cannot decode.
import type { LadderPlan, Rung } from '../transcode/ladder.ts';
import { renditionPlaylist } from '../transcode/hls-args.ts';

export const MASTER_PLAYLIST = 'master.m3u8';
/** The rendition players start on (listed first): safe on a phone over mobile data, sharp enough to read. */
const START_HEIGHT = 480;

/** Rung name → the RFC 6381 codecs of its tracks, the picture's first (see init-segment.ts). */
export type RenditionCodecs = Readonly<Record<string, readonly string[] | undefined>>;

const shortSide = (rung: Rung) => Math.min(rung.width, rung.height);

/** Rungs in playlist order: the start rung, then the others largest first. */
export function playlistOrder(rungs: readonly Rung[]): Rung[] {
  const start = rungs.find((r) => shortSide(r) <= START_HEIGHT) ?? rungs[rungs.length - 1];
  return [start, ...rungs.filter((r) => r !== start)];
}

/** A rung's CODECS: every track its init section holds, the picture's and the sound's. */
function codecsOf(codecs: RenditionCodecs, name: string): string {
  const known = codecs[name];
  if (!known) throw new Error(`no codec known for rendition ${name}`);
  return known.join(',');
}

/** One variant per rung, each carrying its picture and the sound (no separate audio rendition). */
export function masterPlaylist(plan: LadderPlan, codecs: RenditionCodecs): string {
  const lines = ['#EXTM3U', '#EXT-X-VERSION:7', '#EXT-X-INDEPENDENT-SEGMENTS'];
  const audioBits = plan.audio?.bitrate ?? 0;
  for (const rung of playlistOrder(plan.rungs)) {
    const attributes = [
      // Peak and average of everything the variant carries: the picture and its sound.
      `BANDWIDTH=${rung.maxBitrate + audioBits}`,
      `AVERAGE-BANDWIDTH=${rung.bitrate + audioBits}`,
      `RESOLUTION=${rung.width}x${rung.height}`,
      `CODECS="${codecsOf(codecs, rung.name)}"`,
      `FRAME-RATE=${plan.fps.toFixed(3)}`,
    ];
    lines.push(`#EXT-X-STREAM-INF:${attributes.join(',')}`, renditionPlaylist(rung.name));
  }
  return `${lines.join('\n')}\n`;
}
