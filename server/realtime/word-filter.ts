// The word filter for questions and chat: a site-wide list of words and phrases staff keep
// (GET/PUT /api/moderation/words). Chinese has no spaces between words, so a term matches anywhere
// in the text, after both are normalised the same way: full-width forms folded to half-width (NFKC),
// case folded, and whitespace and invisible characters dropped, so "傻 瓜", "ＢＡＤ" or a zero-width
// space between characters do not slip past. A term made only of Latin letters and digits matches whole
// words instead, so that "ass" does not refuse "class".

const INVISIBLE = /[\s\u200b-\u200d\u2060\u00ad\ufeff]+/gu;
const LATIN_TERM = /^[a-z0-9]+$/;

/** NFKC, lower case, no whitespace or invisible characters. */
export function compact(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(INVISIBLE, '');
}

/** NFKC, lower case, every run of whitespace or invisible characters one space. */
function spaced(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(INVISIBLE, ' ');
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Trims, drops blanks and duplicates (as the filter sees them), keeps the first spelling. */
export function cleanWordList(words: readonly string[]): string[] {
  const seen = new Set<string>();
  const kept: string[] = [];
  for (const raw of words) {
    const word = raw.trim();
    const key = compact(word);
    if (key === '' || seen.has(key)) continue;
    seen.add(key);
    kept.push(word);
  }
  return kept;
}

export class WordFilter {
  readonly #substrings: { term: string; word: string }[] = [];
  readonly #wholeWords: { pattern: RegExp; word: string }[] = [];

  constructor(words: readonly string[]) {
    for (const word of words) {
      const term = compact(word);
      if (term === '') continue;
      const singleWord = compact(word) === spaced(word).trim();
      if (singleWord && LATIN_TERM.test(term)) this.#wholeWords.push({ pattern: new RegExp(`(?<![a-z0-9])${escapeRegExp(term)}(?![a-z0-9])`), word });
      else this.#substrings.push({ term, word });
    }
  }

  /** The configured word the text contains, or null when it passes. */
  match(text: string): string | null {
    const flat = compact(text);
    for (const { term, word } of this.#substrings) if (flat.includes(term)) return word;
    if (this.#wholeWords.length > 0) {
      const words = spaced(text);
      for (const { pattern, word } of this.#wholeWords) if (pattern.test(words)) return word;
    }
    return null;
  }
}
