// bed2peak/sites.xlsx: the workbook the lab opens, written with exceljs's streaming writer.
//
// Sheets: `summary` first (the run's summary as key/value rows), then one sheet per merge distance
// named `d0` … `d10` in order of d. Sheet names stay exactly `d{d}` so that the lab's own macros
// and scripts can find them; the primary d's sheet (the run's merge_distance, = sites.tsv) is
// marked instead by a coloured tab, by being the sheet the workbook opens on, and by the
// summary's `primary_sheet` row. Site sheets have the columns of SITE_COLUMNS in order, a bold
// frozen header row with an autofilter, widths fitted to the content (capped), numbers stored as
// numbers and missing values (no UMIs, no annotation) as empty cells.
//
// Summary: nested objects are flattened into dotted keys (`filters.mapq.kept`), arrays of plain
// values are spread over the row, arrays of objects become a small table (a header row with the
// union of their keys, then one row per element) below their key.
//
// The file is written beside the target under a temporary name and renamed into place, so a
// reader never sees half a workbook and a failure leaves no file behind.

import ExcelJS from 'exceljs';
import { randomBytes } from 'crypto';
import { rename, unlink } from 'fs/promises';
import { basename, dirname, join } from 'path';
import { SITE_COLUMNS, SiteRow, SiteTable } from '../types';

type Cell = string | number | boolean | null;
type Row = Cell[];

const SUMMARY_SHEET = 'summary';
const PRIMARY_TAB_COLOR = 'FF0072B2';
const MAX_COLUMN_WIDTH = 40;
const MIN_COLUMN_WIDTH = 6;
const PERCENT_COLUMNS = new Set<keyof SiteRow>(['fragments_pct', 'reads_pct', 'umis_pct']);
/** Characters XML 1.0 forbids; a stray one (e.g. from a GTF) would make the file unreadable. */
// eslint-disable-next-line no-control-regex
const XML_ILLEGAL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

export function siteSheetName(d: number): string {
  return `d${d}`;
}

function cleanCell(value: Cell): Cell {
  return typeof value === 'string' ? value.replace(XML_ILLEGAL, '') : value;
}

function displayLength(value: Cell): number {
  if (value === null) return 0;
  if (typeof value === 'number' && !Number.isInteger(value)) return value.toFixed(2).length;
  return String(value).length;
}

function columnWidths(rows: readonly Row[]): number[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((value, i) => (widths[i] = Math.max(widths[i] ?? 0, displayLength(value))));
  }
  return widths.map((w) => Math.min(MAX_COLUMN_WIDTH, Math.max(MIN_COLUMN_WIDTH, w + 2)));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toCell(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  return JSON.stringify(value);
}

/** Rows of the summary sheet (after its header row); `bold` marks the table header rows. */
export function summaryRows(
  summary: Record<string, unknown>,
  prefix = '',
  out: { rows: Row[]; bold: Set<number> } = { rows: [], bold: new Set() },
): { rows: Row[]; bold: Set<number> } {
  for (const [name, value] of Object.entries(summary)) {
    const key = prefix ? `${prefix}.${name}` : name;
    if (isPlainObject(value)) {
      summaryRows(value, key, out);
    } else if (Array.isArray(value) && value.length > 0 && value.every(isPlainObject)) {
      const columns = [...new Set(value.flatMap((item) => Object.keys(item)))];
      out.rows.push([key]);
      out.bold.add(out.rows.length);
      out.rows.push([null, ...columns]);
      for (const item of value) out.rows.push([null, ...columns.map((c) => toCell(item[c]))]);
    } else if (Array.isArray(value)) {
      out.rows.push([key, ...value.map(toCell)]);
    } else {
      out.rows.push([key, toCell(value)]);
    }
  }
  return out;
}

function siteRowCells(row: SiteRow): Row {
  return SITE_COLUMNS.map((column) => row[column]);
}

type Workbook = ExcelJS.stream.xlsx.WorkbookWriter;

function addSheet(book: Workbook, name: string, rows: readonly Row[], tabColor?: string) {
  const sheet = book.addWorksheet(name, {
    views: [{ state: 'frozen', xSplit: 0, ySplit: 1, topLeftCell: 'A2', activeCell: 'A2' }],
    properties: tabColor ? { tabColor: { argb: tabColor } } : {},
  });
  sheet.columns = columnWidths(rows).map((width) => ({ width }));
  return sheet;
}

function writeRows(sheet: ExcelJS.Worksheet, rows: readonly Row[], bold: ReadonlySet<number>) {
  rows.forEach((cells, i) => {
    const row = sheet.addRow(cells.map(cleanCell));
    if (i === 0 || bold.has(i)) row.font = { bold: true };
    row.commit();
  });
}

function writeSiteSheet(book: Workbook, table: SiteTable): void {
  const rows: Row[] = [[...SITE_COLUMNS], ...table.rows.map(siteRowCells)];
  const sheet = addSheet(
    book,
    siteSheetName(table.d),
    rows,
    table.primary ? PRIMARY_TAB_COLOR : undefined,
  );
  SITE_COLUMNS.forEach((column, i) => {
    if (PERCENT_COLUMNS.has(column)) sheet.getColumn(i + 1).numFmt = '0.00';
  });
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: SITE_COLUMNS.length } };
  writeRows(sheet, rows, new Set());
  sheet.commit();
}

function writeSummarySheet(book: Workbook, summary: Record<string, unknown>, primary?: SiteTable) {
  const flat = summaryRows(summary);
  const header: Row = ['key', 'value'];
  const primaryRow: Row[] = primary ? [['primary_sheet', siteSheetName(primary.d)]] : [];
  const rows = [header, ...primaryRow, ...flat.rows];
  const bold = new Set([...flat.bold].map((i) => i + primaryRow.length));
  const sheet = addSheet(book, SUMMARY_SHEET, rows);
  writeRows(sheet, rows, bold);
  sheet.commit();
}

function checkTables(tables: readonly SiteTable[]): void {
  const seen = new Set<number>();
  for (const table of tables) {
    if (!Number.isInteger(table.d) || table.d < 0) {
      throw new RangeError(`merge distance must be an integer ≥ 0, got ${table.d}`);
    }
    if (seen.has(table.d)) throw new RangeError(`two site tables for d = ${table.d}`);
    seen.add(table.d);
  }
  if (tables.filter((t) => t.primary).length > 1) {
    throw new RangeError('more than one primary site table');
  }
}

/**
 * Writes `file` (atomically) with a summary sheet and one sheet per site table, ordered by d.
 */
export async function writeSitesWorkbook(
  file: string,
  tables: SiteTable[],
  summary: Record<string, unknown>,
): Promise<void> {
  checkTables(tables);
  const ordered = [...tables].sort((a, b) => a.d - b.d);
  const primaryIndex = ordered.findIndex((t) => t.primary);
  const temp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: temp, useStyles: true });
  book.creator = 'qsLAM PCR Server site_analysis';
  try {
    writeSummarySheet(book, summary, ordered[primaryIndex]);
    for (const table of ordered) writeSiteSheet(book, table);
    // The workbook opens on the primary table (sheet 0 is the summary).
    book.views = [
      {
        x: 0,
        y: 0,
        width: 20000,
        height: 12000,
        firstSheet: 0,
        activeTab: primaryIndex + 1,
        visibility: 'visible',
      },
    ];
    await book.commit();
    await rename(temp, file);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
}
