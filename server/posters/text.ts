// Line breaking for poster text. SVG has no wrapping, so widths are estimated from Noto Sans CJK's
// metrics: ideographs and full-width forms are 1 em, Latin letters and digits about half of that.
// The estimates err wide, so a line never runs off the poster.

const WIDE_RANGES = '\\u1100-\\u115f\\u2e80-\\ua4cf\\uac00-\\ud7a3\\uf900-\\ufaff\\ufe30-\\ufe4f\\uff00-\\uff60\\uffe0-\\uffe6\\u{20000}-\\u{3fffd}';
const WIDE = new RegExp(`[${WIDE_RANGES}]`, 'u');
/** Breakable units: a CJK character alone, a run of other non-space characters (a Latin word), or spaces. */
const TOKEN = new RegExp(`\\s+|[${WIDE_RANGES}]|[^\\s${WIDE_RANGES}]+`, 'gu');

/** Punctuation a Chinese line must not start with (kinsoku): it stays on the line before. */
const NO_LINE_START = new Set('，。、；：！？）》」』】〉”’…—,.;:!?)]}%'.split(''));

function charWidth(ch: string): number {
  if (WIDE.test(ch)) return 1;
  if (ch === ' ') return 0.28;
  if (/[A-Z0-9]/.test(ch)) return 0.64;
  if (/[il.,:;'|!]/.test(ch)) return 0.3;
  return 0.56;
}

/** Width in em of `text` set in Noto Sans CJK. */
export const textWidth = (text: string): number => [...text].reduce((w, ch) => w + charWidth(ch), 0);

/** Splits a token too wide for any line into pieces that fit. */
function splitLong(token: string, maxEm: number): string[] {
  const pieces: string[] = [];
  let piece = '';
  for (const ch of token) {
    if (piece && textWidth(piece + ch) > maxEm) {
      pieces.push(piece);
      piece = '';
    }
    piece += ch;
  }
  return piece ? [...pieces, piece] : pieces;
}

export interface Wrapped {
  lines: string[];
  /** True when the text did not fit in `maxLines` and the last line ends with an ellipsis. */
  truncated: boolean;
}

/** Greedy line breaking into lines at most `maxEm` wide, ellipsised after `maxLines`. */
export function wrapText(text: string, maxEm: number, maxLines: number): Wrapped {
  const lines: string[] = [];
  let line = '';
  for (const token of (text.replace(/\s+/g, ' ').trim().match(TOKEN) ?? []).flatMap((t) => (textWidth(t) > maxEm ? splitLong(t, maxEm) : [t]))) {
    if (line && textWidth(line + token) > maxEm && !NO_LINE_START.has(token[0]!)) {
      lines.push(line.trimEnd());
      line = token.trimStart();
    } else {
      line += token;
    }
  }
  if (line.trim()) lines.push(line.trimEnd());
  if (lines.length <= maxLines) return { lines, truncated: false };
  const kept = lines.slice(0, maxLines);
  let last = kept[maxLines - 1]!;
  while (last && textWidth(last + '…') > maxEm) last = [...last].slice(0, -1).join('');
  kept[maxLines - 1] = last.trimEnd() + '…';
  return { lines: kept, truncated: true };
}

/** One line, ellipsised when it is wider than `maxEm`. */
export const fitLine = (text: string, maxEm: number): string => wrapText(text, maxEm, 1).lines[0] ?? '';

export const escapeXml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
