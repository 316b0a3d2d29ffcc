// bed2peak/summary.json and the plot data: parameters, the attrition table (counts in and out of
// every filter, from R1 records to kept sites), per-d counts, clone statistics, regions, top 20.

import { BamReference } from './bam-reader';
import { ScanCounts } from './bam-scan';
import { ResolvedSiteOptions } from './site-options';
import { BuiltTable } from './site-tables';
import { cloneStatistics } from './stats/clone-stats';
import { CloneStatistics, PlotData, SiteRow } from './types';

export interface AttritionStep {
  step: string;
  in: number;
  removed: number;
  out: number;
}

export interface SiteSummary {
  parameters: Record<string, unknown>;
  input: { bam: string; annotation: string | null; known_sites: string | null; reader: string };
  records: number;
  r1_records: number;
  attrition: AttritionStep[];
  vector_sites: number;
  /** Whether reads without the LTR remainder were dropped, and the share of reads with it. */
  ltr_remainder: { required: boolean; share: number | null };
  kept_reads_without_umi: number | null;
  positions: number;
  distinct_fragments: number;
  per_d: {
    d: number;
    merged_sites: number;
    removed_by_keep_rule: number;
    kept_sites: number;
    fragments: number;
    reads: number;
    umis: number | null;
  }[];
  primary_d: number;
  clone_statistics: { fragments: CloneStatistics; umis: CloneStatistics | null };
  region_distribution: Record<string, number>;
  top_clones: SiteRow[];
  /** Wall seconds per phase (bam includes reading the annotation), and in all. */
  seconds: Record<string, number>;
  files: string[];
}

function attrition(c: ScanCounts, primary: BuiltTable): AttritionStep[] {
  const steps: [string, number][] = [
    ['primary alignment (not secondary/supplementary)', c.outcomes.secondary_supplementary],
    ['mapped', c.outcomes.unmapped],
    [
      'properly paired (0x2, or mates facing within 2 kb on one contig)',
      c.outcomes.not_proper_pair,
    ],
    ['mapping quality >= min_mapq (low_mapq: multi-mapping)', c.outcomes.low_mapq],
    ["5' unaligned bases <= max_leading_clip", c.outcomes.leading_clip],
    ['host contig (vector_reads removed)', c.outcomes.vector_reads],
    [
      'R1 begins with the LTR remainder (<= 1 mismatch), when >= 90 % of the reads do',
      c.outcomes.no_ltr_remainder,
    ],
  ];
  const out: AttritionStep[] = [];
  let n = c.r1_records;
  for (const [step, removed] of steps) {
    out.push({ step, in: n, removed, out: n - removed });
    n -= removed;
  }
  out.push({
    step: `sites at d=${primary.d}: keep rule (fragments > min_fragments or reads > min_reads)`,
    in: primary.sitesBeforeFilter,
    removed: primary.removedByKeepRule,
    out: primary.rows.length,
  });
  return out;
}

function sum(rows: readonly SiteRow[], key: 'fragments' | 'reads' | 'umis'): number {
  return rows.reduce((s, r) => s + (r[key] ?? 0), 0);
}

export function buildSummary(
  o: ResolvedSiteOptions,
  counts: ScanCounts,
  positions: number,
  distinctFragments: number,
  tables: readonly BuiltTable[],
  seconds: Record<string, number>,
): SiteSummary {
  const primary = tables.find((t) => t.d === o.mergeDistance)!;
  const regions: Record<string, number> = {};
  for (const r of primary.rows)
    regions[r.gene_region || 'unannotated'] = (regions[r.gene_region || 'unannotated'] ?? 0) + 1;
  return {
    parameters: {
      min_mapq: o.minMapq,
      max_leading_clip: o.maxLeadingClip,
      ltr_remainder: o.ltrRemainder,
      merge_distance: o.mergeDistance,
      max_merge_distance: o.maxMergeDistance,
      min_fragments: o.minFragments,
      min_reads: o.minReads,
      promoter_left: o.promoterLeft,
      promoter_right: o.promoterRight,
      enhancer_left: o.enhancerLeft,
      vector_contigs: o.vectorContigs,
      umi: o.umi,
    },
    input: { bam: o.bam, annotation: o.annotation, known_sites: o.knownSites, reader: o.reader },
    records: counts.records,
    r1_records: counts.r1_records,
    attrition: attrition(counts, primary),
    vector_sites: counts.vector_sites,
    ltr_remainder: { required: counts.ltr_remainder_required, share: counts.ltr_remainder_share },
    kept_reads_without_umi: o.umi ? counts.kept_without_umi : null,
    positions,
    distinct_fragments: distinctFragments,
    per_d: tables.map((t) => ({
      d: t.d,
      merged_sites: t.sitesBeforeFilter,
      removed_by_keep_rule: t.removedByKeepRule,
      kept_sites: t.rows.length,
      fragments: sum(t.rows, 'fragments'),
      reads: sum(t.rows, 'reads'),
      umis: o.umi ? sum(t.rows, 'umis') : null,
    })),
    primary_d: o.mergeDistance,
    clone_statistics: {
      fragments: cloneStatistics(primary.rows.map((r) => r.fragments)),
      umis: o.umi ? cloneStatistics(primary.rows.map((r) => r.umis ?? 0)) : null,
    },
    region_distribution: regions,
    top_clones: primary.rows.slice(0, 20),
    seconds,
    files: [],
  };
}

export function buildPlotData(
  primary: BuiltTable,
  refs: readonly BamReference[],
  vectorContigs: readonly string[],
): PlotData {
  const regions: Record<string, number> = {};
  for (const r of primary.rows)
    regions[r.gene_region || 'unannotated'] = (regions[r.gene_region || 'unannotated'] ?? 0) + 1;
  const histogram = new Map<number, number>();
  for (const s of primary.kept)
    for (const len of s.lengths) histogram.set(len, (histogram.get(len) ?? 0) + 1);
  return {
    regions,
    topClones: primary.rows.slice(0, 20).map((r) => ({
      label: `${r.chrom}:${r.position}${r.strand}${r.gene ? ` ${r.gene}` : ''}`,
      fragments: r.fragments,
      umis: r.umis,
      reads: r.reads,
    })),
    sites: primary.rows.map((r) => ({
      chrom: r.chrom,
      position: r.position,
      strand: r.strand,
      fragments: r.fragments,
    })),
    contigs: refs
      .filter((r) => !vectorContigs.includes(r.name))
      .map((r) => ({ name: r.name, length: r.length })),
    fragmentLengths: [...histogram.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([length, count]) => ({ length, count })),
  };
}
