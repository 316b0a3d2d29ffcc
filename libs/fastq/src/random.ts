// Small seeded pseudo-random number generator for simulations and tests.
//
// xoshiro128** (Blackman & Vigna) on 32-bit integers with Math.imul: fast, good statistical
// quality, and fully reproducible on every platform for a given seed, unlike Math.random. The
// 128-bit state is filled from the seed with splitmix32, so nearby seeds give unrelated streams;
// string seeds are hashed with FNV-1a. `fork(label)` derives an independent generator, which lets
// a simulator give each concern (sites, fragments, reads) its own stream so that changing how
// many numbers one part draws does not shift every other part. The distribution helpers are the
// ones a sequencing simulator needs: uniform, normal (Box–Muller), log-normal, geometric and
// Poisson (Knuth for small means, Hörmann's PTRS rejection sampler for large ones).

export type Seed = number | string;

function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Folds any seed into 32 bits: strings are hashed, numbers keep their high bits too. */
function seedToUint32(seed: Seed): number {
  if (typeof seed === 'string') return hashString(seed);
  if (!Number.isFinite(seed)) throw new RangeError(`invalid seed ${seed}`);
  const high = Math.floor(seed / 4294967296);
  return (seed ^ Math.imul(high, 0x9e3779b1)) >>> 0;
}

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** log(Γ(x)) for x > 0 (Lanczos approximation, g = 7). */
function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
    -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
    1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spareNormal: number | null = null;

  constructor(readonly seed: Seed) {
    const mix = splitmix32(seedToUint32(seed));
    this.s0 = mix();
    this.s1 = mix();
    this.s2 = mix();
    this.s3 = mix();
  }

  /** Next raw 32-bit unsigned integer. */
  uint32(): number {
    const s1 = this.s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** Uniform integer in [lo, hi], both inclusive. */
  int(lo: number, hi: number): number {
    if (hi < lo) throw new RangeError(`int(${lo}, ${hi}): empty range`);
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** True with probability p. */
  bool(p = 0.5): boolean {
    return this.next() < p;
  }

  /** A uniformly chosen element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick() from an empty array');
    return items[Math.floor(this.next() * items.length)];
  }

  /** Normal deviate (Box–Muller, the second value of each pair is kept for the next call). */
  normal(mean = 0, sd = 1): number {
    if (this.spareNormal !== null) {
      const z = this.spareNormal;
      this.spareNormal = null;
      return mean + sd * z;
    }
    const u = 1 - this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return mean + sd * r * Math.cos(2 * Math.PI * v);
  }

  /** exp(normal(meanLog, sdLog)). */
  logNormal(meanLog: number, sdLog: number): number {
    return Math.exp(this.normal(meanLog, sdLog));
  }

  /** Number of failures before the first success of Bernoulli(p) trials (0, 1, 2, ...). */
  geometric(p: number): number {
    if (p >= 1) return 0;
    if (p <= 0) return Infinity;
    return Math.floor(Math.log(1 - this.next()) / Math.log(1 - p));
  }

  /** Poisson deviate with mean `lambda`. */
  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda < 30) {
      const limit = Math.exp(-lambda);
      let k = 0;
      for (let p = this.next(); p > limit; p *= this.next()) k++;
      return k;
    }
    return this.poissonPtrs(lambda);
  }

  /** Fisher–Yates shuffle in place; returns the same array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }

  /** An independent generator derived from this one's seed and a label (does not advance this). */
  fork(label: string | number): Rng {
    return new Rng(`${String(this.seed)}/${String(label)}`);
  }

  /** Hörmann (1993) transformed rejection with squeeze, for lambda >= 10. */
  private poissonPtrs(lambda: number): number {
    const slam = Math.sqrt(lambda);
    const logLam = Math.log(lambda);
    const b = 0.931 + 2.53 * slam;
    const a = -0.059 + 0.02483 * b;
    const invAlpha = 1.1239 + 1.1328 / (b - 3.4);
    const vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      const u = this.next() - 0.5;
      const v = this.next();
      const us = 0.5 - Math.abs(u);
      const k = Math.floor(((2 * a) / us + b) * u + lambda + 0.43);
      if (us >= 0.07 && v <= vr) return k;
      if (k < 0 || (us < 0.013 && v > us)) continue;
      const lhs = Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b);
      if (lhs <= -lambda + k * logLam - logGamma(k + 1)) return k;
    }
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** A new generator for `seed`. */
export function createRng(seed: Seed): Rng {
  return new Rng(seed);
}
