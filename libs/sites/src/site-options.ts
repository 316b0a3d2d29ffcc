// Options of one site analysis, their defaults (the run parameter registry's, libs/params) and
// their validation.

import { BamSource } from './bam-reader';
import { SiteUsageError } from './errors';

export interface SiteAnalysisOptions {
  bam: string;
  /** Staging workspace root: bam2bed/ and bed2peak/ are written below it. */
  outDir: string;
  /** GTF or GFF3 (plain or gzip). */
  annotation?: string | null;
  /** Contigs of the vector; default ['vector']. */
  vectorContigs?: string[];
  /** BED of known sites. */
  knownSites?: string | null;
  /** The run had a umi step: the UMI is the read-name suffix after the last '_'. */
  umi?: boolean;
  minMapq?: number;
  maxLeadingClip?: number;
  ltrRemainder?: string;
  mergeDistance?: number;
  maxMergeDistance?: number;
  minFragments?: number;
  minReads?: number;
  promoterLeft?: number;
  promoterRight?: number;
  enhancerLeft?: number;
  threads?: number;
  reader?: BamSource;
  /**
   * Compressed BAM size from which it is read in parts on `threads` worker threads (default
   * PARALLEL_MIN_BYTES; bam-scan-parallel.ts).
   */
  parallelMinBytes?: number;
  /** Progress lines (the CLI prints them on stderr). */
  onProgress?: (message: string) => void;
}

export type ResolvedSiteOptions = Required<Omit<SiteAnalysisOptions, 'onProgress'>> & {
  onProgress: (message: string) => void;
};

/** Below this compressed BAM size worker start-up costs more than reading in parts saves. */
export const PARALLEL_MIN_BYTES = 8 << 20;

/** The registry's defaults (libs/params/src/registry.ts, group site_analysis). */
export const SITE_DEFAULTS = {
  minMapq: 20,
  maxLeadingClip: 6,
  ltrRemainder: 'TAGCA',
  mergeDistance: 5,
  maxMergeDistance: 10,
  minFragments: 1,
  minReads: 5,
  promoterLeft: 5000,
  promoterRight: 2000,
  enhancerLeft: 50000,
} as const;

function nonNegativeInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0)
    throw new SiteUsageError(`${name} must be a non-negative integer, got ${value}`);
  return value;
}

export function resolveSiteOptions(o: SiteAnalysisOptions): ResolvedSiteOptions {
  const r: ResolvedSiteOptions = {
    bam: o.bam,
    outDir: o.outDir,
    annotation: o.annotation ?? null,
    vectorContigs: o.vectorContigs ?? ['vector'],
    knownSites: o.knownSites ?? null,
    umi: o.umi ?? false,
    minMapq: nonNegativeInteger('min_mapq', o.minMapq ?? SITE_DEFAULTS.minMapq),
    maxLeadingClip: nonNegativeInteger(
      'max_leading_clip',
      o.maxLeadingClip ?? SITE_DEFAULTS.maxLeadingClip,
    ),
    ltrRemainder: (o.ltrRemainder ?? SITE_DEFAULTS.ltrRemainder).toUpperCase(),
    mergeDistance: nonNegativeInteger(
      'merge_distance',
      o.mergeDistance ?? SITE_DEFAULTS.mergeDistance,
    ),
    maxMergeDistance: nonNegativeInteger(
      'max_merge_distance',
      o.maxMergeDistance ?? SITE_DEFAULTS.maxMergeDistance,
    ),
    minFragments: nonNegativeInteger('min_fragments', o.minFragments ?? SITE_DEFAULTS.minFragments),
    minReads: nonNegativeInteger('min_reads', o.minReads ?? SITE_DEFAULTS.minReads),
    promoterLeft: nonNegativeInteger('promoter_left', o.promoterLeft ?? SITE_DEFAULTS.promoterLeft),
    promoterRight: nonNegativeInteger(
      'promoter_right',
      o.promoterRight ?? SITE_DEFAULTS.promoterRight,
    ),
    enhancerLeft: nonNegativeInteger('enhancer_left', o.enhancerLeft ?? SITE_DEFAULTS.enhancerLeft),
    threads: Math.max(1, o.threads ?? 1),
    reader: o.reader ?? 'direct',
    parallelMinBytes: o.parallelMinBytes ?? PARALLEL_MIN_BYTES,
    onProgress: o.onProgress ?? (() => undefined),
  };
  if (!r.bam) throw new SiteUsageError('a BAM file is required');
  if (!r.outDir) throw new SiteUsageError('an output directory is required');
  if (!/^[ACGTN]*$/.test(r.ltrRemainder)) {
    throw new SiteUsageError(
      `ltr_remainder must consist of A, C, G, T, N, got '${r.ltrRemainder}'`,
    );
  }
  if (r.mergeDistance > r.maxMergeDistance) {
    throw new SiteUsageError(
      `merge_distance (${r.mergeDistance}) must not exceed max_merge_distance (${r.maxMergeDistance})`,
    );
  }
  if (r.enhancerLeft < r.promoterLeft) {
    throw new SiteUsageError(
      `enhancer_left (${r.enhancerLeft}) must be >= promoter_left (${r.promoterLeft})`,
    );
  }
  return r;
}
