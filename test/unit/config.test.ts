import t from 'tap';
import { ConfigError, loadConfig } from '../../server/config.ts';

t.test('with nothing set, the embedded defaults apply', async (t) => {
  const c = loadConfig({}, '/srv/linbo');
  t.equal(c.port, 8080);
  t.equal(c.dataDir, '/srv/linbo/data');
  t.equal(c.databaseUrl, undefined);
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
    { LINBO_TIMEZONE: 'Mars/Olympus' },
    { LOG_LEVEL: 'loud' },
    { LINBO_ADMIN_PASSWORD: 'short' },
    { LINBO_SERIES_HORIZON_WEEKS: '0' },
    { LINBO_DEMO: 'perhaps' },
  ];
  for (const env of cases) {
    const [key] = Object.keys(env);
    t.throws(() => loadConfig(env), new RegExp(key), `${key} is checked`);
    t.throws(() => loadConfig(env), ConfigError);
  }
});

t.test('PUBLIC_URL loses its trailing slash so links join cleanly', async (t) => {
  t.equal(loadConfig({ PUBLIC_URL: 'https://live.example.cn/' }).publicUrl, 'https://live.example.cn');
});
