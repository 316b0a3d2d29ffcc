/**
 * Checks an uploaded known-sites BED file (optional `known_sites` field of `POST /runs`) before
 * the run exists: plain text (not gzip, not binary), at least chrom, start and end per line,
 * 0-based start < end, strand `+`, `-` or `.` when a sixth column is present; `track`,
 * `browser` and `#` lines are allowed. site_analysis counts, for every site, the known sites
 * within d bp on the same strand. A problem becomes a 422 naming the line.
 */
import * as fs from 'node:fs';
import * as readline from 'node:readline';
import { UnprocessableUploadError } from '@qslam/common';

export const KNOWN_SITES_FIELD = 'known_sites';
/** Where the file is kept in the run's workspace. */
export const KNOWN_SITES_PATH = 'rawdata/known_sites.bed';
export const KNOWN_SITES_MAX_BYTES = 64 * 1024 * 1024;

const INTEGER = /^\d+$/;
const CHROM = /^[\x21-\x7e]+$/;

/** One problem with one line, or null when the line is acceptable (or a header/comment). */
export function checkBedLine(line: string): string | null {
  if (line.trim() === '' || /^(#|track\b|browser\b)/.test(line)) return null;
  const cols = line.replace(/\r$/, '').split('\t');
  if (cols.length < 3) return 'expected at least 3 tab-separated columns (chrom, start, end)';
  const [chrom, start, end] = cols;
  if (!CHROM.test(chrom)) return `invalid chromosome name ${JSON.stringify(chrom)}`;
  if (!INTEGER.test(start) || !INTEGER.test(end)) return 'start and end must be whole numbers';
  if (Number(start) >= Number(end)) return `start (${start}) must be < end (${end}), 0-based`;
  if (cols.length >= 6 && !['+', '-', '.'].includes(cols[5])) {
    return `strand (column 6) must be +, - or . (got ${JSON.stringify(cols[5])})`;
  }
  return null;
}

/** Validates the whole file; returns the number of intervals. */
export async function checkKnownSitesBed(file: string): Promise<number> {
  const fail = (line: number, reason: string) =>
    new UnprocessableUploadError(`known_sites line ${line}: ${reason}`, {
      file: KNOWN_SITES_FIELD,
      line,
      reason,
    });
  const head = Buffer.alloc(2);
  const fd = await fs.promises.open(file, 'r');
  try {
    await fd.read(head, 0, 2, 0);
  } finally {
    await fd.close();
  }
  if (head[0] === 0x1f && head[1] === 0x8b) throw fail(1, 'send the BED file uncompressed');
  const lines = readline.createInterface({ input: fs.createReadStream(file, 'utf8') });
  let n = 0;
  let intervals = 0;
  for await (const line of lines) {
    n++;
    if (line.includes('\u0000') || line.includes('\ufffd')) throw fail(n, 'not a text file');
    const problem = checkBedLine(line);
    if (problem) throw fail(n, problem);
    if (line.trim() !== '' && !/^(#|track\b|browser\b)/.test(line)) intervals++;
  }
  return intervals;
}
