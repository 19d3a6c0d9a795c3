// CPU time of the processes a benchmark starts, for the transcoding benchmarks: the growth of this
// process's `cutime` + `cstime` (/proc/self/stat fields 16 and 17, proc(5)), in clock ticks. Node reaps a
// child as soon as it exits, so the growth across one run is exactly its children's (ffmpeg, ffprobe),
// all threads included; this process's own CPU (runner, staging, upload) is added from cpuUsage().
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const TICK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));

function childrenCpu(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return (Number(fields[13]) + Number(fields[14])) / TICK;
}

const ownCpu = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

/** CPU seconds spent by this process and the children it reaped while `start` ran. */
export async function measure(start: () => Promise<void>): Promise<number> {
  const [children, own] = [childrenCpu(), ownCpu()];
  await start();
  return childrenCpu() - children + (ownCpu() - own);
}

export const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
