// The runner with the real ffmpeg: how it ends, how it fails, and what it keeps of stderr.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { startFfmpeg } from '../../media/ffmpeg/runner.ts';
import { tempDir } from '../helpers/media.ts';
import { until } from '../helpers/until.ts';

/** An endless live-paced encode, the shape of a broadcast that runs until it is stopped. */
const ENDLESS = ['-re', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25', '-c:v', 'libx264', '-preset', 'ultrafast', '-f', 'null', '-'];

t.test('stop() ends a running ffmpeg with SIGTERM; calling it again returns the same exit', async (t) => {
  let reports = 0;
  const ffmpeg = startFfmpeg(ENDLESS, { onProgress: () => (reports += 1) });
  t.teardown(() => ffmpeg.stop());
  t.ok(ffmpeg.pid > 0);
  await until('ffmpeg reports progress', () => reports > 0);
  const first = ffmpeg.stop();
  const second = ffmpeg.stop();
  t.equal(first, second, 'one exit, however often stop() is called');
  const exit = await first;
  t.equal(exit.stopped, true);
  t.equal(exit.signal, null, 'ffmpeg finished its output and exited by itself');
  t.same(await ffmpeg.stop(), exit, 'stop() after the exit returns that exit');
});

t.test('an ffmpeg that does not end on SIGTERM is killed when the stop timeout runs out', async (t) => {
  // Opening a FIFO nobody writes to blocks in the kernel, where ffmpeg's SIGTERM handler cannot reach it.
  const fifo = join(tempDir(t, 'runner'), 'never.fifo');
  execFileSync('mkfifo', [fifo]);
  const ffmpeg = startFfmpeg(['-f', 'h264', '-i', fifo, '-f', 'null', '-'], { stopTimeoutMs: 300 });
  t.teardown(() => ffmpeg.stop());
  // SigCgt: the signals a process handles (proc(5)); SIGTERM is bit 14. Before that, SIGTERM would just kill it.
  const catchesSigterm = () => (BigInt(`0x${/^SigCgt:\s*(\w+)/m.exec(readFileSync(`/proc/${ffmpeg.pid}/status`, 'utf8'))![1]}`) >> 14n) & 1n;
  await until('ffmpeg has its SIGTERM handler', catchesSigterm);
  const exit = await ffmpeg.stop();
  t.equal(exit.signal, 'SIGKILL');
  t.equal(exit.stopped, true);
});

t.test('a failing ffmpeg exits non-zero on its own, with the reason in the stderr tail', async (t) => {
  const missing = join(tempDir(t, 'runner'), 'no-such-feed.mp4');
  const exit = await startFfmpeg(['-i', missing, '-f', 'null', '-']).exited;
  t.not(exit.code, 0);
  t.equal(exit.stopped, false, 'nobody asked it to stop: a failure');
  t.match(exit.stderrTail, /no-such-feed\.mp4: No such file or directory/);
});

t.test('the stderr tail keeps only the last lines', async (t) => {
  // showinfo writes a line per frame at info level; the later -loglevel wins over the runner's.
  const args = ['-loglevel', 'info', '-f', 'lavfi', '-i', 'testsrc=size=64x64:rate=10:duration=3', '-vf', 'showinfo', '-f', 'null', '-'];
  const ffmpeg = startFfmpeg(args, { tailLines: 5 });
  const exit = await ffmpeg.exited;
  t.equal(exit.code, 0);
  const lines = exit.stderrTail.split('\n');
  t.equal(lines.length, 5);
  t.equal(ffmpeg.stderrTail(), exit.stderrTail);
});

t.test('a binary that is not there is an error at start, not a silent exit later', async (t) => {
  t.throws(() => startFfmpeg(['-version'], { binary: '/nonexistent/ffmpeg' }), /could not be started/);
});
