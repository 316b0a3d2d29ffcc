// The per-record work of the BAM scan: every R1 record is classified (r1-filter.ts) and the kept
// ones are aggregated by position (position-table.ts); a scan has one accumulator, a parallel scan
// one per part, merged at the end (bam-scan.ts, bam-scan-parallel.ts).
//
// The LTR remainder: a vector-host junction read begins with the LTR bases left after the primer
// (TAGCA). A mispriming pair that cutadapt trimmed at a primer-like genomic sequence (r1_error_rate
// 0.3 lets 20-base partial matches with 6 errors through) begins with genome instead, and every
// such pair over the same primer-like locus lands on the same "site": a false site of a few
// fragments. When at least REMAINDER_LIBRARY_SHARE of the otherwise kept R1s begin with the
// remainder, the library carries it and the others are dropped (no_ltr_remainder). Below that
// share the reads do not carry it (r1_seq already includes it, another vector): nothing is
// dropped, the remainder only places the junction, and the summary says so.

import { BamReadOptions, BamRecord, BamReference } from './bam-reader';
import { PositionTable, PositionTableData } from './position-table';
import { R1FilterParams, R1Fragment, R1Outcome, R1_OUTCOMES, classifyR1 } from './r1-filter';

/** Share of kept R1s beginning with the LTR remainder above which the others are dropped. */
export const REMAINDER_LIBRARY_SHARE = 0.9;

export interface ScanCounts {
  /** Records in the stream (R1 and R2; only R1 with the samtools reader). */
  records: number;
  r1_records: number;
  outcomes: Record<R1Outcome, number>;
  /** Kept reads without a UMI in their name (when UMIs were expected). */
  kept_without_umi: number;
  /** Distinct (contig, strand, position) on vector contigs. */
  vector_sites: number;
  /** Whether reads without the LTR remainder were dropped (the library carries it). */
  ltr_remainder_required: boolean;
  /** Share of the otherwise kept R1s that begin with the remainder (null: none configured). */
  ltr_remainder_share: number | null;
}

export interface ScanResult {
  references: BamReference[];
  counts: ScanCounts;
  table: PositionTable;
  seconds: number;
}

/** What the per-record work needs of the options: plain data, so that a worker thread gets it. */
export interface ScanParams {
  umi: boolean;
  minMapq: number;
  maxLeadingClip: number;
  ltrRemainder: string;
  vectorContigs: string[];
}

/** The partial result of one part of the BAM, as a worker thread posts it back. */
export interface ScanPart {
  records: number;
  r1: number;
  withoutUmi: number;
  noRemainder: number;
  outcomes: Record<R1Outcome, number>;
  vectorSites: string[];
  table: PositionTableData;
  withoutRemainder: PositionTableData;
}

/** Classifies and aggregates R1 records: one per scan, or one per part of a parallel scan. */
export class ScanAccumulator {
  readonly table: PositionTable;
  readonly withoutRemainder: PositionTable;
  readonly outcomes = Object.fromEntries(R1_OUTCOMES.map((k) => [k, 0])) as Record<
    R1Outcome,
    number
  >;
  private readonly vectorSites = new Set<string>();
  private readonly vectorRefIds = new Set<number>();
  private readonly fragment: R1Fragment = {
    refId: 0,
    strand: '+',
    position: 0,
    breakpoint: 0,
    remainder: true,
  };
  private readonly filter: R1FilterParams;
  r1 = 0;
  private withoutUmi = 0;
  private noRemainder = 0;

  constructor(private readonly p: ScanParams) {
    this.table = new PositionTable(p.umi);
    this.withoutRemainder = new PositionTable(p.umi);
    this.filter = {
      minMapq: p.minMapq,
      maxLeadingClip: p.maxLeadingClip,
      ltrRemainder: p.ltrRemainder,
      vectorRefIds: this.vectorRefIds,
    };
  }

  setReferences(refs: readonly BamReference[]): void {
    refs.forEach((ref, i) => this.p.vectorContigs.includes(ref.name) && this.vectorRefIds.add(i));
  }

  readonly visit = (record: BamRecord): void => {
    this.r1++;
    const fragment = this.fragment;
    const outcome = classifyR1(record, this.filter, fragment);
    this.outcomes[outcome]++;
    if (outcome === 'kept') {
      const umi = this.p.umi ? record.umi : null;
      if (this.p.umi && umi === null) this.withoutUmi++;
      (fragment.remainder !== false ? this.table : this.withoutRemainder).add(fragment, umi);
      if (fragment.remainder === false) this.noRemainder++;
    } else if (outcome === 'vector_reads') {
      this.vectorSites.add(`${fragment.refId}${fragment.strand}${fragment.position}`);
    }
  };

  toPart(records: number): ScanPart {
    return {
      records,
      r1: this.r1,
      withoutUmi: this.withoutUmi,
      noRemainder: this.noRemainder,
      outcomes: this.outcomes,
      vectorSites: [...this.vectorSites],
      table: this.table.data(),
      withoutRemainder: this.withoutRemainder.data(),
    };
  }

  /** Adds the result of another part. */
  absorb(part: ScanPart): void {
    this.r1 += part.r1;
    this.withoutUmi += part.withoutUmi;
    this.noRemainder += part.noRemainder;
    for (const k of R1_OUTCOMES) this.outcomes[k] += part.outcomes[k];
    for (const site of part.vectorSites) this.vectorSites.add(site);
    this.table.absorb(PositionTable.fromData(this.p.umi, part.table));
    this.withoutRemainder.absorb(PositionTable.fromData(this.p.umi, part.withoutRemainder));
  }

  /** Applies the LTR-remainder decision (see the header) and returns the scan's result. */
  finish(references: BamReference[], records: number, started: number): ScanResult {
    const outcomes = { ...this.outcomes };
    const kept = outcomes.kept;
    const share =
      this.p.ltrRemainder.length === 0 || kept === 0 ? null : (kept - this.noRemainder) / kept;
    const required = share !== null && share >= REMAINDER_LIBRARY_SHARE;
    if (required) {
      outcomes.kept -= this.noRemainder;
      outcomes.no_ltr_remainder = this.noRemainder;
    } else {
      this.table.absorb(this.withoutRemainder);
    }
    return {
      references,
      counts: {
        records,
        r1_records: this.r1,
        outcomes,
        kept_without_umi: this.withoutUmi,
        vector_sites: this.vectorSites.size,
        ltr_remainder_required: required,
        ltr_remainder_share: share,
      },
      table: this.table,
      seconds: (Date.now() - started) / 1000,
    };
  }
}

/** BAM read options of the site engine (R1 records, their 5' bases, UMIs from the names). */
export function scanReadOptions(p: ScanParams): BamReadOptions {
  return { ltrRemainder: p.ltrRemainder, umiFromNames: p.umi, firstMatesOnly: true };
}
