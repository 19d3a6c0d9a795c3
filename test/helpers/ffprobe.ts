// ffprobe as the tests' independent reader of what the live path published.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { until } from './until.ts';

const run = promisify(execFile);

/** The codec of each stream ffprobe finds at `url` (a media playlist or a file). */
export async function streamCodecs(url: string): Promise<string[]> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name', '-of', 'json', url], { timeout: 20_000 });
  return (JSON.parse(stdout) as { streams: { codec_name: string }[] }).streams.map((stream) => stream.codec_name);
}

/** The variant playlists a master playlist lists: one per rung, each with the picture and the sound. */
export const variantUris = (master: string): string[] => master.split('\n').filter((line) => line.endsWith('.m3u8') && !line.startsWith('#'));
/** Every rendition playlist the master names: its variants, and any EXT-X-MEDIA rendition (the ladder lists none). */
export const renditionUris = (master: string): string[] => [...variantUris(master), ...[...master.matchAll(/#EXT-X-MEDIA:.*URI="([^"]+)"/g)].map((m) => m[1])];

interface Checks {
  match(found: unknown, wanted: unknown, message: string): boolean;
  same(found: unknown, wanted: unknown, message: string): boolean;
}

/** The master playlist at `hlsUrl`, once it lists at least three renditions. */
export const ladderListed = (hlsUrl: string): Promise<string> =>
  until('the master playlist lists at least 3 renditions', async () => {
    const res = await fetch(hlsUrl);
    const text = res.ok ? await res.text() : '';
    return variantUris(text).length >= 3 ? text : undefined;
  }, 20_000, 200);

/**
 * The master lists no separate audio rendition, and ffprobe reads every rung as one H.264 and one AAC
 * stream (the light hls.js build plays each with sound), the top one 1280×720; gives the folder the
 * playlists are relative to and the top rung's playlist.
 */
export async function probeLadder(t: Checks, hlsUrl: string, master: string): Promise<{ base: string; top: string }> {
  const base = hlsUrl.replace(/master\.m3u8$/, '');
  const lines = master.split('\n');
  const top = lines[lines.findIndex((line) => line.includes('RESOLUTION=1280x720')) + 1];
  await until(`${top} has a segment`, async () => /\.m4s/.test(await (await fetch(base + top)).text()), 10_000, 200);
  t.same(renditionUris(master), variantUris(master), 'no rendition besides the variants: the sound rides in each');
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name,width,height', '-of', 'json', base + top], { timeout: 20_000 });
  const streams = (JSON.parse(stdout) as { streams: { codec_name: string; width?: number; height?: number }[] }).streams;
  t.match(streams.find((stream) => stream.codec_name === 'h264'), { width: 1280, height: 720 }, 'ffprobe reads the top rendition’s picture');
  t.same(streams.map((stream) => stream.codec_name).sort(), ['aac', 'h264'], 'and its sound');
  for (const uri of variantUris(master).filter((uri) => uri !== top)) {
    t.same((await streamCodecs(base + uri)).sort(), ['aac', 'h264'], `ffprobe reads ${uri}: its picture and its sound`);
  }
  return { base, top };
}
