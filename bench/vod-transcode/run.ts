// CPU seconds per second of video of a recorded clip's VOD job, for a 1080p30 H.264 phone recording:
//   (1) the whole job as a media node runs it (media/vod/transcode.ts: ffprobe, the ladder and the
//       stills through media/ffmpeg/runner.ts, staging, the upload to storage, the master last),
//   (2) raw ffmpeg with the very same two argument arrays (ladder, stills), nothing else,
//   (b) a PeerTube-style ladder, every rung (1080p included) re-encoded by x264 veryfast.
// Usage: node bench/vod-transcode/run.ts [--repeats 3] [--seconds 40]
import { execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import pino from 'pino';
import { runnerArgs } from '../../media/ffmpeg/runner.ts';
import { FsMediaStorage } from '../../media/storage/fs.ts';
import { stillsArgs, THUMBNAILS_DIR, vodLadderArgs } from '../../media/vod/args.ts';
import { planVod } from '../../media/vod/plan.ts';
import { probeVodSource } from '../../media/vod/source.ts';
import { VodTranscode } from '../../media/vod/transcode.ts';
import { measure, median } from '../child-cpu.ts';
import { PEERTUBE_STYLE, variantArgs } from '../live-transcode/variants.ts';

const { values } = parseArgs({ options: { repeats: { type: 'string', default: '3' }, seconds: { type: 'string', default: '40' } } });
const REPEATS = Number(values.repeats);
const SECONDS = Number(values.seconds);
const CACHE = join(tmpdir(), 'linbo-bench');
const SAMPLE = join(CACHE, `vod-1080p30-${SECONDS}s.mp4`);
const WORK = join(CACHE, 'vod-transcode');
const run = promisify(execFile);

/** A phone's recording: 1080p30 H.264 High at 8 Mbit/s, a keyframe every 2 s, AAC sound. Made once. */
async function sample(): Promise<string> {
  if (existsSync(SAMPLE)) return SAMPLE;
  mkdirSync(CACHE, { recursive: true });
  console.log(`making the ${SECONDS}-s sample ${SAMPLE}…`);
  await run('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=1920x1080:rate=30',
    '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000', '-t', String(SECONDS),
    '-c:v', 'libx264', '-preset', 'veryfast', '-profile:v', 'high', '-pix_fmt', 'yuv420p', '-b:v', '8000k',
    '-g', '60', '-keyint_min', '60', '-sc_threshold', '0', '-c:a', 'aac', '-b:a', '128k', '-ac', '2', '-movflags', '+faststart', `${SAMPLE}.part.mp4`,
  ]);
  execFileSync('mv', [`${SAMPLE}.part.mp4`, SAMPLE]);
  return SAMPLE;
}

const fresh = (name: string) => {
  const dir = join(WORK, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
};

function rawFfmpeg(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('ffmpeg', runnerArgs(args), { stdio: 'ignore' });
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg exit ${code}`))));
  });
}

/** (1) The media node's job, into a storage folder of its own. */
const ours = (source: string) =>
  measure(async () => {
    const dataDir = fresh('ours');
    const storage = new FsMediaStorage(join(dataDir, 'media'), 'http://127.0.0.1/media');
    const job = new VodTranscode({ jobId: 'bench', clipId: 'bench', source: { kind: 'file', path: source }, dataDir, storage, logger: pino({ level: 'silent' }), onProgress: () => {} });
    const outcome = await job.outcome;
    if (!outcome.ok) throw new Error(outcome.error.message.en);
  });

async function main(): Promise<void> {
  const source = await sample();
  const info = await probeVodSource(source);
  const plan = planVod(info);
  const rows: { label: string; cpu: number[]; run: () => Promise<number> }[] = [
    { label: '(1) ours: the whole job (probe, runner, staging, upload)', cpu: [], run: () => ours(source) },
    {
      label: '(2) raw ffmpeg, the same ladder + stills argv',
      cpu: [],
      run: () =>
        measure(async () => {
          const dir = fresh('raw');
          mkdirSync(join(dir, THUMBNAILS_DIR));
          await rawFfmpeg(vodLadderArgs(source, plan, dir));
          await rawFfmpeg(stillsArgs(source, info.durationSeconds, dir));
        }),
    },
    { label: '    of which the ladder alone', cpu: [], run: () => measure(() => rawFfmpeg(vodLadderArgs(source, plan, fresh('ladder')))) },
    { label: PEERTUBE_STYLE.label, cpu: [], run: () => measure(() => rawFfmpeg(variantArgs(source, plan, fresh('peertube'), PEERTUBE_STYLE))) },
  ];
  console.log(`vod-transcode: ${SECONDS} s of ${info.width}x${info.height}@${info.fps} ${info.codec} ${info.profile} + AAC → ${plan.rungs.map((r) => `${r.name}${r.passthrough ? ' (copy)' : ''}`).join(' / ')} + AAC, ${plan.segmentSeconds}-s fMP4`);
  console.log(`ffmpeg: ${execFileSync('ffmpeg', ['-version'], { encoding: 'utf8' }).split('\n')[0]}; ${REPEATS} rounds, runs interleaved, median shown`);
  for (let round = 0; round < REPEATS; round++) for (const row of rows) row.cpu.push(await row.run());
  const header = `${'run'.padEnd(58)} ${'CPU s'.padStart(7)} ${'(range)'.padStart(15)} ${'CPU s/s'.padStart(8)}`;
  console.log(`\n${header}\n${'-'.repeat(header.length)}`);
  for (const row of rows) {
    const cpu = median(row.cpu);
    const range = `(${Math.min(...row.cpu).toFixed(2)}–${Math.max(...row.cpu).toFixed(2)})`;
    console.log([row.label.padEnd(58), cpu.toFixed(2).padStart(7), range.padStart(15), (cpu / SECONDS).toFixed(3).padStart(8)].join(' '));
  }
  const [one, two, , peertube] = rows.map((row) => median(row.cpu));
  console.log(`\n(1)/(2) = ${(one / two).toFixed(3)}  (target ≤ 1.05)    (1)/(b) = ${(one / peertube).toFixed(3)}`);
  rmSync(WORK, { recursive: true, force: true });
}

await main();
