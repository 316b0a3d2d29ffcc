// A minimal XLSX (SpreadsheetML) writer: just what bed2peak/sites.xlsx needs, no dependency.
//
// A sheet is a list of rows of numbers, text, booleans and nulls; a null is no cell at all.
// Numbers are stored as numbers, text in the shared-string table (XML-escaped, stripped of the
// control characters XML 1.0 forbids), booleans as `t="b"`. Every sheet has a frozen first row
// and column widths fitted to its content (numbers counted with 2 decimals, capped); optionally
// bold rows, a CellStyle per column (for its cells and its empty ones), an autofilter over the
// first row (with the hidden `_xlnm._FilterDatabase` name Excel keeps for it) and a tab colour.
// The package has the required parts ([Content_Types].xml, relationships, workbook, styles,
// shared strings, worksheets) and docProps/core.xml and app.xml, packed by ./zip.
//
// Speed: the cells are the bulk of the work (a run has 11 sheets of ~1000 rows × 16 columns), so
// a row's XML is built as one string from constant pieces prepared per column and copied into a
// growing buffer; nothing else is allocated per cell.

import { setImmediate } from 'timers/promises';
import { ZipWriter } from './zip';

export type Cell = string | number | boolean | null;
export type Row = Cell[];

/** Indices into cellXfs of the stylesheet. */
export const CellStyle = { default: 0, bold: 1, twoDecimals: 2 } as const;

export interface Sheet {
  /** Unique, ≤ 31 characters, none of []:*?/\ (not checked: the names are fixed). */
  name: string;
  rows: readonly Row[];
  /** Indices of the rows written bold. */
  bold: ReadonlySet<number>;
  /** CellStyle of each column (default where missing). */
  columnStyles?: readonly number[];
  /** An autofilter over the first row. */
  autoFilter?: boolean;
  /** ARGB, e.g. FF0072B2. */
  tabColor?: string;
}

export interface WorkbookOptions {
  /** Index of the sheet the workbook opens on. */
  activeTab: number;
  creator: string;
  created: Date;
}

/** Characters XML 1.0 forbids; a stray one (e.g. from a GTF) would make the file unreadable. */
// eslint-disable-next-line no-control-regex
const XML_ILLEGAL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;
const MAX_COLUMN_WIDTH = 40;
const MIN_COLUMN_WIDTH = 6;

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const NS_MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const NS_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const NS_PACKAGE_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';
const CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml';
const TWO_DECIMALS_FORMAT_ID = 164; // the first id free for custom formats
const XML_SPECIAL = /[&<>"]/g;
const XML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
};

/** Column width for content of at most `length` characters (numbers shown with 2 decimals). */
function fitWidth(length: number): number {
  return Math.min(MAX_COLUMN_WIDTH, Math.max(MIN_COLUMN_WIDTH, length + 2));
}

function xmlText(value: string): string {
  return value.replace(XML_ILLEGAL, '').replace(XML_SPECIAL, (ch) => XML_ENTITIES[ch]);
}

/** `A` … `Z`, `AA` … for the 0-based column `index`. */
function columnName(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) {
    name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  }
  return name;
}

/** The shared-string table: each distinct text once, cells refer to it by index. */
class SharedStrings {
  private readonly index = new Map<string, number>();
  private readonly items: string[] = [];
  private references = 0;

  ref(text: string): number {
    this.references++;
    let i = this.index.get(text);
    if (i === undefined) {
      i = this.items.length;
      this.index.set(text, i);
      this.items.push(`<si><t xml:space="preserve">${xmlText(text)}</t></si>`);
    }
    return i;
  }

  xml(): string {
    const { references, items } = this;
    return `${XML_HEAD}<sst xmlns="${NS_MAIN}" count="${references}" uniqueCount="${items.length}">${items.join('')}</sst>`;
  }
}

function colsXml(widths: readonly number[], styles: readonly number[]): string {
  const cols = widths.map((width, i) => {
    const style = styles[i] ? ` style="${styles[i]}"` : '';
    return `<col min="${i + 1}" max="${i + 1}" width="${width}" customWidth="1"${style}/>`;
  });
  return `<cols>${cols.join('')}</cols>`;
}

/**
 * The constant pieces of each column's `<c>` elements, around the row number and the value:
 * `<c r="B` 12 `" s="2"><v>` 3.5 `</v></c>`, for the cell styles `style(column)`.
 */
function cellTags(refs: readonly string[], style: (column: number) => number | undefined) {
  const attributes = refs.map((_, c) => (style(c) ? ` s="${style(c)}"` : ''));
  return {
    start: refs.map((ref) => `<c r="${ref}`),
    number: attributes.map((s) => `"${s}><v>`),
    boolean: attributes.map((s) => `"${s} t="b"><v>`),
    string: attributes.map((s) => `"${s} t="s"><v>`),
  };
}

/**
 * The worksheet part of `sheet`. Its rows are ASCII (text lives in the shared strings), so each is
 * built as one string and copied into a buffer at once: far cheaper than joining strings for
 * the whole sheet and encoding that.
 */
/** The <sheetData> rows of a sheet and the longest text of each column. */
interface SheetBody {
  sheet: Sheet;
  data: Buffer;
  lengths: number[];
}

/** Same rows, bold rows and column styles: the same <sheetData> (string refs are shared). */
function sameBody(a: Sheet, b: Sheet): boolean {
  if (a.rows.length !== b.rows.length || a.bold.size !== b.bold.size) return false;
  for (const r of a.bold) if (!b.bold.has(r)) return false;
  const sa = a.columnStyles ?? [];
  const sb = b.columnStyles ?? [];
  if (sa.length !== sb.length || sa.some((x, i) => x !== sb[i])) return false;
  for (let r = 0; r < a.rows.length; r++) {
    const x = a.rows[r];
    const y = b.rows[r];
    if (x.length !== y.length) return false;
    for (let c = 0; c < x.length; c++) if (x[c] !== y[c]) return false;
  }
  return true;
}

/**
 * The sheet's XML. `previous`: the body of the sheet before, reused when this one has the same
 * content (site tables of neighbouring merge distances often keep the same sites).
 */
function sheetXml(
  sheet: Sheet,
  selected: boolean,
  strings: SharedStrings,
  previous: SheetBody | null,
): { xml: Buffer; body: SheetBody } {
  const { rows } = sheet;
  const columns = rows.reduce((n, row) => Math.max(n, row.length), 1);
  const refs = Array.from({ length: columns }, (_, i) => columnName(i));
  const body =
    previous !== null && sameBody(previous.sheet, sheet)
      ? { ...previous, sheet }
      : sheetBody(sheet, refs, strings);
  const styles = sheet.columnStyles ?? [];
  const head = [
    `${XML_HEAD}<worksheet xmlns="${NS_MAIN}" xmlns:r="${NS_REL}">`,
    sheet.tabColor ? `<sheetPr><tabColor rgb="${sheet.tabColor}"/></sheetPr>` : '',
    `<dimension ref="A1:${refs[columns - 1]}${Math.max(1, rows.length)}"/>`,
    `<sheetViews><sheetView${selected ? ' tabSelected="1"' : ''} workbookViewId="0">`,
    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>',
    '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>',
    '<sheetFormatPr defaultRowHeight="15"/>',
    colsXml(body.lengths.map(fitWidth), styles),
    '<sheetData>',
  ];
  const tail = [
    '</sheetData>',
    sheet.autoFilter ? `<autoFilter ref="${filterRange(sheet)}"/>` : '',
    '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>',
    '</worksheet>',
  ];
  const xml = Buffer.concat([Buffer.from(head.join('')), body.data, Buffer.from(tail.join(''))]);
  return { xml, body };
}

function sheetBody(sheet: Sheet, refs: readonly string[], strings: SharedStrings): SheetBody {
  const { rows, bold } = sheet;
  const styles = sheet.columnStyles ?? [];
  const columns = refs.length;
  const lengths = new Array<number>(columns).fill(0);
  const plain = cellTags(refs, (c) => styles[c]);
  const boldTags = cellTags(refs, () => CellStyle.bold);
  const data = new AsciiBuffer(rows.length * columns * 32);
  for (let r = 0; r < rows.length; r++) {
    const cells = rows[r];
    const n = String(r + 1);
    const isBold = bold.has(r);
    const tags = isBold ? boldTags : plain;
    let xml = isBold ? `<row r="${n}" s="${CellStyle.bold}" customFormat="1">` : `<row r="${n}">`;
    for (let c = 0; c < cells.length; c++) {
      const value = cells[c];
      if (value === null) continue;
      let length: number;
      if (typeof value === 'number' && Number.isFinite(value)) {
        const text = String(value);
        length = Number.isInteger(value) ? text.length : value.toFixed(2).length;
        xml += tags.start[c] + n + tags.number[c] + text + '</v></c>';
      } else if (typeof value === 'boolean') {
        length = value ? 4 : 5;
        xml += tags.start[c] + n + tags.boolean[c] + (value ? '1' : '0') + '</v></c>';
      } else {
        const text = String(value);
        length = text.length;
        xml += tags.start[c] + n + tags.string[c] + strings.ref(text) + '</v></c>';
      }
      if (length > lengths[c]) lengths[c] = length;
    }
    data.write(xml + '</row>');
  }
  return { sheet, data: data.bytes(), lengths };
}

/** A growing buffer of ASCII text. */
class AsciiBuffer {
  private buffer: Buffer;
  private size = 0;

  constructor(capacity: number) {
    this.buffer = Buffer.allocUnsafe(Math.max(1024, capacity));
  }

  write(text: string): void {
    if (this.size + text.length > this.buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(2 * this.buffer.length, this.size + text.length));
      this.buffer.copy(grown, 0, 0, this.size);
      this.buffer = grown;
    }
    this.size += this.buffer.write(text, this.size, 'latin1');
  }

  bytes(): Buffer {
    return this.buffer.subarray(0, this.size);
  }
}

/** The header row of `sheet`, which its autofilter covers. */
function filterRange(sheet: Sheet, absolute = false): string {
  const last = columnName(Math.max(1, sheet.rows[0]?.length ?? 1) - 1);
  return absolute ? `$A$1:$${last}$1` : `A1:${last}1`;
}

function workbookXml(sheets: readonly Sheet[], activeTab: number): string {
  const entries = sheets.map(
    (s, i) => `<sheet name="${xmlText(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`,
  );
  const names = sheets.flatMap((s, i) =>
    s.autoFilter
      ? [
          `<definedName name="_xlnm._FilterDatabase" localSheetId="${i}" hidden="1">` +
            `'${xmlText(s.name.replace(/'/g, "''"))}'!${filterRange(s, true)}</definedName>`,
        ]
      : [],
  );
  return [
    `${XML_HEAD}<workbook xmlns="${NS_MAIN}" xmlns:r="${NS_REL}">`,
    '<bookViews><workbookView xWindow="0" yWindow="0" windowWidth="20000" windowHeight="12000"',
    ` firstSheet="0" activeTab="${activeTab}"/></bookViews>`,
    `<sheets>${entries.join('')}</sheets>`,
    names.length ? `<definedNames>${names.join('')}</definedNames>` : '',
    '</workbook>',
  ].join('');
}

const STYLES_XML = [
  `${XML_HEAD}<styleSheet xmlns="${NS_MAIN}">`,
  `<numFmts count="1"><numFmt numFmtId="${TWO_DECIMALS_FORMAT_ID}" formatCode="0.00"/></numFmts>`,
  '<fonts count="2">',
  '<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>',
  '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>',
  '</fonts>',
  '<fills count="2"><fill><patternFill patternType="none"/></fill>',
  '<fill><patternFill patternType="gray125"/></fill></fills>',
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>',
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>',
  '<cellXfs count="3">',
  '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>',
  '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>',
  `<xf numFmtId="${TWO_DECIMALS_FORMAT_ID}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>`,
  '</cellXfs>',
  '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>',
  '<dxfs count="0"/><tableStyles count="0"/>',
  '</styleSheet>',
].join('');

function relationships(targets: readonly [type: string, target: string][]): string {
  const rels = targets.map(
    ([type, target], i) => `<Relationship Id="rId${i + 1}" Type="${type}" Target="${target}"/>`,
  );
  return `${XML_HEAD}<Relationships xmlns="${NS_PACKAGE_REL}">${rels.join('')}</Relationships>`;
}

function contentTypes(sheetCount: number): string {
  const override = (part: string, type: string) =>
    `<Override PartName="${part}" ContentType="${type}"/>`;
  const sheets = Array.from({ length: sheetCount }, (_, i) =>
    override(`/xl/worksheets/sheet${i + 1}.xml`, `${CONTENT_TYPE}.worksheet+xml`),
  );
  return [
    `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`,
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>',
    '<Default Extension="xml" ContentType="application/xml"/>',
    override('/xl/workbook.xml', `${CONTENT_TYPE}.sheet.main+xml`),
    ...sheets,
    override('/xl/styles.xml', `${CONTENT_TYPE}.styles+xml`),
    override('/xl/sharedStrings.xml', `${CONTENT_TYPE}.sharedStrings+xml`),
    override('/docProps/core.xml', 'application/vnd.openxmlformats-package.core-properties+xml'),
    override(
      '/docProps/app.xml',
      'application/vnd.openxmlformats-officedocument.extended-properties+xml',
    ),
    '</Types>',
  ].join('');
}

function corePropertiesXml(creator: string, created: Date): string {
  const when = created.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return [
    `${XML_HEAD}<cp:coreProperties`,
    ' xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"',
    ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"',
    ' xmlns:dcmitype="http://purl.org/dc/dcmitype/"',
    ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
    `<dc:creator>${xmlText(creator)}</dc:creator>`,
    `<dcterms:created xsi:type="dcterms:W3CDTF">${when}</dcterms:created>`,
    `<dcterms:modified xsi:type="dcterms:W3CDTF">${when}</dcterms:modified>`,
    '</cp:coreProperties>',
  ].join('');
}

const APP_XML =
  `${XML_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">` +
  '<Application>qsLAM PCR Server</Application></Properties>';

/**
 * The parts of the workbook of `sheets` as ZIP entries. A generator, so that each sheet's XML is
 * made, packed and dropped before the next one is made.
 */
function* workbookParts(sheets: readonly Sheet[], options: WorkbookOptions) {
  const { activeTab, creator, created } = options;
  const sheetPath = (i: number) => `worksheets/sheet${i + 1}.xml`;
  yield { name: '[Content_Types].xml', data: contentTypes(sheets.length) };
  yield {
    name: '_rels/.rels',
    data: relationships([
      [`${NS_REL}/officeDocument`, 'xl/workbook.xml'],
      [`${NS_PACKAGE_REL}/metadata/core-properties`, 'docProps/core.xml'],
      [`${NS_REL}/extended-properties`, 'docProps/app.xml'],
    ]),
  };
  yield { name: 'docProps/core.xml', data: corePropertiesXml(creator, created) };
  yield { name: 'docProps/app.xml', data: APP_XML };
  yield { name: 'xl/workbook.xml', data: workbookXml(sheets, activeTab) };
  yield {
    name: 'xl/_rels/workbook.xml.rels',
    data: relationships([
      ...sheets.map((_, i): [string, string] => [`${NS_REL}/worksheet`, sheetPath(i)]),
      [`${NS_REL}/styles`, 'styles.xml'],
      [`${NS_REL}/sharedStrings`, 'sharedStrings.xml'],
    ]),
  };
  yield { name: 'xl/styles.xml', data: STYLES_XML };
  const strings = new SharedStrings();
  let previous: SheetBody | null = null;
  for (let i = 0; i < sheets.length; i++) {
    const { xml, body } = sheetXml(sheets[i], i === activeTab, strings, previous);
    previous = body;
    yield { name: `xl/${sheetPath(i)}`, data: xml };
  }
  yield { name: 'xl/sharedStrings.xml', data: strings.xml() };
}

/**
 * The XLSX file of `sheets`. Between its parts the event loop has its turn, so that work started
 * before (site_analysis renders the plots meanwhile) is not held up for the whole workbook.
 */
export async function workbookBytes(
  sheets: readonly Sheet[],
  options: WorkbookOptions,
): Promise<Buffer> {
  const archive = new ZipWriter(options.created);
  for (const part of workbookParts(sheets, options)) {
    archive.add(part);
    await setImmediate();
  }
  return archive.finish();
}
