import t from 'tap';
import { escapeXml, fitLine, textWidth, wrapText } from '../../server/posters/text.ts';

t.test('a long Chinese title wraps into lines no wider than asked, keeping every character', async (t) => {
  const title = '社区法律讲堂防范电信网络诈骗守护老年人的钱袋子';
  const { lines, truncated } = wrapText(title, 10, 5);
  t.equal(truncated, false);
  t.same(lines.map((l) => [...l].length), [10, 10, 3]);
  t.equal(lines.join(''), title);
});

t.test('Chinese closing punctuation never starts a line', async (t) => {
  const { lines } = wrapText('一二三四五六七八九十，再来', 10, 5);
  t.same(lines, ['一二三四五六七八九十，', '再来']);
});

t.test('English wraps between words, and mixed text breaks at a Chinese character', async (t) => {
  t.same(wrapText('Community law class for residents', 6, 5).lines, ['Community', 'law class', 'for', 'residents']);
  const mixed = wrapText('Linbo邻播直播间', 5, 5).lines;
  t.equal(mixed.join(''), 'Linbo邻播直播间');
  t.ok(mixed.every((l) => textWidth(l) <= 5), `every line fits: ${JSON.stringify(mixed)}`);
});

t.test('text beyond the last line ends in an ellipsis that still fits', async (t) => {
  const { lines, truncated } = wrapText('一二三四五六七八九十一二三四五六七八九十一二三', 10, 2);
  t.equal(truncated, true);
  t.equal(lines.length, 2);
  t.match(lines[1], /…$/);
  t.ok(textWidth(lines[1]!) <= 10);
  t.equal(fitLine('幸福街道红色直播间', 4), '幸福街…');
});

t.test('a word wider than a line is split rather than overflowing', async (t) => {
  const { lines } = wrapText('https://linbo.example/countdown/abcdef', 8, 10);
  t.ok(lines.length > 1);
  t.ok(lines.every((l) => textWidth(l) <= 8));
});

t.test('XML special characters are escaped', async (t) => {
  t.equal(escapeXml(`<b>"Tom" & 'Jerry'</b>`), '&lt;b&gt;&quot;Tom&quot; &amp; &apos;Jerry&apos;&lt;/b&gt;');
});
