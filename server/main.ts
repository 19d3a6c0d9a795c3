// The control-plane process: config → store (migrated) → services → HTTP. Prints where to go.
import { join } from 'node:path';
import pino from 'pino';
import { ConfigError, loadConfig } from './config.ts';
import { systemClock } from './clock.ts';
import { openStore } from './store/db.ts';
import { buildServices, linboApp } from './app.ts';
import { createServer } from './http/server.ts';
import { SeriesScheduler } from './series/scheduler.ts';
import { liveDemoBroadcast, seedDemo } from './demo/seed.ts';
import { DemoFeed } from './demo/live-feed.ts';
import { MediaNodeSupervisor } from './media-nodes/supervisor.ts';

let config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(`linbo: configuration error: ${err.message}`);
    process.exit(2);
  }
  throw err;
}

const logger = pino({
  level: config.logLevel,
  ...(process.stdout.isTTY ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } } } : {}),
});

const store = await openStore(config);
const services = buildServices(config, store, systemClock, logger);
// The embedded media node: a child process on this machine, started again when it dies, stopped with the control plane.
services.mediaNodes.attach(MediaNodeSupervisor.start(config, logger).bus);
const admin = await services.accounts.ensureAdmin(config.adminPassword);
const demo = config.demo ? await seedDemo(services) : { countdown: undefined, feed: undefined };
const liveDemo = config.demo ? await liveDemoBroadcast(services) : undefined;
const demoFeed = liveDemo
  ? new DemoFeed({
      mediaNodes: services.mediaNodes,
      broadcasts: services.broadcasts,
      clock: services.clock,
      logger,
      actor: liveDemo.admin,
      broadcastId: liveDemo.broadcast.id,
      timezone: config.timezone,
      pidFile: join(config.dataDir, 'demo-feed.pid'),
    })
  : undefined;
const scheduler = new SeriesScheduler(services.series, logger);
scheduler.start();

const app = createServer({ logger, trustProxy: config.trustProxy });
try {
  await app.register(linboApp, { services });
  await app.listen({ port: config.port, host: config.host });
} catch (err) {
  // A service named in the config that does not answer (Redis), or a port already taken: one line
  // an operator can act on, the details in the log.
  logger.fatal({ err }, 'could not start');
  console.error(`linbo: could not start: ${err instanceof Error ? err.message : String(err)}`);
  await services.mediaNodes.close();
  await store.close();
  process.exit(1);
}
demoFeed?.start();

const lines = [
  '',
  `  邻播 Linbo is running (${store.kind === 'pglite' ? `embedded database in ${config.dataDir}` : 'PostgreSQL'})`,
  `  Console:   ${config.publicUrl}/console`,
  `  API docs:  ${config.publicUrl}/docs`,
];
if (admin.generatedPassword) {
  lines.push(`  Admin login: admin / ${admin.generatedPassword}   (generated now and shown only once: write it down)`);
} else if (admin.created) {
  lines.push('  Admin login: admin / the password in LINBO_ADMIN_PASSWORD');
} else {
  lines.push('  Admin login: admin (password unchanged since the first start)');
}
if (demo.countdown) lines.push(`  Demo broadcast countdown: ${demo.countdown}`);
if (demo.feed) lines.push(`  Demo community's clips:   ${demo.feed}   (residents send videos from ${demo.feed}/submit)`);
if (liveDemo) lines.push(`  Demo live feed: ${liveDemo.broadcast.links.watch}   HLS: ${liveDemo.broadcast.links.hls}`);
console.log(lines.join('\n') + '\n');

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await scheduler.close();
    await demoFeed?.close();
    await app.close();
    await services.mediaNodes.close();
    await store.close();
    process.exit(0);
  });
}
