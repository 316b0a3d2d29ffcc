// Types and defaults of the qsLAM-PCR library simulator.
//
// Kept apart from the code so that the planning, read-building and writing modules can share
// them without import cycles. Coordinates follow DOMAIN.md: a site is the 1-based position of the
// host base joined to the LTR, its strand is the strand of the R1 alignment, and a fragment is
// (site, breakpoint) where the breakpoint is the 5' end of R2 on the genome.

import { FastqRecord } from './fastq-parser';

export type Strand = '+' | '-';

/** A contig to simulate: name and length. */
export interface ContigSpec {
  name: string;
  length: number;
}

/** A genome contig with its sequence (upper-case ACGT). */
export interface Contig {
  name: string;
  seq: string;
}

/** An integration site given explicitly instead of drawn at random. */
export interface SiteSpec {
  chrom: string;
  /** 1-based junction position. */
  position: number;
  strand: Strand;
  cells: number;
}

/** An integration site of the simulated library (index = position in `truth`). */
export interface SimSite extends SiteSpec {
  index: number;
}

/** A genome interval, 1-based inclusive (as in GTF). */
export interface Region {
  chrom: string;
  start: number;
  end: number;
}

/** Ground truth of one site: clone size and what the generated reads contain. */
export interface TruthSite {
  chrom: string;
  position: number;
  strand: Strand;
  /** Cells of the clone (true abundance). */
  cells: number;
  /** Read pairs generated from the site. */
  reads: number;
  /**
   * Of those, the read pairs whose host part is at least MIN_PLACEABLE_HOST bp: the only ones an
   * aligner can place (a short-host pair cannot map). Absent in truth tables of older versions.
   */
  placeableReads?: number;
  /**
   * Molecules (cells) with at least one placeable read pair: what a perfect caller could count.
   * Absent in truth tables of older versions.
   */
  placeableMolecules?: number;
  /** Distinct breakpoints (fragment lengths) among those read pairs. */
  fragments: number;
  /** Distinct molecules (one per cell, each with its own UMI) among those read pairs. */
  umis: number;
  /** Every fragment of the site lies in a duplicated segment: it cannot be placed (MAPQ 0). */
  multimapping: boolean;
  /** Another site lies within CLOSE_SITE_DISTANCE bp (either strand). */
  closeToOtherSite: boolean;
}

/** A ligated, amplifiable molecule: one cell's fragment of a site, or a mispriming product. */
export interface SimMolecule {
  /** Index of the site in `truth`, MISPRIMED (-1) or VECTOR (-2). */
  site: number;
  chrom: string;
  /** 1-based position of the first host base read by R1 (the junction for real sites). */
  position: number;
  strand: Strand;
  /** Length of the host DNA part. */
  hostLength: number;
  /** 1-based genome position of the shear point (5' end of R2's host part). */
  breakpoint: number;
  umi: string;
  /** Relative PCR amplification efficiency. */
  weight: number;
}

/** One simulated read pair. */
export interface SimPair {
  /** 0-based pair index (also in the read name). */
  index: number;
  molecule: SimMolecule;
  r1: FastqRecord;
  r2: FastqRecord;
}

/** Truncated log-normal length of the host DNA part of a fragment. */
export interface FragmentLengthModel {
  meanLog: number;
  sdLog: number;
  min: number;
  max: number;
}

/** Clone size model: cells = max(1, round(logNormal(meanLog, sdLog))), capped at `max`. */
export interface CloneSizeModel {
  meanLog: number;
  sdLog: number;
  max: number;
}

/** PCR efficiency: logNormal(0, sdLog) * exp(-hostLength / lengthScale). */
export interface PcrModel {
  sdLog: number;
  lengthScale: number;
}

/** The first `count` random sites are large clones of log-uniform minCells..maxCells cells. */
export interface LargeCloneModel {
  count: number;
  minCells: number;
  maxCells: number;
}

/**
 * Sites a few bp apart: each random site gets, with probability `fraction`, a neighbour
 * minGap..maxGap bp away (opposite strand with probability `oppositeStrand`), and with
 * probability `triple` a second one beyond it.
 */
export interface CloseSiteModel {
  fraction: number;
  minGap: number;
  maxGap: number;
  oppositeStrand: number;
  triple: number;
}

/** A fraction of the cell fragments is sheared min..max bp from the junction (unmappable). */
export interface ShortHostModel {
  fraction: number;
  min: number;
  max: number;
}

export interface LibraryOptions {
  seed: number | string;
  genome: Contig[];
  /** Number of random sites, or explicit sites. Default 100. */
  sites?: number | SiteSpec[];
  /** Total read pairs (including mispriming). */
  pairs: number;
  readLength?: number;
  fragmentLength?: Partial<FragmentLengthModel>;
  cloneSize?: Partial<CloneSizeModel>;
  pcr?: Partial<PcrModel>;
  /** Random sites are at least this far apart on a contig (any strand). Default 20. */
  minSiteDistance?: number;
  r1Seq?: string;
  ltrRemainder?: string;
  /** Linker (r2_seq). */
  r2Seq?: string;
  umiLength?: number;
  /** Per-base substitution probability, applied to both reads. Default 0.001. */
  errorRate?: number;
  /** Fraction of pairs without LTR (host DNA from a random place). Default 0. */
  misprimingFraction?: number;
  /** Fraction of (correct) bases given a lower quality score. Default 0.01. */
  lowQualityRate?: number;
  /** Large clones among the random sites. Default none. */
  largeClones?: Partial<LargeCloneModel>;
  /** Neighbours 2-10 bp away from random sites. Default none. */
  closeSites?: Partial<CloseSiteModel>;
  /** Fragments with a host part too short to map. Default none. */
  shortHosts?: Partial<ShortHostModel>;
  /**
   * Name of the vector contig of `genome` (it must contain r1Seq + ltrRemainder, the 5' LTR end).
   * No site or mispriming product is drawn on it. Default '' (none).
   */
  vectorContig?: string;
  /** Fraction of pairs reading from the 5' LTR into the vector body. Default 0. */
  vectorFraction?: number;
  /**
   * Exactly duplicated genome segments (all copies listed). Random sites never come near them;
   * `multimappingSites` sites are placed inside, with every possible fragment inside. Default [].
   */
  duplicatedRegions?: Region[];
  /** Sites placed inside duplicated segments (truth flag multimapping). Default 0. */
  multimappingSites?: number;
  /** Extra per-base substitution probability of the UMI per read pair (PCR errors). Default 0. */
  umiErrorRate?: number;
}

type ModelOptions = 'fragmentLength' | 'cloneSize' | 'pcr' | 'largeClones' | 'closeSites';

export type ResolvedLibraryOptions = Required<Omit<LibraryOptions, ModelOptions | 'shortHosts'>> & {
  fragmentLength: FragmentLengthModel;
  cloneSize: CloneSizeModel;
  pcr: PcrModel;
  largeClones: LargeCloneModel;
  closeSites: CloseSiteModel;
  shortHosts: ShortHostModel;
};

export const DEFAULT_R1_SEQ = 'ATCCCTCAGACCCTTTTAGTCAGTGTGGAAAATCTC';
export const DEFAULT_LTR_REMAINDER = 'TAGCA';
export const DEFAULT_R2_SEQ = 'GACTGCGTATCAGT';
/** Common start of the Illumina TruSeq adapters, read after a short insert. */
export const ILLUMINA_ADAPTER = 'AGATCGGAAGAGC';
/** `SimMolecule.site` of a mispriming product and of a read into the vector body. */
export const MISPRIMED = -1;
export const VECTOR = -2;
/**
 * Shortest host part that can be placed on the genome: bwa mem reports no alignment scoring below
 * its -T 30 (one point per matching base), so a pair with a shorter host part maps nowhere.
 */
export const MIN_PLACEABLE_HOST = 30;
/** Sites closer than this (bp, either strand) are flagged closeToOtherSite in the truth. */
export const CLOSE_SITE_DISTANCE = 10;

export const LIBRARY_DEFAULTS = {
  sites: 100,
  readLength: 150,
  fragmentLength: { meanLog: Math.log(250), sdLog: 0.6, min: 40, max: 1000 },
  cloneSize: { meanLog: 0, sdLog: 1.6, max: 5000 },
  pcr: { sdLog: 0.5, lengthScale: 500 },
  minSiteDistance: 20,
  r1Seq: DEFAULT_R1_SEQ,
  ltrRemainder: DEFAULT_LTR_REMAINDER,
  r2Seq: DEFAULT_R2_SEQ,
  umiLength: 0,
  errorRate: 0.001,
  misprimingFraction: 0,
  lowQualityRate: 0.01,
  largeClones: { count: 0, minCells: 100, maxCells: 1000 },
  closeSites: { fraction: 0, minGap: 2, maxGap: 10, oppositeStrand: 0.5, triple: 0.2 },
  shortHosts: { fraction: 0, min: 8, max: 19 },
  vectorContig: '',
  vectorFraction: 0,
  duplicatedRegions: [] as Region[],
  multimappingSites: 0,
  umiErrorRate: 0,
} as const;
