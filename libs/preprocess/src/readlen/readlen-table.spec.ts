// readlen.tsv and readlen.json from small pairs whose fractions are computed by hand.

import { LengthHistogram } from './length-histogram';
import {
  formatReadlenJson,
  formatReadlenTsv,
  pairLengthRange,
  summarizePair,
  TSV_COLUMNS,
} from './readlen-table';

function rows(tsv: string): string[][] {
  return tsv
    .trimEnd()
    .split('\n')
    .map((line) => line.split('\t'));
}

describe('formatReadlenTsv', () => {
  it('writes one row per length of both files with fractions of reads >= length', () => {
    // R1: 4 reads (2, 4, 4, 5); R2: 2 reads (3, 6). Shared range 2..6.
    const pair = { R1: LengthHistogram.of([4, 2, 5, 4]), R2: LengthHistogram.of([6, 3]) };
    expect(rows(formatReadlenTsv(pair))).toEqual([
      [...TSV_COLUMNS],
      ['2', '1', '0', '1.000000', '1.000000'],
      ['3', '0', '1', '0.750000', '1.000000'],
      ['4', '2', '0', '0.750000', '0.500000'],
      ['5', '1', '0', '0.250000', '0.500000'],
      ['6', '0', '1', '0.000000', '0.500000'],
    ]);
  });

  it('prints fractions with 6 decimals', () => {
    const pair = { R1: LengthHistogram.of([1, 2, 2]), R2: LengthHistogram.of([2]) };
    const table = rows(formatReadlenTsv(pair));
    expect(table[2]).toEqual(['2', '2', '1', '0.666667', '1.000000']);
  });

  it('writes NA fractions for an empty file and only the header when both are empty', () => {
    const pair = { R1: LengthHistogram.of([7, 8]), R2: new LengthHistogram() };
    expect(rows(formatReadlenTsv(pair)).slice(1)).toEqual([
      ['7', '1', '0', '1.000000', 'NA'],
      ['8', '1', '0', '0.500000', 'NA'],
    ]);
    const empty = { R1: new LengthHistogram(), R2: new LengthHistogram() };
    expect(formatReadlenTsv(empty)).toBe(TSV_COLUMNS.join('\t') + '\n');
    expect(pairLengthRange(empty)).toBeNull();
  });
});

describe('formatReadlenJson', () => {
  it('holds the statistics of R1 and R2 and parses back to the same values', () => {
    const pair = { R1: LengthHistogram.of([4, 2, 5, 4]), R2: LengthHistogram.of([6, 3]) };
    const stats = summarizePair(pair);
    const text = formatReadlenJson(stats);
    expect(JSON.parse(text)).toEqual(stats);
    expect(stats.R2).toEqual({
      reads: 2,
      bases: 9,
      min: 3,
      max: 6,
      mean: 4.5,
      median: 3,
      n50: 6,
      histogram: [
        [3, 1],
        [6, 1],
      ],
    });
    expect(text).toContain('[4, 2]');
  });
});
