import { createRng } from '@qslam/fastq/random';
import { cloneStatistics } from './clone-stats';

/** Gini by its definition: mean absolute difference over all ordered pairs / (2 × mean). */
function giniByPairs(values: number[]): number {
  const n = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  let sum = 0;
  for (const a of values) for (const b of values) sum += Math.abs(a - b);
  return sum / (2 * n * n * mean);
}

describe('cloneStatistics', () => {
  it('matches hand-computed values for 1, 1, 2, 4 (zeros ignored)', () => {
    const s = cloneStatistics([4, 0, 1, 2, 1, 0]);
    expect(s.sites).toBe(4);
    // −(2·⅛·ln⅛ + ¼·ln¼ + ½·ln½)
    expect(s.shannon).toBeCloseTo(0.25 * Math.log(8) + 0.25 * Math.log(4) + 0.5 * Math.log(2), 12);
    expect(s.simpson).toBeCloseTo(1 - (2 / 64 + 1 / 16 + 1 / 4), 12); // 0.65625
    expect(s.chao1).toBeCloseTo(4 + (2 * 1) / (2 * 2), 12); // F1 = 2, F2 = 1
    expect(s.gini).toBeCloseTo(0.3125, 12); // Σ|xi − xj| = 20 over 2·16·2
    expect(s.uc50).toBe(1); // 4 of 8
    expect(s.largest_clone_share).toBe(0.5);
  });

  it('gives zeros, never NaN, without sites', () => {
    for (const input of [[], [0, 0]]) {
      const s = cloneStatistics(input);
      expect(s).toEqual({
        sites: 0,
        shannon: 0,
        simpson: 0,
        chao1: 0,
        gini: 0,
        uc50: 0,
        largest_clone_share: 0,
      });
    }
  });

  it('handles one clone and equal clones', () => {
    expect(cloneStatistics([7])).toEqual({
      sites: 1,
      shannon: 0,
      simpson: 0,
      chao1: 1,
      gini: 0,
      uc50: 1,
      largest_clone_share: 1,
    });
    const equal = cloneStatistics([3, 3, 3, 3, 3]);
    expect(equal.shannon).toBeCloseTo(Math.log(5), 12);
    expect(equal.simpson).toBeCloseTo(0.8, 12);
    expect(equal.gini).toBeCloseTo(0, 12);
    expect(equal.uc50).toBe(3); // 2 × 3 = 6 < 7.5, 9 ≥ 7.5
    expect(equal.chao1).toBe(5); // no singletons
  });

  it('uses F2 + 1 so Chao1 stays finite without doubletons', () => {
    // 3 singletons, no doubletons: 4 + 3·2 / 2
    expect(cloneStatistics([1, 1, 1, 5]).chao1).toBe(7);
  });

  it('agrees with the pairwise Gini and a brute-force UC50 on random data', () => {
    const rng = createRng('clone-stats');
    for (let trial = 0; trial < 20; trial++) {
      const values = Array.from({ length: rng.int(1, 60) }, () => 1 + rng.geometric(0.2));
      const s = cloneStatistics(values);
      expect(s.gini).toBeCloseTo(giniByPairs(values), 10);
      const total = values.reduce((a, b) => a + b, 0);
      const descending = [...values].sort((a, b) => b - a);
      let k = 0;
      let sum = 0;
      while (sum * 2 < total) sum += descending[k++];
      expect(s.uc50).toBe(k);
      expect(s.largest_clone_share).toBe(descending[0] / total);
    }
  });

  it('rejects negative and non-finite abundances', () => {
    expect(() => cloneStatistics([1, -1])).toThrow(RangeError);
    expect(() => cloneStatistics([NaN])).toThrow(RangeError);
  });
});
