// The installation's configuration: parsed once from the environment, validated, frozen and passed
// down. Unknown LINBO_* keys are an error naming the key, so a typo never silently falls back to a default.
import type { S3Settings } from './contracts/media.ts';
import { resolve } from 'node:path';

export interface Config {
  readonly port: number;
  readonly host: string;
  /** Absolute base URL residents reach the service at; every link in the API is built from it. */
  readonly publicUrl: string;
  readonly dataDir: string;
  /** Absent: PGlite in the data dir. */
  readonly databaseUrl: string | undefined;
  /** Absent: one process serves the realtime channel; set, replicas share it through Redis (redis-bus.ts). */
  readonly redisUrl: string | undefined;
  readonly adminPassword: string | undefined;
  readonly timezone: string;
  readonly logLevel: string;
  /** How far ahead a series' occurrences are materialised as broadcasts. */
  readonly seriesHorizonWeeks: number;
  /** Seed a demo channel and broadcast on an empty database. */
  readonly demo: boolean;
  /** Trust X-Forwarded-* from a reverse proxy (needed for per-IP login limits behind one). */
  readonly trustProxy: boolean;
  /** How often countdown and watch pages re-check their broadcast (ms): longer eases a crowd's load. */
  readonly pagePollMs: number;
  /** Who may frame the embed page: the CSP `frame-ancestors` sources (`*`: any site). */
  readonly embedFrameAncestors: string;
  /** How long a live broadcast whose feed stopped waits for it to return before it ends (seconds). */
  readonly ingestGraceSeconds: number;
  /** S3-compatible media storage; absent: media files under `${dataDir}/media`, served at /media. */
  readonly s3: S3Config | undefined;
  /** The UDP (and ICE-TCP) ports publishers send media to: the range a firewall or container must open. */
  readonly rtcPorts: { readonly min: number; readonly max: number };
  /** The realtime channel's limits (docs/realtime.md). */
  readonly realtime: RealtimeLimits;
  /** Recorded clips' uploads (server/uploads): sizes, lengths and residents' submission rate. */
  readonly uploads: UploadLimits;
}

export interface UploadLimits {
  /** Largest staff upload (tus Upload-Length). */
  readonly maxBytes: number;
  /** Largest resident submission. */
  readonly submissionMaxBytes: number;
  /** Longest staff clip, from ffprobe's duration. */
  readonly clipMaxSeconds: number;
  /** Longest resident submission. */
  readonly submissionMaxSeconds: number;
  /** Submissions one device may start in an hour, and one address (residents behind one carrier NAT share it). */
  readonly submissionsPerHour: number;
  readonly submissionsPerHourPerIp: number;
  /** An upload not finished this long after it began is removed. */
  readonly expireHours: number;
}

export interface RealtimeLimits {
  /** A larger inbound frame closes the socket with 1009. */
  readonly maxFrameBytes: number;
  /** Sockets one address may hold: generous, residents on one mobile carrier share its NAT addresses. */
  readonly maxSocketsPerIp: number;
  /** WebSocket ping period; two unanswered pings close the socket. */
  readonly heartbeatMs: number;
  /** A socket with more than this waiting to be sent cannot keep up and is closed (4008). */
  readonly maxBufferedBytes: number;
  /** Inbound messages a second, sustained, per socket (bursts of 4× this) and per address (bursts of 2×). */
  readonly messagesPerSecond: number;
  readonly ipMessagesPerSecond: number;
}

export type S3Config = Readonly<S3Settings>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const KNOWN_LINBO_KEYS = new Set([
  'LINBO_DATA_DIR',
  'LINBO_ADMIN_PASSWORD',
  'LINBO_TIMEZONE',
  'LINBO_SERIES_HORIZON_WEEKS',
  'LINBO_DEMO',
  'LINBO_TRUST_PROXY',
  'LINBO_PAGE_POLL_MS',
  'LINBO_EMBED_FRAME_ANCESTORS',
  'LINBO_INGEST_GRACE_SECONDS',
  'LINBO_RTC_MIN_PORT',
  'LINBO_RTC_MAX_PORT',
  'LINBO_WS_MAX_FRAME_BYTES',
  'LINBO_WS_MAX_PER_IP',
  'LINBO_WS_HEARTBEAT_MS',
  'LINBO_WS_MAX_BUFFERED_BYTES',
  'LINBO_WS_RATE_PER_SOCKET',
  'LINBO_WS_RATE_PER_IP',
  'LINBO_MAX_UPLOAD_BYTES',
  'LINBO_SUBMISSION_MAX_BYTES',
  'LINBO_CLIP_MAX_SECONDS',
  'LINBO_SUBMISSION_MAX_SECONDS',
  'LINBO_SUBMISSIONS_PER_HOUR',
  'LINBO_SUBMISSIONS_PER_HOUR_PER_IP',
  'LINBO_UPLOAD_EXPIRE_HOURS',
  'LINBO_CACHE_DIR', // read by scripts/node-runtime.mjs
]);

const S3_REQUIRED = ['S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'];
const S3_KEYS = new Set([...S3_REQUIRED, 'S3_REGION', 'S3_PUBLIC_URL', 'S3_FORCE_PATH_STYLE']);

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function integer(env: NodeJS.ProcessEnv, key: string, fallback: number, min: number, max: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${key} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return n;
}

function flag(env: NodeJS.ProcessEnv, key: string, fallback: boolean): boolean {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${key} must be true or false, got "${raw}"`);
}

function httpUrl(key: string, raw: string): string {
  try {
    const url = new URL(raw);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http(s)');
    return url.href.replace(/\/+$/, '');
  } catch {
    throw new ConfigError(`${key} must be an absolute http(s) URL, got "${raw}"`);
  }
}

function rtcPorts(env: NodeJS.ProcessEnv): Config['rtcPorts'] {
  const min = integer(env, 'LINBO_RTC_MIN_PORT', 40000, 1024, 65535);
  const max = integer(env, 'LINBO_RTC_MAX_PORT', 40999, 1024, 65535);
  if (min > max) throw new ConfigError(`LINBO_RTC_MIN_PORT (${min}) must not be above LINBO_RTC_MAX_PORT (${max})`);
  return Object.freeze({ min, max });
}

function realtimeLimits(env: NodeJS.ProcessEnv): RealtimeLimits {
  return Object.freeze({
    maxFrameBytes: integer(env, 'LINBO_WS_MAX_FRAME_BYTES', 4096, 512, 1024 * 1024),
    maxSocketsPerIp: integer(env, 'LINBO_WS_MAX_PER_IP', 200, 1, 100_000),
    heartbeatMs: integer(env, 'LINBO_WS_HEARTBEAT_MS', 30_000, 200, 600_000),
    maxBufferedBytes: integer(env, 'LINBO_WS_MAX_BUFFERED_BYTES', 512 * 1024, 16 * 1024, 64 * 1024 * 1024),
    messagesPerSecond: integer(env, 'LINBO_WS_RATE_PER_SOCKET', 5, 1, 10_000),
    ipMessagesPerSecond: integer(env, 'LINBO_WS_RATE_PER_IP', 200, 1, 1_000_000),
  });
}

const GIB = 1024 ** 3;

function uploadLimits(env: NodeJS.ProcessEnv): UploadLimits {
  return Object.freeze({
    maxBytes: integer(env, 'LINBO_MAX_UPLOAD_BYTES', 4 * GIB, 1024 * 1024, 1024 * GIB),
    submissionMaxBytes: integer(env, 'LINBO_SUBMISSION_MAX_BYTES', 512 * 1024 * 1024, 1024 * 1024, 1024 * GIB),
    clipMaxSeconds: integer(env, 'LINBO_CLIP_MAX_SECONDS', 4 * 3600, 1, 7 * 24 * 3600),
    submissionMaxSeconds: integer(env, 'LINBO_SUBMISSION_MAX_SECONDS', 180, 1, 7 * 24 * 3600),
    submissionsPerHour: integer(env, 'LINBO_SUBMISSIONS_PER_HOUR', 5, 1, 100_000),
    submissionsPerHourPerIp: integer(env, 'LINBO_SUBMISSIONS_PER_HOUR_PER_IP', 30, 1, 1_000_000),
    expireHours: integer(env, 'LINBO_UPLOAD_EXPIRE_HOURS', 24, 1, 24 * 30),
  });
}

// A CSP source expression (CSP 3 §2.3.1): *, 'self', 'none', a scheme, or a host with optional scheme, port and path.
const FRAME_SOURCE = /^(\*|'self'|'none'|[a-z][a-z0-9+.-]*:|([a-z][a-z0-9+.-]*:\/\/)?(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*(:(\d+|\*))?(\/[^\s;,]*)?)$/i;

/** Sources for the embed's `frame-ancestors`; anything else could smuggle another directive into the header. */
function frameAncestors(env: NodeJS.ProcessEnv): string {
  const raw = (env.LINBO_EMBED_FRAME_ANCESTORS ?? '').trim();
  if (!raw) return '*';
  const sources = raw.split(/\s+/);
  const bad = sources.find((source) => !FRAME_SOURCE.test(source));
  if (bad !== undefined || (sources.includes("'none'") && sources.length > 1)) {
    throw new ConfigError(`LINBO_EMBED_FRAME_ANCESTORS must be CSP frame-ancestors sources separated by spaces (e.g. "https://a.example https://*.b.example"), got "${raw}"`);
  }
  return sources.join(' ');
}

/** All or nothing: half an S3 configuration would silently keep media on local disk. */
function s3Config(env: NodeJS.ProcessEnv): S3Config | undefined {
  const given = [...S3_KEYS].filter((key) => env[key]);
  if (given.length === 0) return undefined;
  const missing = S3_REQUIRED.filter((key) => !env[key]);
  if (missing.length > 0) {
    throw new ConfigError(`S3 storage also needs ${missing.join(', ')} (set: ${given.join(', ')}); unset every S3_ variable to keep media in the data dir`);
  }
  const endpoint = httpUrl('S3_ENDPOINT', env.S3_ENDPOINT!);
  const bucket = env.S3_BUCKET!;
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw new ConfigError(`S3_BUCKET must be a bucket name (3–63 lower-case letters, digits, dots, hyphens), got "${bucket}"`);
  }
  const forcePathStyle = flag(env, 'S3_FORCE_PATH_STYLE', true);
  const bucketUrl = new URL(endpoint);
  if (forcePathStyle) bucketUrl.pathname = `${bucketUrl.pathname.replace(/\/+$/, '')}/${bucket}`;
  else bucketUrl.hostname = `${bucket}.${bucketUrl.hostname}`;
  return Object.freeze({
    endpoint,
    region: env.S3_REGION || 'us-east-1',
    bucket,
    accessKeyId: env.S3_ACCESS_KEY_ID!,
    secretAccessKey: env.S3_SECRET_ACCESS_KEY!,
    publicUrl: httpUrl('S3_PUBLIC_URL', env.S3_PUBLIC_URL || bucketUrl.href),
    forcePathStyle,
  });
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  for (const key of Object.keys(env)) {
    if (key.startsWith('LINBO_') && !KNOWN_LINBO_KEYS.has(key)) {
      throw new ConfigError(`unknown setting ${key} (known: ${[...KNOWN_LINBO_KEYS].join(', ')})`);
    }
    if (key.startsWith('S3_') && !S3_KEYS.has(key)) {
      throw new ConfigError(`unknown setting ${key} (known: ${[...S3_KEYS].join(', ')})`);
    }
  }
  const port = integer(env, 'PORT', 8080, 0, 65535);
  const host = env.HOST || '0.0.0.0';
  const publicUrl = httpUrl('PUBLIC_URL', env.PUBLIC_URL || `http://localhost:${port}`);
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must be a postgres:// URL (leave it unset for the embedded PGlite)');
  }
  const redisUrl = env.REDIS_URL || undefined;
  if (redisUrl && !/^rediss?:\/\//.test(redisUrl)) {
    throw new ConfigError('REDIS_URL must be a redis:// or rediss:// URL (leave it unset for a single process)');
  }
  const timezone = env.LINBO_TIMEZONE || 'Asia/Shanghai';
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
  } catch {
    throw new ConfigError(`LINBO_TIMEZONE is not an IANA time zone: "${timezone}"`);
  }
  const logLevel = env.LOG_LEVEL || 'info';
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }
  const adminPassword = env.LINBO_ADMIN_PASSWORD || undefined;
  if (adminPassword !== undefined && adminPassword.length < 8) {
    throw new ConfigError('LINBO_ADMIN_PASSWORD must be at least 8 characters');
  }
  return Object.freeze({
    port,
    host,
    publicUrl,
    dataDir: resolve(cwd, env.LINBO_DATA_DIR || './data'),
    databaseUrl,
    redisUrl,
    adminPassword,
    timezone,
    logLevel,
    seriesHorizonWeeks: integer(env, 'LINBO_SERIES_HORIZON_WEEKS', 8, 1, 104),
    demo: flag(env, 'LINBO_DEMO', false),
    trustProxy: flag(env, 'LINBO_TRUST_PROXY', false),
    pagePollMs: integer(env, 'LINBO_PAGE_POLL_MS', 5000, 200, 600_000),
    embedFrameAncestors: frameAncestors(env),
    ingestGraceSeconds: integer(env, 'LINBO_INGEST_GRACE_SECONDS', 30, 1, 3600),
    s3: s3Config(env),
    rtcPorts: rtcPorts(env),
    realtime: realtimeLimits(env),
    uploads: uploadLimits(env),
  });
}
