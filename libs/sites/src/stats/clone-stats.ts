// Clone statistics of one abundance measure (fragments or UMIs) over the kept sites.
//
// Input: one abundance a_i per site (a count, so a_i ≥ 0; zeros are ignored). With the n sites of
// positive abundance, total A = Σ a_i and shares p_i = a_i / A:
// - sites: n, the number of sites with a_i > 0.
// - shannon: H = −Σ p_i ln p_i (natural log; 0 for one site, ln n when all are equal).
// - simpson: Simpson's diversity 1 − Σ p_i² (the chance that two fragments drawn with replacement
//   come from different clones; 0 for one site).
// - chao1: bias-corrected Chao1 richness S_obs + F1(F1 − 1) / (2(F2 + 1)), with S_obs = n, F1 the
//   number of sites of abundance exactly 1 and F2 of exactly 2 (Chao 1987; the bias-corrected
//   form of Chao 2005 that stays finite when F2 = 0).
// - gini: Gini coefficient over the n sites, with a_(1) ≤ … ≤ a_(n) sorted ascending:
//   G = 2 Σ i·a_(i) / (n·A) − (n + 1) / n (0 = all clones equal, towards 1 = one clone holds all;
//   0 for a single site).
// - uc50: the smallest number of the largest clones whose abundances together reach at least 50 %
//   of A (Σ of the k largest ≥ A / 2).
// - largest_clone_share: max a_i / A (0..1).
// No sites (or only zeros) gives all zeros, never NaN. Negative or non-finite abundances are a
// caller bug and throw a RangeError.

import { CloneStatistics } from '../types';

const EMPTY: CloneStatistics = {
  sites: 0,
  shannon: 0,
  simpson: 0,
  chao1: 0,
  gini: 0,
  uc50: 0,
  largest_clone_share: 0,
};

function positiveAbundances(abundances: readonly number[]): number[] {
  const kept: number[] = [];
  for (const a of abundances) {
    if (!Number.isFinite(a) || a < 0) {
      throw new RangeError(`clone abundance must be a finite number ≥ 0, got ${a}`);
    }
    if (a > 0) kept.push(a);
  }
  return kept;
}

/** Chao1 with the bias correction, from the singleton and doubleton counts. */
function chao1(sorted: readonly number[]): number {
  let f1 = 0;
  let f2 = 0;
  for (const a of sorted) {
    if (a === 1) f1++;
    else if (a === 2) f2++;
  }
  return sorted.length + (f1 * (f1 - 1)) / (2 * (f2 + 1));
}

/** Gini coefficient of abundances sorted ascending. */
function gini(ascending: readonly number[], total: number): number {
  const n = ascending.length;
  let weighted = 0;
  for (let i = 0; i < n; i++) weighted += (i + 1) * ascending[i];
  // Clamp rounding noise (e.g. -1e-17 for equal clones).
  return Math.max(0, (2 * weighted) / (n * total) - (n + 1) / n);
}

/** Number of largest clones needed to reach half of the total. */
function uc50(ascending: readonly number[], total: number): number {
  let cumulative = 0;
  for (let k = 1; k <= ascending.length; k++) {
    cumulative += ascending[ascending.length - k];
    if (cumulative * 2 >= total) return k;
  }
  return ascending.length;
}

/** All clone statistics of one abundance vector (see the module comment for the formulas). */
export function cloneStatistics(abundances: readonly number[]): CloneStatistics {
  const ascending = positiveAbundances(abundances).sort((a, b) => a - b);
  if (ascending.length === 0) return { ...EMPTY };
  const total = ascending.reduce((sum, a) => sum + a, 0);
  let shannon = 0;
  let sumSquares = 0;
  for (const a of ascending) {
    const p = a / total;
    shannon -= p * Math.log(p);
    sumSquares += p * p;
  }
  return {
    sites: ascending.length,
    shannon: Math.max(0, shannon),
    simpson: Math.max(0, 1 - sumSquares),
    chao1: chao1(ascending),
    gini: gini(ascending, total),
    uc50: uc50(ascending, total),
    largest_clone_share: ascending[ascending.length - 1] / total,
  };
}
