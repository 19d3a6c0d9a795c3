// The transcoder's own part of the latency, without a browser, WebRTC or mediasoup: the live-transcode
// bench's 720p30 feed read at its own pace (-re) through the project's ladder, the 720p playlist
// watched, and for each segment the time from its end (ffmpeg's start + the EXTINFs so far) to its
// listing. Baseline, in the same invocation, runs interleaved: the same argv with x264's lookahead back
// (no -x264-params), as before the ladder dropped it. Both include ffmpeg's start-up, a constant.
// Usage: node bench/latency/transcode-delay.ts [--repeats 3]   (run bench/live-transcode once first: it makes the feed)
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, watch } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runnerArgs } from '../../media/ffmpeg/runner.ts';
import { argv, buildLadderArgs, renditionPlaylist } from '../../media/transcode/hls-args.ts';
import { planLadder } from '../../media/transcode/ladder.ts';

const { values } = parseArgs({ options: { repeats: { type: 'string', default: '3' } } });
const FEED = join(tmpdir(), 'linbo-bench', 'live-720p30-20s.mkv');
const WORK = join(tmpdir(), 'linbo-bench', 'transcode-delay');
if (!existsSync(FEED)) throw new Error(`${FEED} is missing: node bench/live-transcode/run.ts makes it`);

const plan = planLadder({ width: 1280, height: 720, fps: 30, codec: 'h264' });
const ours = (dir: string) => argv(buildLadderArgs({ kind: 'file', path: FEED, realtime: true }, plan, dir));
const withLookahead = (dir: string) => ours(dir).filter((arg, i, all) => !arg.startsWith('-x264-params') && !all[i - 1]?.startsWith('-x264-params'));

/** Milliseconds from each 720p segment's end to its listing; the first two and the last are left out (start-up, flush). */
async function delays(args: (dir: string) => string[]): Promise<number[]> {
  rmSync(WORK, { recursive: true, force: true });
  for (const name of plan.rungs.map((r) => r.name)) mkdirSync(join(WORK, name), { recursive: true });
  const playlist = join(WORK, renditionPlaylist(plan.rungs[0].name));
  const listed = new Map<string, number>();
  const started = Date.now();
  const watcher = watch(join(WORK, plan.rungs[0].name), () => {
    if (!existsSync(playlist)) return;
    const at = Date.now() - started;
    let end = 0;
    for (const line of readFileSync(playlist, 'utf8').split('\n')) {
      if (line.startsWith('#EXTINF:')) end += Number.parseFloat(line.slice(8)) * 1000;
      else if (line && !line.startsWith('#') && !listed.has(line)) listed.set(line, at - end);
    }
  });
  const ffmpeg = spawn('ffmpeg', runnerArgs(args(WORK)), { stdio: 'ignore' });
  await new Promise((resolve) => ffmpeg.once('exit', resolve));
  watcher.close();
  return [...listed.values()].slice(2, -1);
}

const runs = { ours: [] as number[], lookahead: [] as number[] };
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');
console.log(`load average ${load()} on ${availableParallelism()} CPUs; ${values.repeats} rounds, interleaved`);
for (let round = 0; round < Number(values.repeats); round++) {
  runs.lookahead.push(...(await delays(withLookahead)));
  runs.ours.push(...(await delays(ours)));
}
const figures = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
  return `${q(0.5)} / ${q(0.95)} / ${s.at(-1)} ms (${s.length} segments)`;
};
console.log(`720p segment listed after its end, median / p95 / max:`);
console.log(`  (a) x264 with its lookahead: ${figures(runs.lookahead)}`);
console.log(`  (b) the ladder as built:     ${figures(runs.ours)}`);
console.log(`load average ${load()}`);
