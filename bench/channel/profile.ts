// Where a server's time went, from a V8 .cpuprofile (`node --cpu-prof`, or run.ts --profile DIR):
// self time by function and by file or package, the largest first.
// Usage: node bench/channel/profile.ts <file.cpuprofile> [--top 25]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '25' } } });
if (!positionals[0]) throw new Error('usage: node bench/channel/profile.ts <file.cpuprofile> [--top 25]');
const profile = JSON.parse(readFileSync(positionals[0], 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));

const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

/** node_modules/<package> or the repository path: where a function lives, for grouping. */
function place({ callFrame: { url, functionName } }: ProfileNode): string {
  // (idle), (program), (garbage collector) and natives have no file.
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith('node:')) return url;
  return url.replace(/^file:\/\/.*?\/(server|media|bench|test)\//, '$1/');
}

function top(group: (n: ProfileNode) => string): [string, number][] {
  const sums = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const key = group(byId.get(id)!);
    sums.set(key, (sums.get(key) ?? 0) + us);
  }
  return [...sums].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top));
}

const line = ([key, us]: [string, number]) => `${((us / total) * 100).toFixed(1).padStart(5)}%  ${(us / 1e6).toFixed(2).padStart(7)} s  ${key}`;
console.log(`${positionals[0]}: ${(total / 1e6).toFixed(1)} s sampled`);
console.log('\nself time by function');
for (const row of top((n) => `${n.callFrame.functionName || '(anonymous)'}  ${place(n)}:${n.callFrame.lineNumber + 1}`)) console.log(line(row));
console.log('\nself time by file or package');
for (const row of top(place)) console.log(line(row));
