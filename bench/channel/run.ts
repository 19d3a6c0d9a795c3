// Viewers one core holds on a broadcast's realtime channel: for each N, our server (server/main.ts)
// and a minimal Socket.IO 4 server (the baseline, socketio-server.ts), each alone on CPU 0, get N
// viewer sockets from a load generator (load.ts) alone on CPU 1; in the measured window every viewer
// receives the counts once a second and 20 chat events a second. Prints delivery latency, the server's
// CPU and RSS per idle socket, failures, and the ratios to the baseline. What is measured and how:
// bench/README.md ("channel").
// Usage: node bench/channel/run.ts [--n 1000,5000,10000,15000] [--seconds 20] [--only linbo|socketio]
//        [--event chat|question] [--addresses 50] [--rate 1000] [--nice -10] [--profile DIR]
// (the servers run with --inspect on a free loopback port: the harness collects garbage before RSS readings,
// watches their event loop and, with --profile, samples their CPU through it)
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { freePort } from '../../test/helpers/ports.ts';
import type { Command, Connected, Driven, Report } from './control.ts';
import type { DialectName } from './dialects.ts';
import { collectedMemory, inspectFlag, startProfile, watchEventLoop, type Memory } from './inspect.ts';
import { coreTime, cpuSeconds, OPEN_FILES, pinned, rssKb, setNiceness, startLinbo, startSocketIo, type Started } from './servers.ts';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '1000,5000,10000,15000' },
    seconds: { type: 'string', default: '20' },
    only: { type: 'string' },
    event: { type: 'string', default: 'chat' },
    addresses: { type: 'string', default: '50' },
    rate: { type: 'string', default: '1000' },
    /** A directory: each server's CPU profile over the measured window goes there, one .cpuprofile per N (read with profile.ts). */
    profile: { type: 'string' },
    nice: { type: 'string', default: '-10' },
  },
});
setNiceness(Number(values.nice));
if (values.profile) mkdirSync(values.profile, { recursive: true });
const COUNTS = values.n.split(',').map(Number);
const SECONDS = Number(values.seconds);
const EVENTS_PER_SECOND = 20;
const SENDERS = 4;
const SAMPLE_EVERY = 50;
const TARGET = { p99Ms: 250, cpuAt10k: 0.5, kbPerSocket: 10, ratio: 3 };
const SERVER_CORE = 0;
const LOAD_CORE = 1;
/**
 * Our server's limits opened for a benchmark's traffic: 20 events a second from four senders, and
 * thousands of viewers from each loopback address. Slow mode is off by default.
 */
const LINBO_ENV: Record<string, string> = { LINBO_WS_MAX_PER_IP: '20000', LINBO_WS_RATE_PER_SOCKET: '100' };

interface Row {
  n: number;
  server: string;
  connected: Connected;
  driven: Driven | undefined;
  cpu: number;
  /** The part of `cpu` spent in the kernel (system time): on loopback, sending also pays for much of the receiving. */
  cpuSystem: number;
  generatorCpu: number;
  /** What everything else (other processes on this shared machine) took of the server's core in the window. */
  othersOnServerCore: number;
  othersOnLoadCore: number;
  /** Softirq time on the server's core, counted in `othersOnServerCore`: on loopback, mostly TCP delivering what the server wrote. */
  softirqOnServerCore: number;
  /** The server's event-loop delay over the window (p99, max; ms): how late its timers, the fan-out tick among them, fired. */
  serverLoop: { p99: number; max: number };
  kbPerSocket: number;
  /** The same after a full garbage collection before and after: RSS, and the V8 heap alone. */
  collected: { rss: number; heap: number };
  error?: string;
}

const load = () => `load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${availableParallelism()} CPUs`;

function generator(): { child: ChildProcess; next(): Promise<Report>; send(c: Command): void } {
  const child = pinned(LOAD_CORE, 'bench/channel/load.ts', [], { PATH: process.env.PATH ?? '' }, ['ignore', 'inherit', 'inherit', 'ipc']);
  const queue: Report[] = [];
  const waiting: ((r: Report) => void)[] = [];
  child.on('message', (r: Report) => (waiting.length ? waiting.shift()!(r) : queue.push(r)));
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`the load generator exited (${code})`))));
  return {
    child,
    next: () => Promise.race([queue.length ? Promise.resolve(queue.shift()!) : new Promise<Report>((r) => waiting.push(r)), exited]),
    send: (c) => child.send(c),
  };
}

async function measure(n: number, dialect: DialectName, server: Started, run: number, inspectPort: number): Promise<Row> {
  const pid = server.child.pid!;
  await new Promise((r) => setTimeout(r, 1000));
  // Collected first, so the before figure holds no garbage of the server's start and the raw difference is an upper bound.
  const memBefore = await collectedMemory(inspectPort);
  const rssBefore = rssKb(pid);
  const gen = generator();
  try {
    // Own source addresses per run: no port of an earlier run's sockets (TIME_WAIT) is in the way.
    const addresses = Array.from({ length: Number(values.addresses) }, (_, i) => `127.${run + 1}.${Math.floor(i / 250)}.${(i % 250) + 1}`);
    gen.send({ cmd: 'connect', dialect, base: server.base, n, addresses, rate: Number(values.rate), sampleEvery: SAMPLE_EVERY });
    const connected = (await gen.next()) as Connected;
    await new Promise((r) => setTimeout(r, 2000));
    const kbPerSocket = connected.ready ? (rssKb(pid) - rssBefore) / connected.ready : NaN;
    const memIdle = await collectedMemory(inspectPort);
    const perSocket = (key: keyof Memory) => (connected.ready ? (memIdle[key] - memBefore[key]) / 1024 / connected.ready : NaN);
    const collected = { rss: perSocket('rss'), heap: perSocket('heapUsed') };
    const senderAddresses = Array.from({ length: SENDERS }, (_, i) => `127.${run + 1}.200.${i + 1}`);
    gen.send({ cmd: 'drive', eventsPerSecond: EVENTS_PER_SECOND, senders: SENDERS, senderAddresses, event: values.event as 'chat' | 'question', warmupSeconds: 3, seconds: SECONDS, drainSeconds: 10 });
    const readings = async () => ({ at: performance.now(), server: cpuSeconds(pid), gen: cpuSeconds(gen.child.pid!), core: coreTime(SERVER_CORE), loadCore: coreTime(LOAD_CORE) });
    await gen.next(); // window start
    const start = await readings();
    const stopProfile = values.profile ? await startProfile(inspectPort) : undefined;
    const stopWatching = await watchEventLoop(inspectPort);
    await gen.next(); // window end
    const end = await readings();
    const serverLoop = await stopWatching();
    if (stopProfile) writeFileSync(join(values.profile!, `${dialect}-${n}.cpuprofile`), await stopProfile());
    const driven = (await gen.next()) as Driven;
    const wall = (end.at - start.at) / 1000;
    const used = (a: { user: number; system: number }, b: { user: number; system: number }) => (b.user + b.system - a.user - a.system) / wall;
    const cpu = used(start.server, end.server);
    const cpuSystem = (end.server.system - start.server.system) / wall;
    const generatorCpu = used(start.gen, end.gen);
    const busy = (a: typeof start.core, b: typeof start.core) => (b.busy - a.busy) / (b.total - a.total);
    const othersOnServerCore = Math.max(0, busy(start.core, end.core) - cpu);
    const othersOnLoadCore = Math.max(0, busy(start.loadCore, end.loadCore) - generatorCpu);
    const softirqOnServerCore = (end.core.softirq - start.core.softirq) / (end.core.total - start.core.total);
    return { n, server: server.name, connected, driven, cpu, cpuSystem, generatorCpu, othersOnServerCore, othersOnLoadCore, softirqOnServerCore, serverLoop, kbPerSocket, collected };
  } finally {
    if (gen.child.connected) gen.send({ cmd: 'close' });
    await new Promise((r) => (gen.child.exitCode === null ? gen.child.once('exit', r) : r(null)));
  }
}

const ms = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? 'lost' : v >= 1000 ? `${(v / 1000).toFixed(1)} s` : `${v.toFixed(0)} ms`);
const pct = (v: number) => `${(v * 100).toFixed(0)}%`;
const reasons = (r: Record<string, number>) => Object.entries(r).map(([k, v]) => `${k} ×${v}`).join(', ');
const holds = (r: Row, p99Ms: number) => r.driven !== undefined && r.connected.failed === 0 && r.driven.dropped === 0 && (r.driven.latenciesMs.p99 ?? Infinity) < p99Ms;

function printRow(r: Row): void {
  const d = r.driven;
  if (!d) return console.log(`| ${r.n} | ${r.server} | ${r.connected.ready} (${r.connected.failed} failed) | — | — | — | — | — | — | ${r.error ?? ''} |`);
  const delivered = d.expected ? `${((d.latenciesMs.delivered / d.expected) * 100).toFixed(1)}%` : '—';
  const saturated = r.generatorCpu > 0.9 ? ' **generator saturated**' : '';
  console.log(
    `| ${r.n} | ${r.server} | ${r.connected.ready} (${r.connected.failed} failed${r.connected.failed ? `: ${reasons(r.connected.reasons)}` : ''}) in ${(r.connected.ms / 1000).toFixed(1)} s ` +
      `| ${ms(d.latenciesMs.p50)} / ${ms(d.latenciesMs.p99)} / ${ms(d.latenciesMs.max)} | ${delivered} of ${d.expected} (${(d.sent / SECONDS).toFixed(1)} events/s) | ${d.dropped}${d.dropped ? ` (${reasons(d.dropReasons)})` : ''} ` +
      `| ${pct(r.cpu)} (kernel ${pct(r.cpuSystem)}; others ${pct(r.othersOnServerCore)}, softirq ${pct(r.softirqOnServerCore)} of it), loop p99 ${r.serverLoop.p99.toFixed(0)} ms | ${r.kbPerSocket.toFixed(1)} KB (${r.collected.rss.toFixed(1)} / ${r.collected.heap.toFixed(1)} KB) | ${pct(r.generatorCpu)}${saturated} (others ${pct(r.othersOnLoadCore)}), loop p99 ${d.loopDelayP99Ms.toFixed(0)} ms | ${reasons(d.senderErrors) || '—'} |`,
  );
}

function printRatios(rows: Row[]): void {
  const ours = rows.filter((r) => r.server === 'Linbo');
  const base = rows.filter((r) => r.server !== 'Linbo');
  console.log('\n| figure | Linbo | Socket.IO 4 | ratio | target |');
  console.log('| --- | --- | --- | --- | --- |');
  // Each server's limit lies between the largest N it held and the next N tried: the ratio is a bracket.
  for (const p99Ms of [TARGET.p99Ms, 500, 1000]) {
    const held = (rs: Row[]) => Math.max(0, ...rs.filter((r) => holds(r, p99Ms)).map((r) => r.n));
    const miss = (rs: Row[]) => Math.min(...rs.filter((r) => !holds(r, p99Ms)).map((r) => r.n));
    const [o, oMiss, b, bMiss] = [held(ours), miss(ours), held(base), miss(base)];
    const text = (h: number, m: number) => (!Number.isFinite(m) && !h ? '—' : `${h || 'none'}${Number.isFinite(m) ? ` (not ${m})` : ' (every N tried)'}`);
    const bound = (x: number) => (Number.isFinite(x) ? `${x.toFixed(1)}×` : '∞');
    const ratio = !ours.length || !base.length ? '—' : Number.isFinite(bMiss) ? `${bound(o / bMiss)} to ${bound(b ? oMiss / b : Infinity)}` : 'unknown: Socket.IO held every N';
    const target = p99Ms === TARGET.p99Ms ? `≥ ${TARGET.ratio}×, and Linbo every N` : '';
    console.log(`| viewers held at p99 < ${p99Ms} ms, none failed or dropped | ${text(o, oMiss)} | ${text(b, bMiss)} | ${ratio} | ${target} |`);
  }
  const at10k = (rs: Row[]) => rs.find((r) => r.n === 10_000 && r.driven);
  const [o10, b10] = [at10k(ours), at10k(base)];
  console.log(`| server CPU at 10k viewers | ${o10 ? pct(o10.cpu) : '—'} | ${b10 ? pct(b10.cpu) : '—'} | ${o10 && b10 ? `${(o10.cpu / b10.cpu).toFixed(2)}×` : '—'} | ≤ ${pct(TARGET.cpuAt10k)} |`);
  const biggest = (rs: Row[]) => rs.filter((r) => Number.isFinite(r.collected.rss)).at(-1);
  const [oK, bK] = [biggest(ours), biggest(base)];
  // After a collection on both sides: what the sockets hold, not the garbage their joining left.
  const kb = (r: Row | undefined) => (r ? `${r.collected.rss.toFixed(1)} KB (N = ${r.n}; before GC ${r.kbPerSocket.toFixed(1)} KB)` : '—');
  console.log(`| RSS per idle socket | ${kb(oK)} | ${kb(bK)} | ${oK && bK ? `${(oK.collected.rss / bK.collected.rss).toFixed(2)}×` : '—'} | ≤ ${TARGET.kbPerSocket} KB |`);
  const generatorBound = rows.filter((r) => r.generatorCpu > 0.9);
  if (generatorBound.length) console.log(`\nthe load generator used > 90% of its core in: ${generatorBound.map((r) => `${r.server} N=${r.n}`).join(', ')}; there its own delay is in the latency.`);
}

async function main(): Promise<void> {
  console.log(`${new Date().toISOString()}, ${load()}; server on CPU ${SERVER_CORE}, load generator on CPU ${LOAD_CORE}, open files ${OPEN_FILES} each, nice ${values.nice}`);
  console.log(`per N: ramp at ≤ ${values.rate}/s over ${values.addresses} source addresses, 2 s idle (RSS), 3 s warm-up, ${SECONDS} s measured with ${EVENTS_PER_SECOND} ${values.event} events/s from ${SENDERS} senders, every ${SAMPLE_EVERY}th viewer sampled`);
  console.log('\n| N | server | connected | latency p50 / p99 / max | delivered to the sample | dropped | server CPU (its kernel part; others on its core) | RSS per idle socket (after GC: RSS / V8 heap) | generator CPU (others on its core) | sender errors |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  const rows: Row[] = [];
  let run = 0;
  for (const n of COUNTS) {
    for (const dialect of ['linbo', 'socketio'] as const) {
      if (values.only && values.only !== dialect) continue;
      const [port, inspectPort] = [await freePort(), await freePort()];
      const flags = [inspectFlag(inspectPort)];
      const server = dialect === 'linbo' ? await startLinbo(SERVER_CORE, port, LINBO_ENV, flags) : await startSocketIo(SERVER_CORE, port, flags);
      try {
        const row = await measure(n, dialect, server, run++, inspectPort);
        rows.push(row);
        printRow(row);
      } catch (err) {
        console.log(`| ${n} | ${server.name} | failed: ${(err as Error).message.split('\n')[0]} |`);
        if (server.child.exitCode !== null) console.log(server.output());
      } finally {
        await server.stop();
      }
    }
  }
  printRatios(rows);
  console.log(`\n${new Date().toISOString()}, ${load()}`);
}

// Exiting runs the handlers servers.ts set to stop the (detached) server and load generator.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
await main();
process.exit(0);
