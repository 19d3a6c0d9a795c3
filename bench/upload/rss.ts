// A child process's resident set, sampled from /proc/<pid>/status (VmRSS, proc(5)) every few ms.
import { readFileSync } from 'node:fs';

export function rssOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(/(\d+)/.exec(line ?? '')?.[1] ?? 0) * 1024;
}

/** Samples `pid` until stop(); gives the RSS when started and the highest seen. */
export function sampleRss(pid: number, everyMs = 50): { stop(): { before: number; peak: number } } {
  const before = rssOf(pid);
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, rssOf(pid))), everyMs);
  return {
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, rssOf(pid));
      return { before, peak };
    },
  };
}
