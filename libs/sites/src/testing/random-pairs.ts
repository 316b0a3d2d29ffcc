// Test helper: deterministic random read pairs of every kind the site scan sorts, for tests that
// compare two ways of reading the same BAM (in parts / as one stream) rather than hand-computed
// numbers.

import { PairSpec } from './sam-fixture';

export const RANDOM_PAIR_CONTIGS = [
  { name: 'chr1', length: 2_000_000 },
  { name: 'chr2', length: 1_000_000 },
  { name: 'vector', length: 9000 },
];

/** A deterministic generator (LCG), so that a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const BASES = 'ACGTN';

/**
 * Pairs of every kind the scan sorts: both strands, clips, remainder or not (with mismatches and
 * Ns), low MAPQ, secondary, vector; UMIs of 10 bases (numeric keys), of 20 bases and with a
 * lowercase letter (text keys), and none. Sites repeat so that fragments and UMIs are counted.
 */
export function randomPairs(n: number, seed: number): PairSpec[] {
  const rnd = random(seed);
  const pick = <T>(xs: ArrayLike<T>) => xs[Math.floor(rnd() * xs.length)];
  const sites = Array.from({ length: 60 }, () => ({
    chrom: pick(['chr1', 'chr1', 'chr2', 'vector']),
    pos: 1000 + Math.floor(rnd() * 7000) * (rnd() < 0.5 ? 1 : 100),
    reverse: rnd() < 0.5,
  }));
  // 21 bases and a lowercase letter: text keys; 20 bases: the longest numeric key
  const special = ['ACGTACGTACGTACGTACGTA', 'ACGTaCGTAC', 'TTTTACGTACGTACGTACGT'];
  const random10 = () =>
    Array.from({ length: 10 }, () => pick(BASES.slice(0, rnd() < 0.1 ? 5 : 4))).join('');
  const umis = [...special, ...Array.from({ length: 37 }, random10)];
  return Array.from({ length: n }, (_, i) => {
    const site = pick(sites);
    const clip = pick([0, 0, 0, 2, 5, 8]);
    const cigar = clip ? `${clip}S${150 - clip}M` : '150M';
    const fragment = 200 + Math.floor(rnd() * 6) * 40;
    const mutate = (s: string) => [...s].map((b) => (rnd() < 0.15 ? pick(BASES) : b)).join('');
    const fivePrime = rnd() < 0.85 ? mutate('TAGCA') : mutate('GGTTC');
    const umi = rnd() < 0.97 ? `_${pick(umis)}` : '';
    const pos = site.reverse ? site.pos - 149 : site.pos;
    const matePos = site.reverse ? pos + 150 - fragment : pos + fragment - 150;
    return {
      name: `r${i}${umi}`,
      chrom: site.chrom,
      pos,
      cigar,
      reverse: site.reverse,
      fivePrime,
      mapq: rnd() < 0.05 ? 3 : 60,
      matePos,
      mateCigar: '150M',
      tlen: site.reverse ? -fragment : fragment,
      extraFlags: rnd() < 0.02 ? 0x100 : 0,
    };
  });
}
