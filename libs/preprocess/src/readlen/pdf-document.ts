// A minimal PDF 1.4 file writer: pages of vector content using the standard Helvetica and
// Symbol fonts, nothing else (no images, no compression, no embedded fonts).
//
// File layout (ISO 32000-1, section 7.5): header, numbered indirect objects, a cross-reference
// table giving the byte offset of every object, and a trailer pointing at the catalog and at the
// table. Objects are numbered in the order they are written:
//   1 catalog, 2 page tree, 3 Helvetica (F1), 4 Symbol (F2), 5 info,
//   then per page: the page object and its content stream.
// Everything is ASCII except the binary-marker comment on line 2, which tells transfer tools the
// file is binary. Offsets are byte counts, so the file is assembled as latin1 Buffers.
// Content streams stay uncompressed: a chart is a few kilobytes and stays greppable.

export interface PdfPage {
  width: number;
  height: number;
  /** Content stream operators (ASCII; strings inside must already be escaped). */
  content: string;
}

export interface PdfInfo {
  title?: string;
  producer?: string;
}

/** Resource names of the fonts every page can use. */
export const PDF_FONT_RESOURCES = { Helvetica: 'F1', Symbol: 'F2' } as const;

const HEADER = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
const FIRST_PAGE_OBJECT = 6;

/** A PDF literal string, e.g. (a\(b\)); bytes outside printable ASCII as octal escapes. */
export function pdfString(bytes: Iterable<number>): string {
  let out = '(';
  for (const byte of bytes) {
    if (byte === 0x28 || byte === 0x29 || byte === 0x5c) out += '\\' + String.fromCharCode(byte);
    else if (byte >= 0x20 && byte <= 0x7e) out += String.fromCharCode(byte);
    else out += '\\' + (byte & 0xff).toString(8).padStart(3, '0');
  }
  return out + ')';
}

/** Info-dictionary text: printable ASCII kept, anything else replaced by '?'. */
function asciiString(text: string): string {
  return pdfString(Array.from(text, (c) => (/^[\x20-\x7e]$/.test(c) ? c.charCodeAt(0) : 0x3f)));
}

function pageObjects(pages: PdfPage[]): string[] {
  const fonts = Object.entries(PDF_FONT_RESOURCES)
    .map(([, name], i) => `/${name} ${3 + i} 0 R`)
    .join(' ');
  return pages.flatMap((page, i) => {
    const contentsRef = FIRST_PAGE_OBJECT + 2 * i + 1;
    const length = Buffer.byteLength(page.content, 'latin1');
    return [
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${page.width} ${page.height}] ` +
        `/Resources << /Font << ${fonts} >> >> /Contents ${contentsRef} 0 R >>`,
      `<< /Length ${length} >>\nstream\n${page.content}\nendstream`,
    ];
  });
}

/** Object bodies in object-number order (object n is element n - 1). */
function documentObjects(pages: PdfPage[], info: PdfInfo): string[] {
  const kids = pages.map((_, i) => `${FIRST_PAGE_OBJECT + 2 * i} 0 R`).join(' ');
  const infoEntries = [
    info.title !== undefined ? `/Title ${asciiString(info.title)}` : '',
    info.producer !== undefined ? `/Producer ${asciiString(info.producer)}` : '',
  ].filter((entry) => entry !== '');
  return [
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [${kids}] /Count ${pages.length} >>`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Symbol >>',
    `<< ${infoEntries.join(' ')} >>`,
    ...pageObjects(pages),
  ];
}

/** Cross-reference entry: exactly 20 bytes, as the format requires. */
function xrefEntry(offset: number, generation: number, kind: 'n' | 'f'): string {
  return `${String(offset).padStart(10, '0')} ${String(generation).padStart(5, '0')} ${kind} \n`;
}

/** The complete PDF file. */
export function buildPdf(pages: PdfPage[], info: PdfInfo = {}): Buffer {
  if (pages.length === 0) throw new Error('a PDF needs at least one page');
  const parts: string[] = [HEADER];
  let offset = Buffer.byteLength(HEADER, 'latin1');
  const offsets: number[] = [];
  documentObjects(pages, info).forEach((body, i) => {
    const object = `${i + 1} 0 obj\n${body}\nendobj\n`;
    offsets.push(offset);
    parts.push(object);
    offset += Buffer.byteLength(object, 'latin1');
  });
  const size = offsets.length + 1;
  parts.push(
    `xref\n0 ${size}\n`,
    xrefEntry(0, 65535, 'f'),
    ...offsets.map((o) => xrefEntry(o, 0, 'n')),
    `trailer\n<< /Size ${size} /Root 1 0 R /Info 5 0 R >>\n`,
    `startxref\n${offset}\n%%EOF\n`,
  );
  return Buffer.from(parts.join(''), 'latin1');
}
