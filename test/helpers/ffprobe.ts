// ffprobe as the tests' independent reader of what the live path published.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The codec of each stream ffprobe finds at `url` (a media playlist or a file). */
export async function streamCodecs(url: string): Promise<string[]> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name', '-of', 'json', url], { timeout: 20_000 });
  return (JSON.parse(stdout) as { streams: { codec_name: string }[] }).streams.map((stream) => stream.codec_name);
}
