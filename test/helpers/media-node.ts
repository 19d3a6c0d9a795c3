// Starts the real media-node process for a test app, the way server/main.ts does, and waits until it
// has registered. Needs MEDIASOUP_WORKER_BIN (npm test sets it; alone: $(node scripts/mediasoup.mjs)).
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
