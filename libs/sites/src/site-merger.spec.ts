import { PositionTable } from './position-table';
import { mergeSites, positionStats } from './site-merger';

/** Adds `reads` reads at (chr 0, strand, position) spread over the given breakpoints and UMIs. */
function build(entries: [string, number, number[], string[]?][], withUmis = false) {
  const t = new PositionTable(withUmis);
  for (const [strand, position, breakpoints, umis] of entries) {
    breakpoints.forEach((breakpoint, i) =>
      t.add({ refId: 0, strand: strand as '+' | '-', position, breakpoint }, umis ? umis[i] : null),
    );
  }
  return positionStats(t.sorted(), withUmis);
}

describe('mergeSites', () => {
  // + strand: 100 (2 fragments, 3 reads), 101 (3 fragments), 104 (1 fragment, 10 reads), 110 (1)
  const stats = build([
    ['+', 100, [600, 700, 700]],
    ['+', 101, [650, 750, 850]],
    ['+', 104, Array(10).fill(900)],
    ['+', 110, [1000]],
    ['-', 102, [1, 2, 3, 4]],
  ]);

  it('d=0 merges nothing', () => {
    expect(
      mergeSites(stats, 0, false).map((s) => [
        s.strand,
        s.position,
        s.start,
        s.end,
        s.fragments,
        s.reads,
      ]),
    ).toEqual([
      ['+', 100, 99, 100, 2, 3],
      ['+', 101, 100, 101, 3, 3],
      ['+', 104, 103, 104, 1, 10],
      ['+', 110, 109, 110, 1, 1],
      ['-', 102, 101, 102, 4, 4],
    ]);
  });

  it('d=1 joins adjacent positions at the best-supported one, never across strands', () => {
    expect(
      mergeSites(stats, 1, false).map((s) => [
        s.strand,
        s.position,
        s.start,
        s.end,
        s.fragments,
        s.reads,
      ]),
    ).toEqual([
      ['+', 101, 99, 101, 5, 6],
      ['+', 104, 103, 104, 1, 10],
      ['+', 110, 109, 110, 1, 1],
      ['-', 102, 101, 102, 4, 4],
    ]);
  });

  it('d=5 chains 100-101-104 (gaps 1 and 3) but not 110 (gap 6); fragments are distinct breakpoints', () => {
    const merged = mergeSites(stats, 5, false);
    expect(merged.map((s) => [s.strand, s.position, s.start, s.end, s.fragments, s.reads])).toEqual(
      [
        ['+', 101, 99, 104, 6, 16],
        ['+', 110, 109, 110, 1, 1],
        ['-', 102, 101, 102, 4, 4],
      ],
    );
    // lengths |bp - pos| + 1 per position: 100: 501, 601; 101: 550, 650, 750; 104: 797
    expect([...merged[0].lengths].sort((a, b) => a - b)).toEqual([501, 550, 601, 650, 750, 797]);
  });

  it('breaks ties by UMIs, then reads, then the lowest position; UMIs are clustered over the union', () => {
    const s = build(
      [
        ['+', 200, [1, 2], ['AAAA', 'CCCC']],
        ['+', 201, [3, 4], ['AAAT', 'GGGG']],
        ['+', 203, [5, 6, 6], ['TTTT', 'TTTA', 'ACAC']],
      ],
      true,
    );
    // fragments 2 / 2 / 2; UMIs 2 / 2 / 3 (TTTT:1 and TTTA:1 join, ACAC apart → 2)
    expect(s.map((p) => p.umis)).toEqual([2, 2, 2]);
    // all tied on fragments and UMIs; 203 has 3 reads
    const [site] = mergeSites(s, 3, true);
    expect(site.position).toBe(203);
    // union: AAAA:1, AAAT:1 (join), CCCC, GGGG, TTTT+TTTA (join), ACAC → 5
    expect(site.umis).toBe(5);
    expect(site.fragments).toBe(6);
    const tie = build([
      ['+', 300, [1]],
      ['+', 302, [2]],
    ]);
    expect(mergeSites(tie, 2, false)[0].position).toBe(300);
  });
});
