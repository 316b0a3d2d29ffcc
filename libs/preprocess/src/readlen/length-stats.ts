// Summary statistics of one read-length histogram, computed from the counts alone.
//
// Definitions (the lab's reports rely on them, so they are fixed here and tested):
// - median: the lower middle length. With n reads sorted by length it is the length of read
//   ceil(n / 2) (1-based), so it is always an observed length; for an even n this is the lower
//   of the two middle reads, not their mean.
// - N50: the largest length L such that reads of length >= L hold at least half of all bases.
// - fraction_ge(L): the fraction of reads whose length is >= L.
// For an empty file the counts are 0 and every length statistic is null.

import { LengthHistogram } from './length-histogram';

export interface ReadLengthStats {
  reads: number;
  bases: number;
  min: number | null;
  max: number | null;
  mean: number | null;
  median: number | null;
  n50: number | null;
  /** [length, count] for every observed length, ascending. */
  histogram: Array<[number, number]>;
}

/** Lower-middle median of the read lengths (see the module header), or null when empty. */
export function medianLength(histogram: LengthHistogram): number | null {
  const max = histogram.max;
  if (max === null) return null;
  const rank = Math.ceil(histogram.reads / 2);
  let seen = 0;
  for (let length = 0; length <= max; length++) {
    seen += histogram.count(length);
    if (seen >= rank) return length;
  }
  return max;
}

/** N50 of the read lengths (see the module header), or null when empty. */
export function n50Length(histogram: LengthHistogram): number | null {
  const max = histogram.max;
  if (max === null) return null;
  let basesAtLeast = 0;
  for (let length = max; length >= 0; length--) {
    basesAtLeast += length * histogram.count(length);
    if (2 * basesAtLeast >= histogram.bases) return length;
  }
  return 0;
}

/** All summary statistics of one file. */
export function summarizeLengths(histogram: LengthHistogram): ReadLengthStats {
  const empty = histogram.reads === 0;
  return {
    reads: histogram.reads,
    bases: histogram.bases,
    min: histogram.min,
    max: histogram.max,
    mean: empty ? null : histogram.bases / histogram.reads,
    median: medianLength(histogram),
    n50: n50Length(histogram),
    histogram: histogram.entries(),
  };
}

/**
 * Number of reads with length >= L for every L in [from, to], as an array indexed by L - from.
 * One pass from the top, so the cost is the length range, not the number of reads.
 */
export function readsAtLeast(histogram: LengthHistogram, from: number, to: number): number[] {
  const out = new Array<number>(Math.max(0, to - from + 1)).fill(0);
  let atLeast = 0;
  const max = histogram.max ?? -1;
  for (let length = Math.max(max, to); length >= from; length--) {
    atLeast += histogram.count(length);
    if (length <= to) out[length - from] = atLeast;
  }
  return out;
}
