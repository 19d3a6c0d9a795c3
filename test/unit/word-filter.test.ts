import t from 'tap';
import { cleanWordList, compact, WordFilter } from '../../server/realtime/word-filter.ts';

t.test('a Chinese word matches anywhere in a sentence, with no spaces around it', async (t) => {
  const filter = new WordFilter(['傻瓜']);
  t.equal(filter.match('你真是个傻瓜吧'), '傻瓜');
  t.equal(filter.match('你真是个好人'), null);
});

t.test('spaces, full-width spaces and zero-width characters inside the word do not hide it', async (t) => {
  const filter = new WordFilter(['傻瓜']);
  t.equal(filter.match('傻 瓜'), '傻瓜');
  t.equal(filter.match('傻\u3000瓜'), '傻瓜');
  t.equal(filter.match('傻\u200b瓜'), '傻瓜');
  t.equal(filter.match('傻\n\t瓜'), '傻瓜');
});

t.test('full-width Latin letters and digits match their half-width form, in any case', async (t) => {
  const filter = new WordFilter(['spam', 'QQ群123']);
  t.equal(filter.match('买 ＳＰＡＭ 吗'), 'spam');
  t.equal(filter.match('加ｑｑ群１２３'), 'QQ群123');
  t.equal(filter.match('Buy SPAM now'), 'spam');
});

t.test('a word in the list written in full-width matches the half-width text', async (t) => {
  t.equal(new WordFilter(['ＳＰＡＭ']).match('spam'), 'ＳＰＡＭ');
});

t.test('a Latin word matches whole words only, so a longer word containing it passes', async (t) => {
  const filter = new WordFilter(['ass']);
  t.equal(filter.match('the law class starts at nine'), null);
  t.equal(filter.match('you ass!'), 'ass');
  t.equal(filter.match('你这个ass'), 'ass', 'Chinese characters next to it are a word boundary');
});

t.test('a phrase with spaces matches however the text spaces it', async (t) => {
  const filter = new WordFilter(['free money']);
  t.equal(filter.match('get FREE   money here'), 'free money');
  t.equal(filter.match('getfreemoneyhere'), 'free money');
  t.equal(filter.match('money for free'), null);
});

t.test('characters that mean something in a regular expression are matched literally', async (t) => {
  const filter = new WordFilter(['a.b', '(x)']);
  t.equal(filter.match('axb'), null);
  t.equal(filter.match('这是a.b吗'), 'a.b');
  t.equal(filter.match('(x)'), '(x)');
});

t.test('an empty list and blank words refuse nothing', async (t) => {
  t.equal(new WordFilter([]).match('任何话'), null);
  t.equal(new WordFilter(['', '   ', '\u200b']).match('任何话'), null);
});

t.test('cleaning a list trims, drops blanks and keeps the first of words the filter sees as one', async (t) => {
  t.same(cleanWordList([' 傻瓜 ', '', 'Spam', 'ＳＰＡＭ', 'spam', '  ', '傻 瓜', '骗子']), ['傻瓜', 'Spam', '骗子']);
  t.equal(compact(' Ａ b\u3000Ｃ '), 'abc');
});
