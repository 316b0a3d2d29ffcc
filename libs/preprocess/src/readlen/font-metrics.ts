// Text widths and byte encoding for the PDF standard fonts the charts use.
//
// A PDF viewer has Helvetica and Symbol built in, so nothing is embedded, but the writer must
// know glyph widths to centre or right-align text itself (SVG's text-anchor does this in the
// browser). The widths are those of Adobe's Helvetica AFM (1/1000 em) for printable ASCII in
// WinAnsiEncoding. Characters outside ASCII are mapped to a WinAnsi byte where one exists; '≥'
// and '≤' are taken from the Symbol font, since no Latin encoding has them.

/** Helvetica advance widths for character codes 32..126 (AFM units of 1/1000 em). */
const HELVETICA_ASCII = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
  556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
  611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
  667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500,
  222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];

/** Non-ASCII characters available in WinAnsiEncoding: [byte, Helvetica width]. */
const HELVETICA_EXTRA: Record<string, [number, number]> = {
  '–': [0x96, 556],
  '—': [0x97, 1000],
  '·': [0xb7, 278],
  '×': [0xd7, 584],
  µ: [0xb5, 556],
  '±': [0xb1, 584],
};

/** Characters drawn from the Symbol font: [byte, width]. */
const SYMBOL_CHARS: Record<string, [number, number]> = {
  '≥': [0xb3, 549],
  '≤': [0xa3, 549],
};

export type PdfFont = 'Helvetica' | 'Symbol';

/** A piece of text in one font, already encoded as bytes of that font's encoding. */
export interface FontRun {
  font: PdfFont;
  bytes: number[];
  /** Width in 1/1000 em. */
  width: number;
}

const UNKNOWN: [number, number] = [0x3f, 556]; // '?'

function helveticaGlyph(char: string): [number, number] {
  const code = char.charCodeAt(0);
  if (char.length === 1 && code >= 32 && code <= 126) return [code, HELVETICA_ASCII[code - 32]];
  return HELVETICA_EXTRA[char] ?? UNKNOWN;
}

/** Splits text into runs of one font each; characters no font has become '?'. */
export function fontRuns(text: string): FontRun[] {
  const runs: FontRun[] = [];
  for (const char of text) {
    const symbol = SYMBOL_CHARS[char];
    const font: PdfFont = symbol ? 'Symbol' : 'Helvetica';
    const [byte, width] = symbol ?? helveticaGlyph(char);
    const last = runs[runs.length - 1];
    if (last?.font === font) {
      last.bytes.push(byte);
      last.width += width;
    } else {
      runs.push({ font, bytes: [byte], width });
    }
  }
  return runs;
}

/** Width of `text` in points at font size `size`. */
export function textWidth(text: string, size: number): number {
  return (fontRuns(text).reduce((sum, run) => sum + run.width, 0) * size) / 1000;
}
