// One pass over the BAM: every R1 record is classified (r1-filter.ts) and the kept ones are
// aggregated by position (position-table.ts). Returns the attrition counts and the table.
//
// The LTR remainder: a vector-host junction read begins with the LTR bases left after the primer
// (TAGCA). A mispriming pair that cutadapt trimmed at a primer-like genomic sequence (r1_error_rate
// 0.3 lets 20-base partial matches with 6 errors through) begins with genome instead, and every
// such pair over the same primer-like locus lands on the same "site": a false site of a few
// fragments. When at least REMAINDER_LIBRARY_SHARE of the otherwise kept R1s begin with the
// remainder, the library carries it and the others are dropped (no_ltr_remainder). Below that
// share the reads do not carry it (r1_seq already includes it, another vector): nothing is
// dropped, the remainder only places the junction, and the summary says so.

import { BamReference, readBam } from './bam-reader';
import { PositionTable } from './position-table';
import { R1Fragment, R1Outcome, R1_OUTCOMES, classifyR1 } from './r1-filter';
import { ResolvedSiteOptions } from './site-options';

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

export async function scanBam(o: ResolvedSiteOptions): Promise<ScanResult> {
  const started = Date.now();
  const table = new PositionTable(o.umi);
  const withoutRemainder = new PositionTable(o.umi);
  const outcomes = Object.fromEntries(R1_OUTCOMES.map((k) => [k, 0])) as Record<R1Outcome, number>;
  const vectorSites = new Set<string>();
  const vectorRefIds = new Set<number>();
  const fragment: R1Fragment = {
    refId: 0,
    strand: '+',
    position: 0,
    breakpoint: 0,
    remainder: true,
  };
  const params = {
    minMapq: o.minMapq,
    maxLeadingClip: o.maxLeadingClip,
    ltrRemainder: o.ltrRemainder,
    vectorRefIds,
  };
  let r1 = 0;
  let withoutUmi = 0;
  let noRemainder = 0;
  const result = await readBam(
    o.bam,
    {
      fivePrimeBases: o.ltrRemainder.length,
      umiFromNames: o.umi,
      firstMatesOnly: true,
      source: o.reader,
      threads: o.threads,
      onProgress: (n) => o.onProgress(`site_analysis: ${(n / 1e6).toFixed(0)}M records read`),
    },
    (refs) => refs.forEach((ref, i) => o.vectorContigs.includes(ref.name) && vectorRefIds.add(i)),
    (record) => {
      r1++;
      const outcome = classifyR1(record, params, fragment);
      outcomes[outcome]++;
      if (outcome === 'kept') {
        const umi = o.umi ? record.umi : null;
        if (o.umi && umi === null) withoutUmi++;
        (fragment.remainder !== false ? table : withoutRemainder).add(fragment, umi);
        if (fragment.remainder === false) noRemainder++;
      } else if (outcome === 'vector_reads') {
        vectorSites.add(`${fragment.refId}${fragment.strand}${fragment.position}`);
      }
    },
  );
  const kept = outcomes.kept;
  const share = o.ltrRemainder.length === 0 || kept === 0 ? null : (kept - noRemainder) / kept;
  const required = share !== null && share >= REMAINDER_LIBRARY_SHARE;
  if (required) {
    outcomes.kept -= noRemainder;
    outcomes.no_ltr_remainder = noRemainder;
  } else {
    table.absorb(withoutRemainder);
  }
  return {
    references: result.references,
    counts: {
      records: result.records,
      r1_records: r1,
      outcomes,
      kept_without_umi: withoutUmi,
      vector_sites: vectorSites.size,
      ltr_remainder_required: required,
      ltr_remainder_share: share,
    },
    table,
    seconds: (Date.now() - started) / 1000,
  };
}
