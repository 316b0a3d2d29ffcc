// The two text outputs of the readlen tool, built as strings by pure functions.
//
// readlen.tsv has one row per length from the shortest to the longest read of either file, so R1
// and R2 share the rows even when their ranges differ (a length a file lacks counts 0 reads).
// Fractions are printed with 6 decimals; a file without reads has no fraction and prints NA.
// readlen.json holds ReadLengthStats per file; its histogram lists observed lengths only.

import { LengthHistogram } from './length-histogram';
import { readsAtLeast, ReadLengthStats, summarizeLengths } from './length-stats';

/** The read files of a pair, in output order. */
export const READ_FILES = ['R1', 'R2'] as const;
export type ReadFile = (typeof READ_FILES)[number];
export type PairHistograms = Record<ReadFile, LengthHistogram>;

export const TSV_COLUMNS = [
  'length',
  'R1_reads',
  'R2_reads',
  'R1_fraction_ge',
  'R2_fraction_ge',
] as const;

const FRACTION_DECIMALS = 6;

/** [shortest, longest] read length over both files, or null when both are empty. */
export function pairLengthRange(pair: PairHistograms): [number, number] | null {
  const mins = READ_FILES.map((f) => pair[f].min).filter((v): v is number => v !== null);
  const maxes = READ_FILES.map((f) => pair[f].max).filter((v): v is number => v !== null);
  if (mins.length === 0) return null;
  return [Math.min(...mins), Math.max(...maxes)];
}

function formatFraction(part: number, whole: number): string {
  return whole === 0 ? 'NA' : (part / whole).toFixed(FRACTION_DECIMALS);
}

/** readlen.tsv: header plus one row per length of the pair's range, newline-terminated. */
export function formatReadlenTsv(pair: PairHistograms): string {
  const lines = [TSV_COLUMNS.join('\t')];
  const range = pairLengthRange(pair);
  if (range !== null) {
    const [from, to] = range;
    const atLeast = READ_FILES.map((f) => readsAtLeast(pair[f], from, to));
    for (let length = from; length <= to; length++) {
      const i = length - from;
      lines.push(
        [
          length,
          pair.R1.count(length),
          pair.R2.count(length),
          formatFraction(atLeast[0][i], pair.R1.reads),
          formatFraction(atLeast[1][i], pair.R2.reads),
        ].join('\t'),
      );
    }
  }
  return lines.join('\n') + '\n';
}

/** The statistics of both files, keyed R1 and R2 (the content of readlen.json). */
export function summarizePair(pair: PairHistograms): Record<ReadFile, ReadLengthStats> {
  return { R1: summarizeLengths(pair.R1), R2: summarizeLengths(pair.R2) };
}

/**
 * readlen.json text. Each [length, count] pair stays on one line so that a histogram of a few
 * hundred lengths remains readable instead of taking three lines per entry.
 */
export function formatReadlenJson(stats: Record<ReadFile, ReadLengthStats>): string {
  const text = JSON.stringify(stats, null, 2);
  return text.replace(/\[\s+(\d+),\s+(\d+)\s+\]/g, '[$1, $2]') + '\n';
}
