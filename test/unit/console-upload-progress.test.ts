// The numbers under the console's upload bar, and the reason shown when the server refuses a file.
import t from 'tap';
import { RateMeter, durationParts, megabytes, percent, secondsLeft } from '../../console/clips/progress.ts';
import { refusalOf } from '../../console/clips/refusal.ts';

t.test('the speed is measured over the last five seconds, so a connection that slows down shows it at once', async (t) => {
  const meter = new RateMeter();
  for (let s = 0; s <= 10; s++) meter.add(s * 1000, s * 2_000_000); // 2 MB/s for ten seconds
  t.equal(meter.speed(), 2_000_000);
  for (let s = 11; s <= 16; s++) meter.add(s * 1000, 20_000_000 + (s - 10) * 500_000); // then 0.5 MB/s
  t.equal(meter.speed(), 500_000, 'the fast seconds have left the window');
});

t.test('there is no speed before almost a second has passed, nor just after a pause', async (t) => {
  const meter = new RateMeter();
  meter.add(0, 0);
  meter.add(300, 1_000_000);
  t.equal(meter.speed(), null, 'one burst of XHR progress is not a speed');
  meter.add(1000, 2_000_000);
  t.equal(meter.speed(), 2_000_000);
  meter.reset();
  meter.add(60_000, 2_000_000);
  t.equal(meter.speed(), null, 'the minute spent paused is not averaged in');
});

t.test('time left rounds up at the current speed and is unknown without one', async (t) => {
  t.equal(secondsLeft(5_000_001, 1_000_000), 6);
  t.equal(secondsLeft(0, 1_000_000), 0);
  t.equal(secondsLeft(1000, null), null);
  t.equal(secondsLeft(1000, 0), null, 'a stalled upload has no estimate rather than an infinite one');
});

t.test('percent reaches 100 only when every byte is sent', async (t) => {
  t.equal(percent(996, 1000), 99);
  t.equal(percent(1000, 1000), 100);
  t.equal(percent(0, 0), 0);
  t.equal(megabytes(12_345_678), '12.3');
  t.same(durationParts(3725), { h: 1, m: 2, s: 5 });
  t.same(durationParts(65.4), { h: 0, m: 1, s: 5 });
});

t.test('a refusal carries the server\'s code and its words in both languages', async (t) => {
  const body = JSON.stringify({ type: 'about:blank', title: 'Not a video', status: 422, code: 'CLIP_NOT_VIDEO', detail: 'no video stream', messages: { 'zh-CN': '这个文件不是视频。', en: 'This file is not a video.' } });
  t.same(refusalOf(422, body), { status: 422, code: 'CLIP_NOT_VIDEO', messages: { 'zh-CN': '这个文件不是视频。', en: 'This file is not a video.' }, detail: 'no video stream' });
  const nested = JSON.stringify({ code: 'CLIP_TOO_LONG', error: { code: 'CLIP_TOO_LONG', message: { 'zh-CN': '太长了', en: 'Too long' } } });
  t.same(refusalOf(422, nested)?.messages, { 'zh-CN': '太长了', en: 'Too long' }, 'a ClipError inside the problem is read too');
  t.same(refusalOf(413, JSON.stringify({ code: 'UPLOAD_TOO_LARGE', title: 'Too large' })), { status: 413, code: 'UPLOAD_TOO_LARGE', messages: null, detail: 'Too large' });
  t.equal(refusalOf(502, '<html>Bad gateway</html>'), null, 'a proxy\'s page is no refusal');
});
