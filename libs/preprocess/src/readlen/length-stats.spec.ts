// Statistics on hand-computed examples: mean, lower-middle median, N50 and reads >= L.

import { LengthHistogram } from './length-histogram';
import { medianLength, n50Length, readsAtLeast, summarizeLengths } from './length-stats';

describe('LengthHistogram', () => {
  it('counts lengths, reads and bases and lists observed lengths in order', () => {
    const h = LengthHistogram.of([5, 3, 5, 0, 9]);
    expect(h.reads).toBe(5);
    expect(h.bases).toBe(22);
    expect([h.min, h.max]).toEqual([0, 9]);
    expect(h.count(5)).toBe(2);
    expect(h.count(4)).toBe(0);
    expect(h.count(10_000)).toBe(0);
    expect(h.entries()).toEqual([
      [0, 1],
      [3, 1],
      [5, 2],
      [9, 1],
    ]);
  });

  it('grows past its initial capacity without losing counts', () => {
    const h = LengthHistogram.of([10, 100_000, 10, 2_000]);
    expect(h.entries()).toEqual([
      [10, 2],
      [2_000, 1],
      [100_000, 1],
    ]);
  });

  it('rejects lengths that are not non-negative integers', () => {
    const h = new LengthHistogram();
    expect(() => h.add(-1)).toThrow(RangeError);
    expect(() => h.add(1.5)).toThrow(RangeError);
  });
});

describe('summary statistics', () => {
  it('computes mean, median and N50 of an odd number of reads', () => {
    // lengths 2 3 4 5 6: 20 bases, half = 10; 6 + 5 = 11 >= 10, so N50 = 5.
    const s = summarizeLengths(LengthHistogram.of([6, 2, 5, 3, 4]));
    expect(s).toEqual({
      reads: 5,
      bases: 20,
      min: 2,
      max: 6,
      mean: 4,
      median: 4,
      n50: 5,
      histogram: [
        [2, 1],
        [3, 1],
        [4, 1],
        [5, 1],
        [6, 1],
      ],
    });
  });

  it('takes the lower middle read as the median of an even number of reads', () => {
    expect(medianLength(LengthHistogram.of([10, 20, 30, 40]))).toBe(20);
    expect(medianLength(LengthHistogram.of([1, 100]))).toBe(1);
    expect(medianLength(LengthHistogram.of([7, 7, 9, 9]))).toBe(7);
  });

  it('finds N50 where one long read holds half of the bases', () => {
    // 100 + 10 * 10 = 200 bases; reads >= 100 hold exactly half, which is enough.
    const h = LengthHistogram.of([100, ...Array<number>(10).fill(10)]);
    expect(n50Length(h)).toBe(100);
    expect(medianLength(h)).toBe(10);
    expect(summarizeLengths(h).mean).toBeCloseTo(200 / 11, 12);
  });

  it('finds N50 below the longest length when long reads hold less than half', () => {
    // 150 + 2 * 100 + 3 * 50 = 500 bases, half 250: 150 → 150, + 200 at 100 → 350 >= 250.
    expect(n50Length(LengthHistogram.of([150, 100, 100, 50, 50, 50]))).toBe(100);
    // 150 + 100 + 6 * 50 = 550, half 275: 150, 250, then 550 at 50.
    expect(n50Length(LengthHistogram.of([150, 100, 50, 50, 50, 50, 50, 50]))).toBe(50);
  });

  it('gives nulls and zeros for an empty file', () => {
    expect(summarizeLengths(new LengthHistogram())).toEqual({
      reads: 0,
      bases: 0,
      min: null,
      max: null,
      mean: null,
      median: null,
      n50: null,
      histogram: [],
    });
  });

  it('handles zero-length reads (e.g. fully trimmed)', () => {
    const s = summarizeLengths(LengthHistogram.of([0, 0, 0, 4]));
    expect([s.min, s.median, s.n50, s.mean]).toEqual([0, 0, 4, 1]);
  });
});

describe('readsAtLeast', () => {
  it('counts reads with length >= L over any range, including beyond the data', () => {
    const h = LengthHistogram.of([3, 5, 5, 8]);
    expect(readsAtLeast(h, 1, 10)).toEqual([4, 4, 4, 3, 3, 1, 1, 1, 0, 0]);
    expect(readsAtLeast(h, 6, 7)).toEqual([1, 1]);
    expect(readsAtLeast(new LengthHistogram(), 1, 3)).toEqual([0, 0, 0]);
  });
});
