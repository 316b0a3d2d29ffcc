// Where an R1 alignment says the integration site is, and where its mate says the fragment ends.
//
// DOMAIN.md: the site is the 5'-most aligned host base of R1 (alignment start for `+`, alignment
// END for `-` — not end+1, the lab pipeline's fault 3), the breakpoint is the 5' end of R2.
// The LTR remainder correction: after primer trimming R1 still begins with the last few LTR bases
// (e.g. TAGCA). When they match the genome by chance the aligner extends into them and starts
// early; when the read's first L bases look like the remainder (≤ 1 mismatch, N matches anything)
// the junction is the reference base aligned to read offset L, found by walking the CIGAR from the
// read's 5' end.

import { CigarOp } from './bam-reader';

/** Packed BAM CIGAR (length << 4 | op), first `count` entries valid. */
export interface Cigar {
  ops: Uint32Array;
  count: number;
}

/** Parses CIGAR text ("5S145M") into packed ops; null for '*' or malformed text. */
export function parseCigar(text: string): Cigar | null {
  if (text === '*' || text === '') return null;
  const ops: number[] = [];
  let len = 0;
  let digits = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      len = len * 10 + (c - 48);
      digits++;
      continue;
    }
    const op = 'MIDNSHP=X'.indexOf(text[i]);
    if (op < 0 || digits === 0) return null;
    ops.push((len << 4) | op);
    len = 0;
    digits = 0;
  }
  if (digits !== 0) return null;
  return { ops: Uint32Array.from(ops), count: ops.length };
}

function consumesRef(op: number): boolean {
  return (
    op === CigarOp.M ||
    op === CigarOp.D ||
    op === CigarOp.N ||
    op === CigarOp.EQ ||
    op === CigarOp.X
  );
}

function consumesReadAligned(op: number): boolean {
  return op === CigarOp.M || op === CigarOp.EQ || op === CigarOp.X;
}

function isClip(op: number): boolean {
  return op === CigarOp.S || op === CigarOp.H;
}

/** Reference bases covered by the alignment. */
export function referenceLength(c: Cigar): number {
  let n = 0;
  for (let i = 0; i < c.count; i++) if (consumesRef(c.ops[i] & 0xf)) n += c.ops[i] >>> 4;
  return n;
}

/** Soft + hard clipped bases at the read's 5' end: CIGAR start for `+`, CIGAR end for `-`. */
export function fivePrimeClip(c: Cigar, reverse: boolean): number {
  let n = 0;
  for (let k = 0; k < c.count; k++) {
    const v = c.ops[reverse ? c.count - 1 - k : k];
    if (!isClip(v & 0xf)) break;
    n += v >>> 4;
  }
  return n;
}

/** Hard-clipped bases at the read's 5' end (those are not in SEQ). */
export function fivePrimeHardClip(c: Cigar, reverse: boolean): number {
  let n = 0;
  for (let k = 0; k < c.count; k++) {
    const v = c.ops[reverse ? c.count - 1 - k : k];
    if ((v & 0xf) === CigarOp.H) n += v >>> 4;
    else if ((v & 0xf) !== CigarOp.S) break;
  }
  return n;
}

/**
 * True when `bases` equals `remainder` with at most one mismatch; N matches anything. The
 * definition: the BAM reader applies it to the packed SEQ bytes (BamRecord.remainderMatch, tested
 * against this function).
 */
export function matchesRemainder(bases: string, remainder: string): boolean {
  if (remainder.length === 0 || bases.length !== remainder.length) return false;
  let mismatches = 0;
  for (let i = 0; i < remainder.length; i++) {
    const a = bases[i];
    const b = remainder[i];
    if (a !== b && a !== 'N' && b !== 'N' && ++mismatches > 1) return false;
  }
  return true;
}

/**
 * 1-based reference coordinate aligned to read offset `offset` (0 = the read's 5'-most base),
 * walking the CIGAR from the 5' end. An offset inside an insertion moves to the next aligned base;
 * an offset inside the 5' clip extrapolates outward. Null when the offset lies past the aligned part.
 */
export function referenceAtReadOffset(
  c: Cigar,
  pos0: number,
  reverse: boolean,
  offset: number,
): number | null {
  const dir = reverse ? -1 : 1;
  let r = reverse ? pos0 + referenceLength(c) : pos0 + 1; // next ref base in 5'→3' order
  let q = 0;
  let target = offset;
  let leading = true;
  for (let k = 0; k < c.count; k++) {
    const v = c.ops[reverse ? c.count - 1 - k : k];
    const op = v & 0xf;
    const n = v >>> 4;
    if (isClip(op)) {
      if (!leading) return null; // reached the 3' clip
      q += n;
      continue;
    }
    if (leading) {
      leading = false;
      if (q > target) return r - dir * (q - target);
    }
    if (consumesReadAligned(op)) {
      if (target < q + n) return r + dir * (target - q);
      q += n;
      r += dir * n;
    } else if (op === CigarOp.I) {
      if (target < q + n) target = q + n;
      q += n;
    } else if (consumesRef(op)) {
      r += dir * n;
    }
  }
  return null;
}

/** The 5'-most aligned reference base, 1-based: start for `+`, end for `-`. */
export function fivePrimeAlignedBase(c: Cigar, pos0: number, reverse: boolean): number {
  return reverse ? pos0 + referenceLength(c) : pos0 + 1;
}

/**
 * The integration site (1-based junction) of an R1 alignment. `remainderMatch`: whether the
 * read's first `remainderLength` bases in read orientation match the LTR remainder
 * (matchesRemainder; null when unknown).
 */
export function sitePosition(
  c: Cigar,
  pos0: number,
  reverse: boolean,
  remainderMatch: boolean | null,
  remainderLength: number,
): number {
  const aligned = fivePrimeAlignedBase(c, pos0, reverse);
  if (remainderMatch !== true || remainderLength === 0) return aligned;
  if (fivePrimeHardClip(c, reverse) > 0) return aligned;
  return referenceAtReadOffset(c, pos0, reverse, remainderLength) ?? aligned;
}

/**
 * The breakpoint (5' end of R2, 1-based). R1 `+` (mate `-`): mate start + mate reference length
 * − 1; R1 `-` (mate `+`): mate start. Without MC, the template length from R1's alignment start
 * (bwa's TLEN spans leftmost to rightmost aligned base).
 */
export function breakpointPosition(
  reverse: boolean,
  matePos0: number,
  mateReferenceLength: number | null,
  pos0: number,
  tlen: number,
): number {
  if (reverse) return matePos0 + 1;
  if (mateReferenceLength !== null) return matePos0 + mateReferenceLength;
  const left = Math.min(pos0, matePos0);
  return left + Math.abs(tlen);
}
