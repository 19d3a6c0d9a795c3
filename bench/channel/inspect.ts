// A full garbage collection in a server process, through its inspector (node --inspect, Chrome DevTools
// protocol), and its memory after it: RSS right after a ramp still holds garbage the collector has not
// reached, which is not what an idle socket costs.
import { WebSocket } from 'ws';

export interface Memory {
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

export const inspectFlag = (port: number) => `--inspect=127.0.0.1:${port}`;

interface Session {
  call(method: string, params?: object): Promise<Record<string, unknown>>;
  close(): void;
}

async function attach(port: number): Promise<Session> {
  const [target] = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as { webSocketDebuggerUrl: string }[];
  const ws = new WebSocket(target.webSocketDebuggerUrl, { perMessageDeflate: false, maxPayload: 1024 * 1024 * 1024 });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  let id = 0;
  const call = (method: string, params: object = {}) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const mine = ++id;
      const onMessage = (data: Buffer) => {
        const reply = JSON.parse(data.toString());
        if (reply.id !== mine) return;
        ws.off('message', onMessage);
        if (reply.error) reject(new Error(`${method}: ${reply.error.message}`));
        else resolve(reply.result);
      };
      ws.on('message', onMessage);
      ws.send(JSON.stringify({ id: mine, method, params }));
    });
  return { call, close: () => ws.close() };
}

export async function collectedMemory(port: number): Promise<Memory> {
  const session = await attach(port);
  try {
    // Twice: the first pass can leave what finalizers and weak callbacks release for the second.
    await session.call('HeapProfiler.collectGarbage');
    await session.call('HeapProfiler.collectGarbage');
    const { result } = (await session.call('Runtime.evaluate', { expression: 'JSON.stringify(process.memoryUsage())', returnByValue: true })) as { result: { value: string } };
    return JSON.parse(result.value) as Memory;
  } finally {
    session.close();
  }
}

/** Starts V8's sampling profiler in the server; the returned function stops it and gives the .cpuprofile JSON. */
export async function startProfile(port: number): Promise<() => Promise<string>> {
  const session = await attach(port);
  await session.call('Profiler.enable');
  await session.call('Profiler.start');
  return async () => {
    const { profile } = await session.call('Profiler.stop');
    session.close();
    return JSON.stringify(profile);
  };
}

/**
 * Watches the server's event loop from inside (monitorEventLoopDelay, set up through the inspector): a
 * timer such as the fan-out tick fires late by this much. The returned function reads p99 and max, ms.
 */
export async function watchEventLoop(port: number): Promise<() => Promise<{ p99: number; max: number }>> {
  const session = await attach(port);
  const evaluate = async (expression: string) => {
    const { result } = (await session.call('Runtime.evaluate', { expression, returnByValue: true })) as { result: { value: string } };
    return result.value;
  };
  await evaluate(`(globalThis.__benchLoop = process.getBuiltinModule('node:perf_hooks').monitorEventLoopDelay({ resolution: 10 })).enable(), ''`);
  return async () => {
    const value = await evaluate(`(__benchLoop.disable(), JSON.stringify({ p99: __benchLoop.percentile(99) / 1e6, max: __benchLoop.max / 1e6 }))`);
    session.close();
    return JSON.parse(value) as { p99: number; max: number };
  };
}
