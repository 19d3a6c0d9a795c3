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

/** The variant (video) playlists a master playlist lists. */
export const variantUris = (master: string): string[] => master.split('\n').filter((line) => line.endsWith('.m3u8') && !line.startsWith('#'));
/** Every rendition playlist: the variants and the audio rendition they share. */
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
 * ffprobe reads the ladder's 1280×720 top rung as H.264 of that size and every other rendition as H.264
 * or AAC; gives the folder the playlists are relative to and the top rung's playlist.
 */
export async function probeLadder(t: Checks, hlsUrl: string, master: string): Promise<{ base: string; top: string }> {
  const base = hlsUrl.replace(/master\.m3u8$/, '');
  const lines = master.split('\n');
  const top = lines[lines.findIndex((line) => line.includes('RESOLUTION=1280x720')) + 1];
  await until(`${top} has a segment`, async () => /\.m4s/.test(await (await fetch(base + top)).text()), 10_000, 200);
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name,width,height', '-of', 'json', base + top], { timeout: 20_000 });
  t.match(JSON.parse(stdout).streams, [{ codec_name: 'h264', width: 1280, height: 720 }], 'ffprobe reads the top rendition');
  for (const uri of renditionUris(master).filter((uri) => uri !== top)) {
    t.same(await streamCodecs(base + uri), [uri.startsWith('audio/') ? 'aac' : 'h264'], `ffprobe reads ${uri}`);
  }
  return { base, top };
}
