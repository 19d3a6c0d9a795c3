// The channel benchmark's load generator, run by run.ts on its own core: N viewer sockets (raw `ws`, no
// compression, no UTF-8 check) that mostly just receive, every `sampleEvery`-th one reading its frames
// for the send time stamped into each event's text, and a few sender sockets that post 20 events a
// second. Sender and receivers share this process's clock, so latency is now − stamp, no skew.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import type { Command, ConnectCommand, DriveCommand, Report } from './control.ts';
import { dialects, type Dialect } from './dialects.ts';

const CONNECT_TIMEOUT_MS = 15_000;
const MAX_PENDING = 200;
/** Stamped into each event's text; sampled receivers find it in any framing (JSON, engine.io, batched). */
const STAMP = /lat@(\d+\.\d)#/g;

const report = (r: Report) => process.send!(r);
const bump = (counts: Record<string, number>, key: string) => (counts[key] = (counts[key] ?? 0) + 1);

let dialect: Dialect;
const sampled: WebSocket[] = [];
let viewers: WebSocket[] = [];
const dropReasons: Record<string, number> = {};
let dropped = 0;
/** Send times inside the window are [windowStart, windowEnd]; latencies of their deliveries. */
let windowStart = Infinity;
let windowEnd = Infinity;
let latencies: number[] = [];

function onSampledFrame(this: WebSocket, frame: Buffer): void {
  if (dialect.heartbeat(this, frame) || windowStart === Infinity) return;
  const now = performance.now();
  for (const m of frame.toString('latin1').matchAll(STAMP)) {
    const sent = Number(m[1]);
    if (sent >= windowStart && sent <= windowEnd) latencies.push(now - sent);
  }
}

function onFrame(this: WebSocket, frame: Buffer): void {
  dialect.heartbeat(this, frame);
}

/** Opens one socket; resolves when the server has let it in (welcome / namespace connect) or it failed. */
function open(url: string, localAddress: string, listener: (this: WebSocket, frame: Buffer) => void): Promise<WebSocket | string> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { perMessageDeflate: false, skipUTF8Validation: true, localAddress, handshakeTimeout: CONNECT_TIMEOUT_MS });
    let settled = false;
    const settle = (result: WebSocket | string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      ws.removeListener('message', handshake);
      if (typeof result === 'string') ws.terminate();
      resolve(result);
    };
    const timer = setTimeout(() => settle('timeout'), CONNECT_TIMEOUT_MS);
    const handshake = (frame: Buffer) => {
      const outcome = dialect.handshake(ws, frame);
      if (outcome === 'ready') {
        ws.on('message', listener);
        settle(ws);
      } else if (outcome) settle(outcome.failed);
    };
    ws.on('open', () => dialect.opened(ws));
    ws.on('message', handshake);
    ws.on('unexpected-response', (_req, res) => settle(`http ${res.statusCode}`));
    ws.on('error', (err: NodeJS.ErrnoException) => settle(err.code ?? err.message));
    ws.on('close', (code) => {
      if (!settled) return settle(`close ${code}`);
      if (ws.readyState !== WebSocket.CLOSED || closing) return;
      dropped++;
      bump(dropReasons, `close ${code}`);
    });
  });
}

let closing = false;

async function connect(c: ConnectCommand): Promise<void> {
  dialect = dialects[c.dialect];
  const url = dialect.url(c.base);
  const started = performance.now();
  const reasons: Record<string, number> = {};
  let failed = 0;
  let pending = 0;
  const all: Promise<void>[] = [];
  for (let i = 0; i < c.n; i++) {
    // A bounded rate and a bounded number in flight: a ramp, not a SYN flood.
    const due = started + (i * 1000) / c.rate;
    while (performance.now() < due || pending >= MAX_PENDING) await new Promise((r) => setTimeout(r, 2));
    pending++;
    const isSampled = i % c.sampleEvery === 0;
    all.push(
      open(url, c.addresses[i % c.addresses.length], isSampled ? onSampledFrame : onFrame).then((ws) => {
        pending--;
        if (typeof ws === 'string') {
          failed++;
          bump(reasons, ws);
          return;
        }
        viewers.push(ws);
        if (isSampled) sampled.push(ws);
      }),
    );
  }
  await Promise.all(all);
  report({ kind: 'connected', ready: viewers.length, failed, reasons, ms: Math.round(performance.now() - started) });
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;

async function drive(d: DriveCommand): Promise<void> {
  const senderErrors: Record<string, number> = {};
  const senders: WebSocket[] = [];
  for (let i = 0; i < d.senders; i++) {
    const ws = await open(dialect.url(baseUrl), d.senderAddresses[i % d.senderAddresses.length], function (frame) {
      if (dialect.heartbeat(this, frame)) return;
      const code = /"type":"error".*?"code":"([A-Z_]+)"/.exec(frame.toString('latin1'))?.[1];
      if (code) bump(senderErrors, code);
    });
    if (typeof ws === 'string') throw new Error(`sender ${i} could not connect: ${ws}`);
    senders.push(ws);
  }
  let sent = 0;
  let k = 0;
  const compose = d.event === 'chat' ? dialect.chat : dialect.question;
  const since = performance.now();
  // Events due by the clock, not one per timer callback: a late timer (a busy generator) sends what is owed.
  const events = setInterval(() => {
    const stamp = Math.round(performance.now() * 10) / 10;
    const due = Math.floor(((stamp - since) * d.eventsPerSecond) / 1000);
    for (; k < due; k++) {
      senders[k % senders.length].send(compose(`lat@${stamp.toFixed(1)}# 讲座提问`));
      if (stamp >= windowStart && windowEnd === Infinity) sent++;
    }
  }, 1000 / d.eventsPerSecond / 2);
  // Taps keep the like total moving, so a server that sends counts only on change still sends them every second.
  const likes = setInterval(() => senders.forEach((ws) => ws.send(dialect.like(1))), 1000);

  await new Promise((r) => setTimeout(r, d.warmupSeconds * 1000));
  const open_ = sampled.filter((ws) => ws.readyState === WebSocket.OPEN).length;
  const droppedBefore = dropped;
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  latencies = [];
  windowStart = Math.round(performance.now() * 10) / 10;
  report({ kind: 'window', phase: 'start' });
  await new Promise((r) => setTimeout(r, d.seconds * 1000));
  windowEnd = performance.now();
  report({ kind: 'window', phase: 'end' });
  delay.disable();
  clearInterval(events);
  clearInterval(likes);

  const expected = sent * open_;
  const drainUntil = performance.now() + d.drainSeconds * 1000;
  while (latencies.length < expected && performance.now() < drainUntil) await new Promise((r) => setTimeout(r, 50));
  // What never came counts as infinitely late: a server that loses events cannot look fast by it.
  const sorted = [...latencies].sort((a, b) => a - b);
  while (sorted.length < expected) sorted.push(Infinity);
  for (const ws of senders) ws.terminate();
  report({
    kind: 'driven',
    sent,
    sampledSockets: open_,
    expected,
    latenciesMs: { p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), max: Math.max(0, ...latencies), delivered: latencies.length },
    dropped: dropped - droppedBefore,
    dropReasons,
    senderErrors,
    loopDelayP99Ms: delay.percentile(99) / 1e6,
  });
}

// The orchestrator gone (killed, crashed): nothing is left to report to.
process.on('disconnect', () => process.exit(0));
let baseUrl = '';
process.on('message', (command: Command) => {
  const run = async () => {
    if (command.cmd === 'connect') {
      baseUrl = command.base;
      await connect(command);
    } else if (command.cmd === 'drive') await drive(command);
    else {
      closing = true;
      viewers = [];
      process.exit(0);
    }
  };
  run().catch((err) => {
    console.error(err);
    process.exit(1);
  });
});
