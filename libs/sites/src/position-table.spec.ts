import { foldBreakpointJitter, FragmentSupport, PositionSupport } from './position-table';

function position(fragments: [number, number, Record<string, number>?][]): PositionSupport {
  const map = new Map<number, FragmentSupport>();
  for (const [bp, reads, umis] of fragments) {
    map.set(bp, { reads, umis: umis ? new Map(Object.entries(umis)) : null });
  }
  return {
    refId: 0,
    strand: '+',
    position: 1000,
    reads: fragments.reduce((n, f) => n + f[1], 0),
    fragments: map,
  };
}

const summary = (p: PositionSupport) =>
  [...p.fragments.entries()].map(([bp, f]) => [bp, f.reads] as const).sort((a, b) => a[0] - b[0]);

describe('foldBreakpointJitter', () => {
  it('folds a breakpoint 1-2 bp from a fragment carrying the same UMI into it', () => {
    // R2 started 2 bases early on one read of the molecule ACGTACGTAC (leftover linker bases)
    const p = position([
      [1300, 400, { ACGTACGTAC: 398, ACGTACGTAA: 2 }],
      [1298, 1, { ACGTACGTAC: 1 }],
      [1301, 1, { ACGTACGTTC: 1 }], // one UMI error away: still the molecule
    ]);
    foldBreakpointJitter(p, true);
    expect(summary(p)).toEqual([[1300, 402]]);
    expect(p.fragments.get(1300)!.umis!.get('ACGTACGTAC')).toBe(399);
  });

  it('keeps a neighbouring breakpoint of another molecule (other UMI), and breakpoints 3 bp away', () => {
    const p = position([
      [1300, 400, { ACGTACGTAC: 400 }],
      [1301, 3, { TTTTGGGGCC: 3 }], // another cell sheared 1 bp away
      [1303, 1, { ACGTACGTAC: 1 }], // 3 bp: not jitter
    ]);
    foldBreakpointJitter(p, true);
    expect(summary(p)).toEqual([
      [1300, 400],
      [1301, 3],
      [1303, 1],
    ]);
  });

  it('without UMIs folds only a breakpoint with at most a tenth of the reads', () => {
    const p = position([
      [1300, 100],
      [1299, 10], // 100 >= 10 x 10: folded
      [1500, 50],
      [1502, 6], // 50 < 60: two cells
    ]);
    foldBreakpointJitter(p, false);
    expect(summary(p)).toEqual([
      [1300, 110],
      [1500, 50],
      [1502, 6],
    ]);
  });

  it('leaves a single fragment alone', () => {
    const p = position([[1300, 5]]);
    foldBreakpointJitter(p, false);
    expect(summary(p)).toEqual([[1300, 5]]);
  });
});
