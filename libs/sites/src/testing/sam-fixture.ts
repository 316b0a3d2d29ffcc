// Test helper: small BAM files from hand-written read pairs, converted by the real samtools.
// A pair is described by its R1 alignment and its mate; SEQ is filled with `A`s around the 5'
// bases the test cares about (given in read orientation, placed at SEQ's end reverse-complemented
// for `-` reads), so every expectation in the tests is computed by hand from these numbers.

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface PairSpec {
  name: string;
  chrom: string;
  /** 1-based POS of R1. */
  pos: number;
  cigar: string;
  reverse: boolean;
  /** The read's first bases in read orientation (default GGGGG: not the remainder). */
  fivePrime?: string;
  mapq?: number;
  /** 1-based POS of the mate. */
  matePos: number;
  mateCigar: string;
  mateChrom?: string;
  /** Extra flag bits for R1 (e.g. 0x100); 0x2 is set unless `improper`. */
  extraFlags?: number;
  improper?: boolean;
  mateUnmapped?: boolean;
  /** Write the MC tag (default true). */
  mc?: boolean;
  tlen?: number;
}

function queryLength(cigar: string): number {
  let n = 0;
  for (const m of cigar.matchAll(/(\d+)([MIDNSHP=X])/g))
    if ('MIS=X'.includes(m[2])) n += Number(m[1]);
  return n;
}

export function reverseComplement(s: string): string {
  const c: Record<string, string> = { A: 'T', C: 'G', G: 'C', T: 'A', N: 'N' };
  return [...s]
    .reverse()
    .map((b) => c[b])
    .join('');
}

function seqFor(cigar: string, reverse: boolean, fivePrime: string): string {
  const len = queryLength(cigar);
  const fill = 'A'.repeat(Math.max(0, len - fivePrime.length));
  return reverse ? fill + reverseComplement(fivePrime) : fivePrime + fill;
}

/** The R1 and R2 SAM lines of a pair. */
export function pairLines(p: PairSpec): string[] {
  const mapq = p.mapq ?? 60;
  const mateChrom = p.mateChrom ?? p.chrom;
  const proper = p.improper ? 0 : 0x2;
  const mateUnmapped = p.mateUnmapped ? 0x8 : 0;
  const r1Flag =
    0x1 | proper | 0x40 | mateUnmapped | (p.reverse ? 0x10 : 0x20) | (p.extraFlags ?? 0);
  const r2Flag = 0x1 | proper | 0x80 | (p.mateUnmapped ? 0x4 : 0) | (p.reverse ? 0x20 : 0x10);
  const rnext = mateChrom === p.chrom ? '=' : mateChrom;
  const tlen = p.tlen ?? 0;
  const r1Seq = seqFor(p.cigar, p.reverse, p.fivePrime ?? 'GGGGG');
  const r2Seq = 'C'.repeat(queryLength(p.mateCigar));
  const mc = p.mc === false ? [] : [`MC:Z:${p.mateCigar}`];
  const r1 = [
    p.name,
    r1Flag,
    p.chrom,
    p.pos,
    mapq,
    p.cigar,
    rnext,
    p.matePos,
    tlen,
    r1Seq,
    '*',
    ...mc,
  ];
  const r2 = [
    p.name,
    r2Flag,
    mateChrom,
    p.matePos,
    60,
    p.mateCigar,
    mateChrom === p.chrom ? '=' : p.chrom,
    p.pos,
    -tlen,
    r2Seq,
    '*',
    `MC:Z:${p.cigar}`,
  ];
  return [r1.join('\t'), r2.join('\t')];
}

/**
 * Writes `dir/name.bam` from the contigs and pairs: unsorted, as the engine must not care, or
 * with `indexed` sorted by coordinate and indexed (`.bam.bai`), as read_mapping leaves it.
 */
export function writeBam(
  dir: string,
  name: string,
  contigs: { name: string; length: number }[],
  pairs: PairSpec[],
  extraLines: string[] = [],
  { indexed = false } = {},
): string {
  const header = [
    '@HD\tVN:1.6\tSO:unsorted',
    ...contigs.map((c) => `@SQ\tSN:${c.name}\tLN:${c.length}`),
  ];
  const sam = path.join(dir, `${name}.sam`);
  const bam = path.join(dir, `${name}.bam`);
  fs.writeFileSync(sam, [...header, ...pairs.flatMap(pairLines), ...extraLines].join('\n') + '\n');
  const quiet = { stdio: ['ignore', 'ignore', 'pipe'] as ('ignore' | 'pipe')[] };
  if (!indexed) {
    execFileSync('samtools', ['view', '-b', '-o', bam, sam], quiet);
    return bam;
  }
  execFileSync('samtools', ['sort', '-o', bam, sam], quiet);
  execFileSync('samtools', ['index', bam], quiet);
  return bam;
}
