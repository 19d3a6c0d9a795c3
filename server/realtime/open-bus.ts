// Which bus carries the channels: the in-process one by default; with REDIS_URL, Redis (redis-bus.ts),
// so several control-plane processes serve one broadcast together. The one place that chooses.
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { ChannelBus } from './bus.ts';
import { LocalBus } from './local-bus.ts';
import { RedisBus } from './redis-bus.ts';

/** With REDIS_URL, a Redis that does not answer stops the start with an error naming it. */
export async function createBus(config: Config, logger: Logger): Promise<ChannelBus> {
  if (config.redisUrl) return RedisBus.create({ url: config.redisUrl, logger: logger.child({ component: 'channel-bus' }) });
  return new LocalBus();
}
