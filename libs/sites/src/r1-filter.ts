// The per-R1 decision: which filter a record fails (in a fixed order, each counted in the
// attrition table) or the fragment it supports. The order is the one of the issue: secondary /
// supplementary records are not pairs at all; then unmapped, not properly paired (see
// MAX_PAIR_FRAGMENT: bwa's flag, or mates facing each other within 2 kb), low mapping
// quality (multi-mappers, counted separately), too many unaligned bases at the read's 5' end (the
// CIGAR END for `-` alignments — the lab pipeline's fault 2), vector contig, kept.

import { BamRecord } from './bam-reader';
import {
  Cigar,
  breakpointPosition,
  fivePrimeClip,
  fivePrimeHardClip,
  sitePosition,
} from './site-position';

import { Strand } from './types';

function fivePrimeClipIsHard(c: Cigar, reverse: boolean): boolean {
  return fivePrimeHardClip(c, reverse) > 0;
}

export const R1_OUTCOMES = [
  'secondary_supplementary',
  'unmapped',
  'not_proper_pair',
  'low_mapq',
  'leading_clip',
  'vector_reads',
  'no_ltr_remainder',
  'kept',
] as const;
export type R1Outcome = (typeof R1_OUTCOMES)[number];

export interface R1FilterParams {
  minMapq: number;
  maxLeadingClip: number;
  ltrRemainder: string;
  /** Reference ids of vector contigs. */
  vectorRefIds: ReadonlySet<number>;
}

/** A kept R1: its site and fragment. */
export interface R1Fragment {
  refId: number;
  strand: Strand;
  position: number;
  breakpoint: number;
  /**
   * The read begins with the LTR remainder (≤ 1 mismatch), or it cannot be told (no remainder
   * configured, 5' hard clip, read shorter than the remainder). bam-scan.ts decides whether the
   * library carries the remainder and, if so, drops the reads without it (no_ltr_remainder).
   */
  remainder?: boolean;
}

const FLAG_PROPER = 0x2;
const FLAG_UNMAPPED = 0x4;
const FLAG_MATE_UNMAPPED = 0x8;
const FLAG_REVERSE = 0x10;
const FLAG_MATE_REVERSE = 0x20;

/**
 * Longest template (|TLEN|) of a pair accepted as proper without the aligner's 0x2 flag. bwa mem
 * sets 0x2 from an insert-size model it fits to each batch of reads (upper bound ≈ p75 + 3·IQR,
 * at least mean + 4·sd): on sonicated qsLAM-PCR libraries (fragments 40-1,000 bp, PCR favouring
 * short ones) that bound was 870 bp on the simulator's libraries, so every fragment longer than
 * that - and every single-cell site whose one fragment is long - was dropped, and where the bound
 * falls changes from run to run. A pair whose mates lie on one contig, on opposite strands,
 * facing each other (R1 leftmost when on `+`, rightmost when on `-`, as TLEN's sign says), with
 * a template of at most 2,000 bp (twice the longest sonication fragment) is the same molecule.
 * TLEN 0 ("unavailable") never qualifies.
 */
export const MAX_PAIR_FRAGMENT = 2000;

/** Whether an R1 without bwa's proper-pair flag still has a mate facing it within 2 kb. */
function facingMate(r: BamRecord, reverse: boolean): boolean {
  if (((r.flag & FLAG_MATE_REVERSE) !== 0) === reverse) return false;
  if (r.tlen === 0 || Math.abs(r.tlen) > MAX_PAIR_FRAGMENT) return false;
  return reverse ? r.tlen < 0 : r.tlen > 0;
}
const FLAG_SECONDARY = 0x100;
const FLAG_SUPPLEMENTARY = 0x800;

/**
 * Classifies one R1 record. For 'kept' and 'vector_reads' `out` holds the site and fragment (the
 * caller counts distinct vector sites).
 */
export function classifyR1(r: BamRecord, p: R1FilterParams, out: R1Fragment): R1Outcome {
  const flag = r.flag;
  if ((flag & (FLAG_SECONDARY | FLAG_SUPPLEMENTARY)) !== 0) return 'secondary_supplementary';
  if ((flag & FLAG_UNMAPPED) !== 0 || r.refId < 0 || r.cigarCount === 0) return 'unmapped';
  const reverse = (flag & FLAG_REVERSE) !== 0;
  if ((flag & FLAG_MATE_UNMAPPED) !== 0 || r.nextRefId !== r.refId) return 'not_proper_pair';
  if ((flag & FLAG_PROPER) === 0 && !facingMate(r, reverse)) return 'not_proper_pair';
  if (r.mapq < p.minMapq) return 'low_mapq';
  const cigar: Cigar = r.cigarView;
  if (fivePrimeClip(cigar, reverse) > p.maxLeadingClip) return 'leading_clip';
  out.refId = r.refId;
  out.strand = reverse ? '-' : '+';
  const match = p.ltrRemainder.length === 0 ? null : r.remainderMatch;
  out.position = sitePosition(cigar, r.pos, reverse, match, p.ltrRemainder.length);
  out.remainder = match !== false || fivePrimeClipIsHard(cigar, reverse);
  const mateLength = r.mateReferenceLength;
  out.breakpoint = breakpointPosition(reverse, r.nextPos, mateLength, r.pos, r.tlen);
  return p.vectorRefIds.has(r.refId) ? 'vector_reads' : 'kept';
}
