// Known integration sites (an optional BED6 per run) and how many lie near a site.
//
// A 1-bp interval is a site at start+1 for `+` and end for `-` (the same base for both; BED is
// 0-based half-open); a longer interval counts as its whole span. A known site with strand `.`
// counts for both strands. A site counts the known sites whose span comes within d bp of its
// merged span [start+1, end] on the same strand. Per contig and strand the known sites are sorted
// by start; with the longest known span M, every candidate starts in [lo − d − M + 1, hi + d], so
// one binary search bounds the scan.

import * as fs from 'node:fs';
import * as readline from 'node:readline';
import { SiteInputError } from './errors';
import { Strand } from './types';

export interface KnownSite {
  chrom: string;
  /** 1-based inclusive span. */
  first: number;
  last: number;
  strand: Strand | '.';
}

interface StrandIndex {
  firsts: number[];
  lasts: number[];
  maxSpan: number;
}

export class KnownSiteIndex {
  private readonly index = new Map<string, StrandIndex>();
  readonly count: number;

  constructor(sites: readonly KnownSite[]) {
    this.count = sites.length;
    const groups = new Map<string, KnownSite[]>();
    for (const s of sites) {
      for (const strand of s.strand === '.' ? (['+', '-'] as const) : [s.strand]) {
        const key = `${s.chrom}\t${strand}`;
        const list = groups.get(key) ?? [];
        list.push(s);
        groups.set(key, list);
      }
    }
    for (const [key, list] of groups) {
      list.sort((a, b) => a.first - b.first);
      this.index.set(key, {
        firsts: list.map((s) => s.first),
        lasts: list.map((s) => s.last),
        maxSpan: Math.max(...list.map((s) => s.last - s.first + 1)),
      });
    }
  }

  /** Known sites within d bp of the 1-based span [first, last] on `strand`. */
  countNear(chrom: string, strand: Strand, first: number, last: number, d: number): number {
    const ix = this.index.get(`${chrom}\t${strand}`);
    if (ix === undefined) return 0;
    const lo = first - d;
    const hi = last + d;
    let n = 0;
    for (
      let i = firstAtLeast(ix.firsts, lo - ix.maxSpan + 1);
      i < ix.firsts.length && ix.firsts[i] <= hi;
      i++
    ) {
      if (ix.lasts[i] >= lo) n++;
    }
    return n;
  }
}

function firstAtLeast(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Parses one BED line (≥ 3 columns; strand from column 6, '.' when absent). */
export function parseKnownSite(line: string, file: string, lineNo: number): KnownSite {
  const cols = line.split('\t');
  if (cols.length < 3)
    throw new SiteInputError(file, 'expected at least 3 tab-separated BED columns', lineNo);
  const start = Number(cols[1]);
  const end = Number(cols[2]);
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end <= start) {
    throw new SiteInputError(file, `bad BED start/end '${cols[1]}' '${cols[2]}'`, lineNo);
  }
  const strand = cols.length >= 6 ? cols[5] : '.';
  if (strand !== '+' && strand !== '-' && strand !== '.') {
    throw new SiteInputError(file, `bad strand '${strand}' (expected +, - or .)`, lineNo);
  }
  return { chrom: cols[0], first: start + 1, last: end, strand };
}

export async function readKnownSites(file: string): Promise<KnownSite[]> {
  let input: fs.ReadStream;
  try {
    await fs.promises.access(file, fs.constants.R_OK);
    input = fs.createReadStream(file);
  } catch (err) {
    throw new SiteInputError(file, `cannot read: ${(err as Error).message}`);
  }
  const sites: KnownSite[] = [];
  let lineNo = 0;
  for await (const line of readline.createInterface({ input, crlfDelay: Infinity })) {
    lineNo++;
    if (line.trim() === '' || /^(#|track|browser)/.test(line)) continue;
    sites.push(parseKnownSite(line, file, lineNo));
  }
  return sites;
}
