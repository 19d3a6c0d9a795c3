// The process `npm start` runs: embedded database, demo broadcast, console and countdown page served.
import t from 'tap';
import { randomPort, startLinbo, tempDataDir } from '../helpers/linbo-process.ts';
import { until } from '../helpers/until.ts';

t.test('a first start migrates PGlite, prints a generated admin password once and a demo countdown that serves', async (t) => {
  const port = randomPort();
  const first = startLinbo(t, { dataDir: tempDataDir(t), port, media: false });
  await until('the process prints the demo countdown URL', () => /Demo broadcast countdown: (\S+)/.exec(first.output()), 60_000, 100);
  const password = /Admin login: admin \/ (\S+)/.exec(first.output())?.[1];
  t.ok(password && password.length >= 12, 'a generated password is printed');
  const countdown = /Demo broadcast countdown: (\S+)/.exec(first.output())![1];
  t.match(countdown, new RegExp(`^http://localhost:${port}/countdown/`));
  const page = await fetch(countdown.replace('localhost', '127.0.0.1'));
  t.equal(page.status, 200);
  t.match(await page.text(), /<html lang="zh-CN"/);
  const consolePage = await fetch(`http://127.0.0.1:${port}/console`);
  t.equal(consolePage.status, 200);
  const login = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password }),
  });
  t.equal(login.status, 200, 'the printed password logs in');
});

t.test('an unknown LINBO_ setting stops the process with a message naming it', async (t) => {
  const proc = startLinbo(t, { dataDir: tempDataDir(t), port: randomPort(), media: false, env: { LINBO_TIMEZON: 'Asia/Shanghai' } });
  t.equal(await proc.exited, 2);
  t.match(proc.output(), /LINBO_TIMEZON/);
});
