import { KnownSiteIndex, parseKnownSite } from './known-sites';

describe('KnownSiteIndex', () => {
  const lines = [
    'chr1\t999\t1000\tk1\t0\t+', // + site at 1000
    'chr1\t1004\t1005\tk2\t0\t+', // + site at 1005
    'chr1\t999\t1000\tk3\t0\t-', // - site at 1000
    'chr1\t1999\t2100\tk4\t0\t+', // interval 2000..2100
    'chr1\t4999\t5000\tk5', // no strand: both strands
  ];
  const index = new KnownSiteIndex(lines.map((l, i) => parseKnownSite(l, 'known.bed', i + 1)));

  it('counts known sites within d of the span, on the same strand', () => {
    // site at 1000 ([999,1000) → span 1000..1000)
    expect(index.countNear('chr1', '+', 1000, 1000, 0)).toBe(1);
    expect(index.countNear('chr1', '+', 1000, 1000, 4)).toBe(1);
    expect(index.countNear('chr1', '+', 1000, 1000, 5)).toBe(2);
    expect(index.countNear('chr1', '-', 1000, 1000, 5)).toBe(1);
    // merged span 1001..1003: 1000 is 1 bp away, 1005 is 2 bp away
    expect(index.countNear('chr1', '+', 1001, 1003, 0)).toBe(0);
    expect(index.countNear('chr1', '+', 1001, 1003, 1)).toBe(1);
    expect(index.countNear('chr1', '+', 1001, 1003, 2)).toBe(2);
  });

  it('uses the whole span of longer intervals and strandless sites on both strands', () => {
    expect(index.countNear('chr1', '+', 2050, 2050, 0)).toBe(1);
    expect(index.countNear('chr1', '+', 2105, 2105, 4)).toBe(0);
    expect(index.countNear('chr1', '+', 2105, 2105, 5)).toBe(1);
    expect(index.countNear('chr1', '+', 1995, 1995, 5)).toBe(1);
    expect(index.countNear('chr1', '-', 5000, 5000, 0)).toBe(1);
    expect(index.countNear('chr1', '+', 5000, 5000, 0)).toBe(1);
    expect(index.countNear('chr2', '+', 1000, 1000, 10)).toBe(0);
  });

  it('rejects a malformed line, naming file and line', () => {
    expect(() => parseKnownSite('chr1\t10\t5', 'known.bed', 3)).toThrow(
      'known.bed:3: bad BED start/end',
    );
    expect(() => parseKnownSite('chr1\t10\t11\tx\t0\t*', 'known.bed', 4)).toThrow(
      /known\.bed:4: bad strand/,
    );
  });
});
