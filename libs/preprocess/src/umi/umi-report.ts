// Counts gathered while extracting, and the JSON report written at the end.
//
// Distinct UMIs are counted exactly in a Map keyed by the UMI string: a 10-base UMI has at most
// about a million values, so memory stays small whatever the number of reads. "With N" means the
// UMI holds any base other than A, C, G or T (in practice an N call); such UMIs are kept and
// reported so that the lab can see when the UMI cycles had poor quality.

import { UmiRead } from './umi-transform';
import { UmiPattern } from './umi-pattern';

export const DEFAULT_TOP_UMIS = 20;

/** The report file's content; the field names are the step's contract. */
export interface UmiReport {
  reads_processed: number;
  reads_written: number;
  too_short: number;
  umi_read: UmiRead;
  umi_pattern: string;
  umi_length: number;
  distinct_umis: number;
  umis_with_n: number;
  fraction_with_n: number;
  top_umis: { umi: string; count: number }[];
}

/** 1 for A, C, G, T in either case. */
const ACGT = (() => {
  const table = new Uint8Array(128);
  for (const c of 'ACGTacgt') table[c.charCodeAt(0)] = 1;
  return table;
})();

/** True when the UMI has a base other than A, C, G or T. */
export function hasAmbiguousBase(umi: string): boolean {
  for (let i = 0; i < umi.length; i++) {
    if (ACGT[umi.charCodeAt(i)] !== 1) return true;
  }
  return false;
}

/** Accumulates per-pair outcomes; `report()` builds the final JSON object. */
export class UmiTally {
  processed = 0;
  tooShort = 0;
  written = 0;
  private readonly counts = new Map<string, number>();

  addWritten(umi: string): void {
    this.written++;
    this.counts.set(umi, (this.counts.get(umi) ?? 0) + 1);
  }

  report(pattern: UmiPattern, read: UmiRead, top: number): UmiReport {
    // N-containing UMIs are counted once per distinct UMI here rather than per pair in the hot
    // loop; the per-pair total is the sum of their counts.
    let withN = 0;
    for (const [umi, count] of this.counts) if (hasAmbiguousBase(umi)) withN += count;
    return {
      reads_processed: this.processed,
      reads_written: this.written,
      too_short: this.tooShort,
      umi_read: read,
      umi_pattern: pattern.text,
      umi_length: pattern.umiLength,
      distinct_umis: this.counts.size,
      umis_with_n: withN,
      fraction_with_n: this.written === 0 ? 0 : withN / this.written,
      top_umis: topUmis(this.counts, top),
    };
  }
}

type UmiCount = { umi: string; count: number };

/** Ranking: higher count first, ties alphabetically, so the report is reproducible. */
function ranksBefore(a: UmiCount, b: UmiCount): boolean {
  return a.count > b.count || (a.count === b.count && a.umi < b.umi);
}

/**
 * The `top` most frequent UMIs. A bounded insertion list instead of sorting every distinct UMI:
 * real data can have millions of distinct (mostly error) UMIs, and almost all are rejected by
 * one comparison with the current last entry.
 */
export function topUmis(counts: Map<string, number>, top: number): UmiCount[] {
  const best: UmiCount[] = [];
  if (top <= 0) return best;
  for (const [umi, count] of counts) {
    const entry = { umi, count };
    if (best.length === top && !ranksBefore(entry, best[top - 1])) continue;
    let i = best.length === top ? top - 1 : best.length;
    while (i > 0 && ranksBefore(entry, best[i - 1])) {
      best[i] = best[i - 1];
      i--;
    }
    best[i] = entry;
  }
  return best;
}
