// The real Redis the scaled-out tests run against (the test setup starts one on 127.0.0.1:6379), and
// a key prefix of their own per run, removed at the end, so runs and installations sharing it never meet.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';

export const redisUrl = () => process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A fresh `linbo-test-<uuid>:` prefix; every key under it is deleted when `t` ends. */
export function redisPrefix(t: { teardown(fn: () => unknown): void }): string {
  const prefix = `linbo-test-${randomUUID()}:`;
  deleteKeysAtEnd(t, `${prefix}*`);
  return prefix;
}

/** Deletes the keys matching the glob `pattern` when `t` ends (what processes under test left behind). */
export function deleteKeysAtEnd(t: { teardown(fn: () => unknown): void }, pattern: string): void {
  t.teardown(async () => {
    const redis = new Redis(redisUrl());
    try {
      for (let cursor = '0'; ; ) {
        const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
        if (keys.length > 0) await redis.del(...keys);
        cursor = next;
        if (cursor === '0') break;
      }
    } finally {
      redis.disconnect();
    }
  });
}

/** A plain connection for what a test does to Redis itself (CLIENT KILL, reading keys); closed with `t`. */
export function redisClient(t: { teardown(fn: () => unknown): void }): Redis {
  const redis = new Redis(redisUrl());
  t.teardown(() => redis.disconnect());
  return redis;
}

/**
 * Cuts every connection process `pid` holds to Redis, as a network hiccup would (Redis sees the
 * client go; the process sees its sockets close and reconnects). Returns how many were cut.
 */
export async function cutRedisConnectionsOf(redis: Redis, pid: number): Promise<number> {
  const port = new URL(redisUrl()).port || '6379';
  const { stdout } = await promisify(execFile)('ss', ['-tnpH', `dport = :${port}`]);
  const addresses = stdout
    .split('\n')
    .filter((line) => line.includes(`pid=${pid},`))
    .map((line) => line.trim().split(/\s+/)[3]!);
  for (const addr of addresses) await redis.call('CLIENT', 'KILL', 'ADDR', addr);
  return addresses.length;
}
