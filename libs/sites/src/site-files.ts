// The text outputs of site_analysis: bam2bed/fragments.bed, bed2peak/sites*.tsv and
// bed2peak/summary.json, and the atomic writer every output uses. Every file is written under a temporary name beside its final one and
// renamed when complete, so a reader never sees half a file.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { PositionSupport, fragmentUmis } from './position-table';
import { SITE_COLUMNS, SiteRow } from './types';

export const FRAGMENT_COLUMNS = [
  'chrom',
  'start',
  'end',
  'name',
  'score',
  'strand',
  'position',
  'breakpoint',
  'reads',
  'umis',
] as const;

/** A temporary name beside `file`, unique across the threads of this process. */
function tempName(file: string): string {
  const unique = `${process.pid}.${randomBytes(6).toString('hex')}`;
  return path.join(path.dirname(file), `.${path.basename(file)}.${unique}.tmp`);
}

/**
 * Writes `content` to `file` through a temporary file and a rename (every output of the engine:
 * texts, plots, the workbook). On failure the temporary file is removed and `file` is untouched.
 */
export async function writeFileAtomic(file: string, content: string | Buffer): Promise<void> {
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  const tmp = tempName(file);
  try {
    await fs.promises.writeFile(tmp, content);
    await fs.promises.rename(tmp, file);
  } catch (err) {
    await fs.promises.unlink(tmp).catch(() => undefined);
    throw err;
  }
}

/** Streams lines to a temporary file, renamed to `file` at the end. */
async function writeLinesAtomic(file: string, lines: Iterable<string>): Promise<void> {
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  const tmp = tempName(file);
  const out = fs.createWriteStream(tmp);
  const closed = once(out, 'close');
  let batch = '';
  for (const line of lines) {
    batch += line + '\n';
    if (batch.length >= 1 << 16) {
      if (!out.write(batch)) await once(out, 'drain');
      batch = '';
    }
  }
  out.end(batch);
  await closed;
  await fs.promises.rename(tmp, file);
}

/**
 * bam2bed/fragments.bed: one line per distinct fragment, BED6 (0-based half-open span from the
 * site to the breakpoint, name `{position}{strand}`, score = reads) then position, breakpoint,
 * reads and UMIs (empty without UMIs). Sorted by contig, strand, position, breakpoint.
 */
export async function writeFragmentsBed(
  file: string,
  positions: readonly PositionSupport[],
  refNames: readonly string[],
): Promise<void> {
  function* lines(): Generator<string> {
    yield '#' + FRAGMENT_COLUMNS.join('\t');
    for (const p of positions) {
      const chrom = refNames[p.refId];
      const breakpoints = [...p.fragments.keys()].sort((a, b) => a - b);
      for (const bp of breakpoints) {
        const f = p.fragments.get(bp)!;
        const umis = fragmentUmis(f);
        const lo = Math.min(p.position, bp);
        const hi = Math.max(p.position, bp);
        yield [
          chrom,
          lo - 1,
          hi,
          `${p.position}${p.strand}`,
          f.reads,
          p.strand,
          p.position,
          bp,
          f.reads,
          umis ?? '',
        ].join('\t');
      }
    }
  }
  await writeLinesAtomic(file, lines());
}

/** A number as written in the TSV: integers as they are, fractions with at most 4 decimals. */
export function formatNumber(x: number): string {
  if (Number.isInteger(x)) return String(x);
  return String(Math.round(x * 1e4) / 1e4);
}

function formatCell(value: SiteRow[keyof SiteRow]): string {
  if (value === null) return '';
  return typeof value === 'number' ? formatNumber(value) : value;
}

/** Whether two tables have the same rows, column by column. */
export function sameSiteRows(a: readonly SiteRow[], b: readonly SiteRow[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++)
    for (const c of SITE_COLUMNS) if (a[i][c] !== b[i][c]) return false;
  return true;
}

export function siteTsv(rows: readonly SiteRow[]): string {
  const lines = [SITE_COLUMNS.join('\t')];
  for (const row of rows) lines.push(SITE_COLUMNS.map((c) => formatCell(row[c])).join('\t'));
  return lines.join('\n') + '\n';
}
