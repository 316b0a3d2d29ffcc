// One pass over the BAM: every R1 record is classified (r1-filter.ts) and the kept ones are
// aggregated by position (position-table.ts). Returns the attrition counts and the table.

import { BamReference, readBam } from './bam-reader';
import { PositionTable } from './position-table';
import { R1Fragment, R1Outcome, R1_OUTCOMES, classifyR1, umiFromReadName } from './r1-filter';
import { ResolvedSiteOptions } from './site-options';

export interface ScanCounts {
  /** Records in the stream (R1 and R2; only R1 with the samtools reader). */
  records: number;
  r1_records: number;
  outcomes: Record<R1Outcome, number>;
  /** Kept reads without a UMI in their name (when UMIs were expected). */
  kept_without_umi: number;
  /** Distinct (contig, strand, position) on vector contigs. */
  vector_sites: number;
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
  const outcomes = Object.fromEntries(R1_OUTCOMES.map((k) => [k, 0])) as Record<R1Outcome, number>;
  const vectorSites = new Set<string>();
  const vectorRefIds = new Set<number>();
  const fragment: R1Fragment = { refId: 0, strand: '+', position: 0, breakpoint: 0 };
  const params = {
    minMapq: o.minMapq,
    maxLeadingClip: o.maxLeadingClip,
    ltrRemainder: o.ltrRemainder,
    vectorRefIds,
  };
  let r1 = 0;
  let withoutUmi = 0;
  const result = await readBam(
    o.bam,
    {
      fivePrimeBases: o.ltrRemainder.length,
      readNames: o.umi,
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
        const umi = o.umi ? umiFromReadName(record.name) : null;
        if (o.umi && umi === null) withoutUmi++;
        table.add(fragment, umi);
      } else if (outcome === 'vector_reads') {
        vectorSites.add(`${fragment.refId}${fragment.strand}${fragment.position}`);
      }
    },
  );
  return {
    references: result.references,
    counts: {
      records: result.records,
      r1_records: r1,
      outcomes,
      kept_without_umi: withoutUmi,
      vector_sites: vectorSites.size,
    },
    table,
    seconds: (Date.now() - started) / 1000,
  };
}
