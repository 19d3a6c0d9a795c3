import t from 'tap';
import { ConfigError, loadConfig } from '../../server/config.ts';

t.test('with nothing set, the embedded defaults apply', async (t) => {
  const c = loadConfig({}, '/srv/linbo');
  t.equal(c.port, 8080);
  t.equal(c.dataDir, '/srv/linbo/data');
  t.equal(c.databaseUrl, undefined);
  t.equal(c.redisUrl, undefined, 'one process serves the realtime channel');
  t.equal(c.timezone, 'Asia/Shanghai');
  t.equal(c.publicUrl, 'http://localhost:8080');
  t.equal(c.seriesHorizonWeeks, 8);
  t.ok(Object.isFrozen(c), 'the config cannot be changed after parsing');
});

t.test('an unknown LINBO_ key is an error that names it', async (t) => {
  t.throws(() => loadConfig({ LINBO_TIMEZON: 'Asia/Shanghai' }), { name: 'ConfigError', message: /LINBO_TIMEZON/ });
});

t.test('bad values are refused with the key and the value in the message', async (t) => {
  const cases: Record<string, string>[] = [
    { PORT: 'eighty' },
    { PUBLIC_URL: 'ftp://example.com' },
    { DATABASE_URL: 'mysql://localhost/x' },
    { REDIS_URL: 'http://127.0.0.1:6379' },
    { LINBO_TIMEZONE: 'Mars/Olympus' },
    { LOG_LEVEL: 'loud' },
    { LINBO_ADMIN_PASSWORD: 'short' },
    { LINBO_SERIES_HORIZON_WEEKS: '0' },
    { LINBO_DEMO: 'perhaps' },
    { LINBO_RTC_MIN_PORT: '80' },
    { LINBO_RTC_MAX_PORT: '70000' },
  ];
  for (const env of cases) {
    const [key] = Object.keys(env);
    t.throws(() => loadConfig(env), new RegExp(key), `${key} is checked`);
    t.throws(() => loadConfig(env), ConfigError);
  }
});

t.test('publishers\' media arrives on 40000–40999 unless another range is set, and an upside-down range is refused', async (t) => {
  t.same(loadConfig({}).rtcPorts, { min: 40000, max: 40999 });
  t.same(loadConfig({ LINBO_RTC_MIN_PORT: '50000', LINBO_RTC_MAX_PORT: '50099' }).rtcPorts, { min: 50000, max: 50099 });
  t.throws(() => loadConfig({ LINBO_RTC_MIN_PORT: '41000' }), { name: 'ConfigError', message: /LINBO_RTC_MIN_PORT \(41000\) must not be above LINBO_RTC_MAX_PORT \(40999\)/ });
});

t.test('PUBLIC_URL loses its trailing slash so links join cleanly', async (t) => {
  t.equal(loadConfig({ PUBLIC_URL: 'https://live.example.cn/' }).publicUrl, 'https://live.example.cn');
});

const S3_ENV = {
  S3_ENDPOINT: 'https://oss.example.cn/',
  S3_BUCKET: 'linbo-media',
  S3_ACCESS_KEY_ID: 'AKID',
  S3_SECRET_ACCESS_KEY: 'secret',
};

t.test('without S3_ settings media stays in the data dir', async (t) => {
  t.equal(loadConfig({}).s3, undefined);
});

t.test('S3 settings default to path-style requests, any region, and players reading the bucket itself', async (t) => {
  const { s3 } = loadConfig(S3_ENV);
  t.same(s3, {
    endpoint: 'https://oss.example.cn',
    region: 'us-east-1',
    bucket: 'linbo-media',
    accessKeyId: 'AKID',
    secretAccessKey: 'secret',
    publicUrl: 'https://oss.example.cn/linbo-media',
    forcePathStyle: true,
  });
  t.ok(Object.isFrozen(s3), 'the S3 settings cannot be changed after parsing either');
});

t.test('a CDN address, a region and virtual-hosted requests can be chosen', async (t) => {
  const cdn = loadConfig({ ...S3_ENV, S3_REGION: 'cn-north-1', S3_PUBLIC_URL: 'https://cdn.example.cn/live/' }).s3!;
  t.equal(cdn.region, 'cn-north-1');
  t.equal(cdn.publicUrl, 'https://cdn.example.cn/live');
  const hosted = loadConfig({ ...S3_ENV, S3_FORCE_PATH_STYLE: 'false' }).s3!;
  t.equal(hosted.forcePathStyle, false);
  t.equal(hosted.publicUrl, 'https://linbo-media.oss.example.cn', 'the default public URL follows the request style');
});

t.test('a partial S3 configuration is refused, naming what is missing', async (t) => {
  const { S3_SECRET_ACCESS_KEY: _secret, ...withoutSecret } = S3_ENV;
  t.throws(() => loadConfig(withoutSecret), { name: 'ConfigError', message: /S3_SECRET_ACCESS_KEY/ });
  t.throws(() => loadConfig({ S3_PUBLIC_URL: 'https://cdn.example.cn' }), { name: 'ConfigError', message: /S3_ENDPOINT, S3_BUCKET, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY/ });
});

t.test('bad S3 values and unknown S3_ keys are refused with the key in the message', async (t) => {
  const cases: Record<string, string>[] = [
    { S3_ENDPOINT: 'oss.example.cn' },
    { S3_BUCKET: 'Linbo_Media' },
    { S3_PUBLIC_URL: 'ftp://cdn.example.cn' },
    { S3_FORCE_PATH_STYLE: 'sometimes' },
    { S3_SECRET_KEY: 'x' },
  ];
  for (const env of cases) {
    const [key] = Object.keys(env);
    t.throws(() => loadConfig({ ...S3_ENV, ...env }), { name: 'ConfigError', message: new RegExp(key) }, `${key} is checked`);
  }
});
