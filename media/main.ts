// The media-node process. In the embedded default the control plane forks it (server/media-nodes/
// launcher.ts) with its settings in MEDIA_NODE_SETTINGS and an IPC channel; it lives as long as that
// channel: when the control plane disconnects or stops, the node ends its broadcasts and exits.
import pino from 'pino';
import { mediaNodeSettingsCheck } from '../server/contracts/media.ts';
import { IpcNodeBus } from './bus.ts';
import { MediaNode } from './node.ts';
import { openMediaStorage } from './storage/open.ts';

let raw: unknown;
try {
  raw = JSON.parse(process.env.MEDIA_NODE_SETTINGS ?? '');
} catch {
  raw = undefined;
}
if (!mediaNodeSettingsCheck.Check(raw)) {
  console.error('linbo media node: MEDIA_NODE_SETTINGS is missing or malformed; the control plane starts this process');
  process.exit(2);
}
const settings = raw;
const logger = pino({ level: settings.logLevel }).child({ nodeId: settings.nodeId });
const bus = new IpcNodeBus(logger);
const storage = openMediaStorage({ dataDir: settings.dataDir, publicUrl: settings.publicUrl, s3: settings.s3 });
const node = await MediaNode.create(settings, bus, storage, logger);
logger.info({ workers: settings.workers }, 'media node ready');

let stopping = false;
async function stop(reason: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ reason }, 'media node stopping');
  await node.close();
  bus.close();
  process.exit(0);
}
process.on('disconnect', () => void stop('control plane disconnected'));
// The control plane forwards its own shutdown by disconnecting (the node runs in a process group of its
// own, so a terminal's Ctrl-C reaches only the control plane); a signal sent to this process stops it too.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void stop(signal));
