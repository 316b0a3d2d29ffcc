/**
 * Shapes shared by the site-analysis engine (libs/sites/src, reading the BAM and computing sites)
 * and its statistics and report writers (libs/sites/src/stats, libs/sites/src/report). Kept in
 * one module so that both sides compile against the same contract.
 *
 * Coordinates follow DOMAIN.md: `position` is the 1-based host base joined to the LTR, `strand`
 * the strand of the R1 alignment; `start`/`end` are the 0-based half-open span of the positions
 * merged into a site.
 */

export type Strand = '+' | '-';

export type GeneRegion = 'promoter' | 'enhancer' | 'inside' | 'upstream' | 'downstream' | '';

/** One row of bed2peak/sites*.tsv, in the column order of the file. */
export interface SiteRow {
  chrom: string;
  start: number;
  end: number;
  position: number;
  strand: Strand;
  fragments: number;
  /** null when the run had no UMI step. */
  umis: number | null;
  reads: number;
  estimated_cells: number;
  known_sites: number;
  /** Nearest gene(s) by TSS, ties joined with commas; '' without annotation. */
  gene: string;
  /** Signed TSS distance (negative = upstream in gene orientation); null without annotation. */
  tss_distance: number | null;
  gene_region: GeneRegion;
  fragments_pct: number;
  reads_pct: number;
  umis_pct: number | null;
}

export const SITE_COLUMNS: readonly (keyof SiteRow)[] = [
  'chrom',
  'start',
  'end',
  'position',
  'strand',
  'fragments',
  'umis',
  'reads',
  'estimated_cells',
  'known_sites',
  'gene',
  'tss_distance',
  'gene_region',
  'fragments_pct',
  'reads_pct',
  'umis_pct',
];

/** The kept sites of one merge distance. */
export interface SiteTable {
  d: number;
  /** The run's merge_distance (sites.tsv). */
  primary: boolean;
  rows: SiteRow[];
}

/** Clone statistics of one abundance measure (fragments or UMIs) over the kept sites. */
export interface CloneStatistics {
  sites: number;
  /** Shannon entropy, natural log. */
  shannon: number;
  /** Simpson's diversity 1 - sum(p^2). */
  simpson: number;
  /** Bias-corrected Chao1 richness estimate. */
  chao1: number;
  /** Gini coefficient of the abundances (0 = all equal). */
  gini: number;
  /** Smallest number of largest clones that hold at least 50% of the abundance. */
  uc50: number;
  /** Abundance share of the largest clone (0..1). */
  largest_clone_share: number;
}

/** sonicLength-style estimate (Berry et al. 2012) for a set of sites. */
export interface CellEstimate {
  /** Estimated cells per site, in the order of the input: whole cells, at least the distinct lengths. */
  cells: number[];
  /** The unrounded maximum-likelihood θ per site (same order). */
  theta?: number[];
  /** Gaussian smoothing bandwidth (bp) used for the length distribution; 0 = none. */
  bandwidth?: number;
  /** The fitted fragment-length distribution (lengths with positive probability). */
  lengthDistribution: { length: number; p: number }[];
  iterations: number;
  converged: boolean;
}

/** What the plots show (all for the primary merge distance). */
export interface PlotData {
  /** Kept sites per gene region. */
  regions: Record<string, number>;
  /** The 20 largest clones by fragments. */
  topClones: { label: string; fragments: number; umis: number | null; reads: number }[];
  sites: { chrom: string; position: number; strand: Strand; fragments: number }[];
  /** Host contigs in genome order, with lengths (for the chromosome plot). */
  contigs: { name: string; length: number }[];
  /** Histogram of distinct fragment lengths over the kept sites. */
  fragmentLengths: { length: number; count: number }[];
}
