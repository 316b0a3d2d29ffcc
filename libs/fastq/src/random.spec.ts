// PRNG tests: determinism per seed, ranges, and the first moments of each distribution.

import { createRng } from './random';

function draws(seed: number | string, n: number): number[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => rng.next());
}

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

function variance(xs: number[]): number {
  const m = mean(xs);
  return xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1);
}

describe('Rng', () => {
  it('is deterministic per seed and differs between seeds', () => {
    expect(draws(42, 100)).toEqual(draws(42, 100));
    expect(draws('abc', 10)).toEqual(draws('abc', 10));
    expect(draws(42, 10)).not.toEqual(draws(43, 10));
    expect(draws(2 ** 32 + 1, 10)).not.toEqual(draws(1, 10));
  });

  it('next() is uniform in [0, 1)', () => {
    const xs = draws(1, 20000);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(mean(xs)).toBeCloseTo(0.5, 1);
  });

  it('int() covers [lo, hi] inclusive and nothing else', () => {
    const rng = createRng(2);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) seen.add(rng.int(-2, 3));
    expect([...seen].sort((a, b) => a - b)).toEqual([-2, -1, 0, 1, 2, 3]);
    expect(() => rng.int(3, 2)).toThrow(RangeError);
  });

  it('pick() and shuffle() use every element', () => {
    const rng = createRng(3);
    const items = ['a', 'b', 'c'];
    const picked = new Set(Array.from({ length: 100 }, () => rng.pick(items)));
    expect(picked.size).toBe(3);
    const shuffled = rng.shuffle(Array.from({ length: 50 }, (_, i) => i));
    expect([...shuffled].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(shuffled).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('normal() has the requested mean and sd', () => {
    const rng = createRng(4);
    const xs = Array.from({ length: 20000 }, () => rng.normal(10, 2));
    expect(mean(xs)).toBeCloseTo(10, 1);
    expect(Math.sqrt(variance(xs))).toBeCloseTo(2, 1);
  });

  it.each([0.5, 4, 29, 30, 250])('poisson(%d) has mean and variance lambda', (lambda) => {
    const rng = createRng(5);
    const xs = Array.from({ length: 20000 }, () => rng.poisson(lambda));
    expect(xs.every((x) => Number.isInteger(x) && x >= 0)).toBe(true);
    expect(Math.abs(mean(xs) - lambda)).toBeLessThan(0.05 * lambda + 0.02);
    expect(Math.abs(variance(xs) - lambda)).toBeLessThan(0.1 * lambda + 0.05);
  });

  it('geometric(p) has mean (1-p)/p', () => {
    const rng = createRng(6);
    const xs = Array.from({ length: 20000 }, () => rng.geometric(0.2));
    expect(mean(xs)).toBeCloseTo(4, 0);
    expect(rng.geometric(0)).toBe(Infinity);
  });

  it('fork() gives reproducible independent streams', () => {
    const a = createRng(7).fork('x');
    const b = createRng(7).fork('x');
    const c = createRng(7).fork('y');
    const va = [a.next(), a.next()];
    expect([b.next(), b.next()]).toEqual(va);
    expect([c.next(), c.next()]).not.toEqual(va);
  });
});
