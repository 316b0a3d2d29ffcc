// Nice axis ticks and their labels.

import { formatCount, formatTick, niceTicks } from './chart-ticks';

describe('niceTicks', () => {
  it('widens the range to whole steps of 1, 2 or 5 times a power of ten', () => {
    expect(niceTicks(29.5, 150.5, 8, true)).toEqual({
      domain: [20, 160],
      step: 20,
      ticks: [20, 40, 60, 80, 100, 120, 140, 160],
    });
    expect(niceTicks(0, 12276, 5, true).ticks).toEqual([0, 5000, 10000, 15000]);
    expect(niceTicks(0, 1, 5).ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });

  it('keeps integer axes at integer steps and pads an empty range', () => {
    expect(niceTicks(149.5, 150.5, 8, true)).toEqual({
      domain: [149, 151],
      step: 1,
      ticks: [149, 150, 151],
    });
    expect(niceTicks(150, 150, 8, true).ticks).toEqual([149, 150, 151]);
    expect(niceTicks(0, 0, 5).domain[1]).toBeGreaterThan(0);
  });
});

describe('tick labels', () => {
  it('uses k and M suffixes for large axes and decimals only where the step needs them', () => {
    expect(formatTick(0, 5000, 15000)).toBe('0');
    expect(formatTick(5000, 5000, 15000)).toBe('5k');
    expect(formatTick(1_500_000, 500_000, 2_000_000)).toBe('1.5M');
    expect(formatTick(2_000_000, 500_000, 2_000_000)).toBe('2.0M');
    expect(formatTick(140, 20, 160)).toBe('140');
    expect(formatTick(0.4, 0.2, 1)).toBe('0.4');
  });

  it('formats counts with thousands separators', () => {
    expect(formatCount(1_000_000)).toBe('1,000,000');
    expect(formatCount(999)).toBe('999');
  });
});
