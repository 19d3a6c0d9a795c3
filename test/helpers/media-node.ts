// Starts the real media-node process for a test app, the way server/main.ts does, and waits until it
// has registered; and a real ffmpeg feed for its plain-RTP ingest. Needs MEDIASOUP_WORKER_BIN (npm test sets it; alone: $(node scripts/mediasoup.mjs)).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import pino from 'pino';
import { launchMediaNode, type LaunchedMediaNode } from '../../server/media-nodes/launcher.ts';
import type { TestApp } from './app.ts';
import { until } from './until.ts';

interface Teardown {
  teardown(fn: () => unknown): void;
}

export async function startMediaNode(t: Teardown, ctx: TestApp, options: { loadIntervalMs?: number } = {}): Promise<LaunchedMediaNode> {
  if (!process.env.MEDIASOUP_WORKER_BIN) throw new Error('MEDIASOUP_WORKER_BIN is not set: npm test sets it; alone, use $(node scripts/mediasoup.mjs)');
  const logLevel = process.env.TEST_LOG_LEVEL ?? 'silent';
  const node = launchMediaNode(ctx.config, pino({ level: logLevel }), { logLevel, announcedIp: '127.0.0.1', workers: 1, loadIntervalMs: options.loadIntervalMs ?? 1_000 });
  ctx.services.mediaNodes.attach(node.bus);
  t.teardown(() => ctx.services.mediaNodes.close());
  await until('the media node registers with the control plane', () => ctx.services.mediaNodes.registry.nodes().some((n) => n.nodeId === node.nodeId), 20_000);
  return node;
}

export interface TestFeed {
  running(): boolean;
  /** What ffmpeg wrote to stderr. */
  said(): string;
  stop(): Promise<void>;
}

/**
 * A real ffmpeg sending a test pattern and a tone to a plain-RTP ingest, with the output options the
 * ingest API returned (`ffmpegArgs`); stream 0 of the lavfi graph is the picture, stream 1 the sound.
 */
export function sendTestPattern(t: Teardown, ffmpegArgs: string[], size = '1280x720'): TestFeed {
  const input = `testsrc2=size=${size}:rate=30[out0];sine=frequency=440:sample_rate=48000[out1]`;
  const ffmpeg = spawn('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-nostdin', '-re', '-f', 'lavfi', '-i', input, ...ffmpegArgs], { stdio: ['ignore', 'ignore', 'pipe'] });
  let said = '';
  ffmpeg.stderr.on('data', (chunk) => (said += chunk));
  const stop = async () => {
    if (ffmpeg.exitCode !== null || ffmpeg.signalCode !== null) return;
    const exited = once(ffmpeg, 'exit');
    ffmpeg.kill('SIGKILL');
    await exited;
  };
  t.teardown(stop);
  return { running: () => ffmpeg.exitCode === null, said: () => said, stop };
}
