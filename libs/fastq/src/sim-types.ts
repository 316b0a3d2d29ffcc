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

/** Ground truth of one site: clone size and what the generated reads contain. */
export interface TruthSite {
  chrom: string;
  position: number;
  strand: Strand;
  /** Cells of the clone (true abundance). */
  cells: number;
  /** Read pairs generated from the site. */
  reads: number;
  /** Distinct breakpoints (fragment lengths) among those read pairs. */
  fragments: number;
}

/** A ligated, amplifiable molecule: one cell's fragment of a site, or a mispriming product. */
export interface SimMolecule {
  /** Index of the site in `truth`, or -1 for mispriming. */
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
}

export type ResolvedLibraryOptions = Required<
  Omit<LibraryOptions, 'fragmentLength' | 'cloneSize' | 'pcr'>
> & {
  fragmentLength: FragmentLengthModel;
  cloneSize: CloneSizeModel;
  pcr: PcrModel;
};

export const DEFAULT_R1_SEQ = 'ATCCCTCAGACCCTTTTAGTCAGTGTGGAAAATCTC';
export const DEFAULT_LTR_REMAINDER = 'TAGCA';
export const DEFAULT_R2_SEQ = 'GACTGCGTATCAGT';
/** Common start of the Illumina TruSeq adapters, read after a short insert. */
export const ILLUMINA_ADAPTER = 'AGATCGGAAGAGC';

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
} as const;
