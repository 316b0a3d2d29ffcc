import { createRng, Rng } from '@qslam/fastq/random';
import { estimateCells } from './sonic-length';

/** Spearman correlation with average ranks for ties (computed independently of the estimator). */
function spearman(a: readonly number[], b: readonly number[]): number {
  const ranks = (values: readonly number[]): number[] => {
    const order = values.map((v, i) => [v, i]).sort((p, q) => p[0] - q[0]);
    const rank = new Array<number>(values.length);
    for (let i = 0; i < order.length;) {
      let j = i;
      while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
      for (let k = i; k <= j; k++) rank[order[k][1]] = (i + j) / 2 + 1;
      i = j + 1;
    }
    return rank;
  };
  const ra = ranks(a);
  const rb = ranks(b);
  const mean = (ra.length + 1) / 2;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < ra.length; i++) {
    num += (ra[i] - mean) * (rb[i] - mean);
    da += (ra[i] - mean) ** 2;
    db += (rb[i] - mean) ** 2;
  }
  return num / Math.sqrt(da * db);
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Few large clones, many single cells: 60 % 1, 25 % 2–5, 10 % 6–50, 4 % 51–500, 1 % 501–3000. */
function cloneSize(rng: Rng): number {
  const u = rng.next();
  if (u < 0.6) return 1;
  if (u < 0.85) return rng.int(2, 5);
  if (u < 0.95) return rng.int(6, 50);
  if (u < 0.99) return rng.int(51, 500);
  return rng.int(501, 3000);
}

interface Library {
  cells: number[];
  lengths: number[][];
}

/** Each cell gives one fragment; lengths from `drawLength`, kept within 40..1000 bp. */
function simulate(seed: string, sites: number, drawLength: (rng: Rng) => number): Library {
  const rng = createRng(seed);
  const cells: number[] = [];
  const lengths: number[][] = [];
  for (let i = 0; i < sites; i++) {
    const c = i < 10 ? rng.int(800, 3000) : cloneSize(rng); // always some saturated clones
    cells.push(c);
    const site: number[] = [];
    while (site.length < c) {
      const x = Math.round(drawLength(rng));
      if (x >= 40 && x <= 1000) site.push(x);
    }
    lengths.push(site);
  }
  return { cells, lengths };
}

const logNormalLength = (rng: Rng) => rng.logNormal(Math.log(250), 0.6);

/** Median relative error of `estimate` over the clones of at least `minCells`. */
function bigCloneError(lib: Library, estimate: readonly number[], minCells: number): number {
  const errors = lib.cells.flatMap((c, i) =>
    c >= minCells ? [Math.abs(estimate[i] - c) / c] : [],
  );
  return median(errors);
}

describe('estimateCells', () => {
  it('recovers the cells of simulated clones where distinct lengths saturate', () => {
    const lib = simulate('sonic-smooth', 1500, logNormalLength);
    const estimate = estimateCells(lib.lengths);
    const distinct = lib.lengths.map((l) => new Set(l).size);
    expect(estimate.converged).toBe(true);
    expect(spearman(estimate.cells, lib.cells)).toBeGreaterThanOrEqual(0.95);
    const ours = bigCloneError(lib, estimate.cells, 200);
    const raw = bigCloneError(lib, distinct, 200);
    expect(ours).toBeLessThan(0.06);
    expect(raw).toBeGreaterThan(0.2); // the saturation the estimate exists for
    expect(ours).toBeLessThan(raw / 4);
    estimate.cells.forEach((c, i) => {
      expect(c).toBeGreaterThanOrEqual(distinct[i]);
      expect(Number.isInteger(c)).toBe(true);
    });
    const total = estimate.lengthDistribution.reduce((s, e) => s + e.p, 0);
    expect(total).toBeCloseTo(1, 9);
    // The fitted φ has the simulated mode (log-normal median 250 → mode 250·e^{−0.36} ≈ 174).
    const mode = estimate.lengthDistribution.reduce((m, e) => (e.p > m.p ? e : m));
    expect(mode.length).toBeGreaterThan(130);
    expect(mode.length).toBeLessThan(230);
  });

  it('stays accurate on sparse data with a sharp block of short fragments (smoothing)', () => {
    const draw = (rng: Rng) =>
      rng.bool(0.3) ? 40 + rng.int(0, 30) : rng.logNormal(Math.log(400), 0.5);
    const lib = simulate('sonic-sparse', 100, draw);
    const smoothed = bigCloneError(lib, estimateCells(lib.lengths).cells, 100);
    const unsmoothed = bigCloneError(lib, estimateCells(lib.lengths, { bandwidth: 0 }).cells, 100);
    const distinct = bigCloneError(
      lib,
      lib.lengths.map((l) => new Set(l).size),
      100,
    );
    expect(smoothed).toBeLessThan(0.12);
    expect(smoothed).toBeLessThan(unsmoothed);
    expect(smoothed).toBeLessThan(distinct / 3);
  });

  it('returns θ at the root of each site’s score for the fitted φ', () => {
    const lib = simulate('sonic-score', 100, logNormalLength);
    const estimate = estimateCells(lib.lengths, { tolerance: 1e-10 });
    const phi = new Map(estimate.lengthDistribution.map((e) => [e.length, e.p]));
    const theta = estimate.theta!;
    lib.lengths.forEach((lengths, i) => {
      const seen = [...new Set(lengths)].map((x) => phi.get(x)!);
      // d/dθ Σ_seen log(1 − e^{−θφ}) − θ(1 − Σ_seen φ) = Σ φ/(e^{θφ} − 1) − (1 − Σ φ)
      const unseen = 1 - seen.reduce((s, p) => s + p, 0);
      const score = seen.reduce((s, p) => s + p / Math.expm1(theta[i] * p), 0) - unseen;
      expect(Math.abs(score)).toBeLessThan(1e-6 * (1 + seen.length / theta[i]));
    });
  });

  it('ignores repeated lengths and gives 0 cells to sites without fragments', () => {
    const estimate = estimateCells([[100, 100, 100], [], [100, 150, 200]]);
    const again = estimateCells([[100], [], [100, 150, 200]]);
    expect(estimate.cells).toEqual(again.cells);
    expect(estimate.cells[0]).toBeGreaterThanOrEqual(1);
    expect(estimate.cells[1]).toBe(0);
    expect(estimate.cells[2]).toBeGreaterThanOrEqual(3);
    // The site that showed every length of φ is estimated larger than the one that showed one.
    expect(estimate.theta![2]).toBeGreaterThan(3 * estimate.theta![0]);
  });

  it('handles no data at all', () => {
    expect(estimateCells([])).toMatchObject({ cells: [], lengthDistribution: [], converged: true });
    expect(estimateCells([[], []]).cells).toEqual([0, 0]);
  });

  it('rejects invalid lengths and bandwidths', () => {
    expect(() => estimateCells([[100, -5]])).toThrow(RangeError);
    expect(() => estimateCells([[100, NaN]])).toThrow(RangeError);
    expect(() => estimateCells([[100]], { bandwidth: -1 })).toThrow(RangeError);
  });

  it('reports non-convergence when stopped early', () => {
    const lib = simulate('sonic-early', 200, logNormalLength);
    const estimate = estimateCells(lib.lengths, { maxIterations: 1 });
    expect(estimate.iterations).toBe(1);
    expect(estimate.converged).toBe(false);
  });
});
