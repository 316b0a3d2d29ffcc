// Report counting: distinct UMIs, UMIs with ambiguous bases, and the ranking of the top list.

import { parseUmiPattern } from './umi-pattern';
import { UmiTally, hasAmbiguousBase, topUmis } from './umi-report';

describe('UmiTally.report', () => {
  it('counts pairs, distinct UMIs and N-containing UMIs per pair', () => {
    const tally = new UmiTally();
    const written = ['AAAA', 'CCCC', 'AAAA', 'ACNA', 'ACNA', 'GGGG'];
    for (const umi of written) tally.addWritten(umi);
    tally.processed = written.length + 2;
    tally.tooShort = 2;
    expect(tally.report(parseUmiPattern('NNNNXX'), 'R2', 3)).toEqual({
      reads_processed: 8,
      reads_written: 6,
      too_short: 2,
      umi_read: 'R2',
      umi_pattern: 'NNNNXX',
      umi_length: 4,
      distinct_umis: 4,
      umis_with_n: 2,
      fraction_with_n: 2 / 6,
      top_umis: [
        { umi: 'AAAA', count: 2 },
        { umi: 'ACNA', count: 2 },
        { umi: 'CCCC', count: 1 },
      ],
    });
  });

  it('reports zeros, not NaN, when nothing was written', () => {
    const report = new UmiTally().report(parseUmiPattern('NNN'), 'R1', 20);
    expect(report.fraction_with_n).toBe(0);
    expect(report.top_umis).toEqual([]);
  });
});

describe('topUmis', () => {
  it('ranks by count, then alphabetically, and equals a full sort', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 500; i++) counts.set(`U${(i * 7919) % 1000}`, (i * 31) % 17);
    const sorted = [...counts]
      .map(([umi, count]) => ({ umi, count }))
      .sort((a, b) => b.count - a.count || a.umi.localeCompare(b.umi));
    expect(topUmis(counts, 20)).toEqual(sorted.slice(0, 20));
    expect(topUmis(counts, 1000)).toEqual(sorted);
    expect(topUmis(counts, 0)).toEqual([]);
  });
});

describe('hasAmbiguousBase', () => {
  it('is true for anything but A, C, G, T in either case', () => {
    expect(hasAmbiguousBase('ACGTacgt')).toBe(false);
    expect(hasAmbiguousBase('ACGN')).toBe(true);
    expect(hasAmbiguousBase('nACG')).toBe(true);
    expect(hasAmbiguousBase('AC.G')).toBe(true);
  });
});
