// CPU seconds per second of stream of the live ladder, for a 720p30 H.264 feed:
//   (1) the project's ladder run through media/ffmpeg/runner.ts,
//   (2) raw ffmpeg with the identical argv (what the runner costs),
//   (b) a PeerTube-style ladder, every rung re-encoded by x264 veryfast,
// and the steps from (b) to ours, one choice at a time, with the quality each re-encoded rung keeps.
// Usage: node bench/live-transcode/run.ts [--repeats 3]
import { execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { probeMedia } from '../../media/ffmpeg/probe.ts';
import { runnerArgs, startFfmpeg } from '../../media/ffmpeg/runner.ts';
import { argv, buildLadderArgs } from '../../media/transcode/hls-args.ts';
import { planLadder, type LadderPlan } from '../../media/transcode/ladder.ts';
import { measure } from '../child-cpu.ts';
import { ALTERNATIVES, PEERTUBE_STYLE, STEPS, variantArgs, type LadderVariant } from './variants.ts';

const { values } = parseArgs({ options: { repeats: { type: 'string', default: '3' } } });
const REPEATS = Number(values.repeats);
const SECONDS = 20;
const CACHE = join(tmpdir(), 'linbo-bench');
const FEED = join(CACHE, `live-720p30-${SECONDS}s.mkv`);
const WORK = join(CACHE, 'live-transcode');
const run = promisify(execFile);

/** The feed a studio sends: 720p30 H.264 at 2.5 Mbit/s, a keyframe a second, and Opus sound. Made once. */
async function feed(): Promise<string> {
  if (existsSync(FEED)) return FEED;
  mkdirSync(CACHE, { recursive: true });
  console.log(`making the ${SECONDS}-s feed ${FEED}…`);
  await run('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=30',
    '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000', '-t', String(SECONDS),
    '-c:v', 'libx264', '-preset', 'veryfast', '-b:v', '2500k', '-maxrate', '2500k', '-bufsize', '2500k',
    '-g', '30', '-keyint_min', '30', '-sc_threshold', '0', '-pix_fmt', 'yuv420p', '-c:a', 'libopus', '-b:a', '64k', '-ac', '2', `${FEED}.part.mkv`,
  ]);
  execFileSync('mv', [`${FEED}.part.mkv`, FEED]);
  return FEED;
}

const fresh = (name: string) => {
  const dir = join(WORK, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
};

/** Through the runner: ffmpeg's CPU and the runner's own (this process parsing progress and stderr). */
const viaRunner = (args: string[]) =>
  measure(async () => {
    const exit = await startFfmpeg(args, { onProgress: () => {} }).exited;
    if (exit.code !== 0) throw new Error(`ffmpeg failed: ${exit.stderrTail}`);
  });

/** ffmpeg alone, with exactly the argv the runner would give it, output to nowhere. */
const raw = (args: string[]) =>
  measure(
    () =>
      new Promise((resolve, reject) => {
        const child = spawn('ffmpeg', runnerArgs(args), { stdio: 'ignore' });
        child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg exit ${code}`))));
      }),
  );

/**
 * SSIM of a rendition against the feed scaled to its size by lanczos (both from their first frame: the
 * feed's time stamps start at 7 ms, the rendition's later), and its bit rate, sound included when muxed in.
 */
async function quality(dir: string, name: string, width: number, height: number): Promise<{ ssim: number; kbps: number }> {
  const files = readdirSync(join(dir, name)).sort();
  const init = files.find((f) => f.startsWith('init'))!;
  const segments = files.filter((f) => f.endsWith('.m4s'));
  const joined = join(dir, `${name}.mp4`);
  writeFileSync(joined, Buffer.concat([init, ...segments].map((f) => readFileSync(join(dir, name, f)))));
  const { stderr } = await run('ffmpeg', [
    '-hide_banner', '-i', joined, '-i', FEED, '-lavfi', `[1:v]setpts=PTS-STARTPTS,scale=${width}:${height}:flags=lanczos,setsar=1[ref];[0:v]setpts=PTS-STARTPTS,setsar=1[out];[out][ref]ssim`, '-f', 'null', '-',
  ]);
  const bytes = segments.reduce((sum, f) => sum + statSync(join(dir, name, f)).size, 0);
  return { ssim: Number(/All:([\d.]+)/.exec(stderr)![1]), kbps: (bytes * 8) / SECONDS / 1000 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

interface Row {
  readonly label: string;
  readonly args: (dir: string) => string[];
  readonly runner?: boolean;
  cpu: number[];
  rungs?: string;
}

async function main(): Promise<void> {
  const source = await feed();
  const video = (await probeMedia(source)).video!;
  const plan: LadderPlan = planLadder({ width: video.width, height: video.height, fps: video.fps!, codec: 'h264' });
  const ours = (dir: string) => argv(buildLadderArgs({ kind: 'file', path: source }, plan, dir));
  const variant = (v: LadderVariant) => (dir: string) => variantArgs(source, plan, dir, v);
  const rows: Row[] = [
    { label: '(1) ours, through the runner', args: ours, runner: true, cpu: [] },
    { label: '(2) ours, raw ffmpeg, same argv', args: ours, cpu: [] },
    { label: PEERTUBE_STYLE.label, args: variant(PEERTUBE_STYLE), cpu: [] },
    ...[...STEPS, ...ALTERNATIVES].map((step) => ({ label: step.label, args: variant(step), cpu: [] })),
  ];
  console.log(`live-transcode: ${SECONDS} s of ${video.width}x${video.height}@${video.fps} H.264 + Opus → ${plan.rungs.map((r) => r.name).join(' / ')} + AAC, 1-s fMP4`);
  console.log(`ffmpeg: ${execFileSync('ffmpeg', ['-version'], { encoding: 'utf8' }).split('\n')[0]}; ${REPEATS} rounds, runs interleaved, median shown`);
  for (let round = 0; round < REPEATS; round++) {
    for (const [i, row] of rows.entries()) {
      const dir = fresh(`run-${i}`);
      row.cpu.push(await (row.runner ? viaRunner(row.args(dir)) : raw(row.args(dir))));
    }
  }
  for (const [i, row] of rows.entries()) {
    if (i === 1) continue; // same output as (1)
    const dir = join(WORK, `run-${i}`);
    const measured = await Promise.all(
      plan.rungs.slice(1).map(async (r) => {
        const q = await quality(dir, r.name, r.width, r.height);
        return `${r.name} ${q.ssim.toFixed(4)} @${Math.round(q.kbps)}k`;
      }),
    );
    row.rungs = measured.join('  ');
  }
  const baseline = median(rows[2].cpu);
  const header = `${'ladder'.padEnd(44)} ${'CPU s'.padStart(6)} ${'(range)'.padStart(13)} ${'CPU s/s'.padStart(8)} ${'÷(b)'.padStart(5)}   SSIM of re-encoded rungs @ actual rate`;
  console.log(`\n${header}\n${'-'.repeat(header.length + 16)}`);
  for (const row of rows) {
    const cpu = median(row.cpu);
    const range = `(${Math.min(...row.cpu).toFixed(2)}–${Math.max(...row.cpu).toFixed(2)})`;
    const cells = [row.label.padEnd(44), cpu.toFixed(2).padStart(6), range.padStart(13), (cpu / SECONDS).toFixed(3).padStart(8), (cpu / baseline).toFixed(2).padStart(5)];
    console.log(`${cells.join(' ')}   ${row.rungs ?? ''}`);
  }
  const [one, two] = [median(rows[0].cpu), median(rows[1].cpu)];
  console.log(`\n(1)/(2) = ${(one / two).toFixed(3)}  (target ≤ 1.05)    (1)/(b) = ${(one / baseline).toFixed(3)}  (target ≤ 0.5)`);
}

await main();
