import { collapseFragmentUmis, countDirectionalClusters } from './umi-clusters';

const counts = (o: Record<string, number>) => new Map(Object.entries(o));

describe('countDirectionalClusters (umi_tools directional)', () => {
  it('absorbs a 1-mismatch UMI only when count(a) >= 2*count(b) - 1', () => {
    // AAAA(10) -> AAAT(4): 10 >= 7; AAAA -> AAAG(6): 10 < 11; AAAG(6) -> AAAT(4): 6 < 7
    expect(countDirectionalClusters(counts({ AAAA: 10, AAAT: 4, AAAG: 6 }))).toBe(2);
  });

  it('follows edges transitively from the largest UMI', () => {
    // AAAA(20) -> AAAT(5) -> AATT(2): one molecule; CCCC is far from all
    expect(countDirectionalClusters(counts({ AAAA: 20, AAAT: 5, AATT: 2, CCCC: 1 }))).toBe(2);
  });

  it('keeps equal-count neighbours apart unless both are singletons', () => {
    expect(countDirectionalClusters(counts({ AAAA: 3, AAAT: 3 }))).toBe(2);
    // 1 >= 2*1 - 1: two singletons one mismatch apart are one molecule, as in umi_tools
    expect(countDirectionalClusters(counts({ AAAA: 1, AAAT: 1 }))).toBe(1);
  });

  it('does not join UMIs two mismatches apart, and handles N as a base', () => {
    expect(countDirectionalClusters(counts({ AAAA: 10, AATT: 1 }))).toBe(2);
    expect(countDirectionalClusters(counts({ AAAA: 10, AANA: 1 }))).toBe(1);
    expect(countDirectionalClusters(new Map())).toBe(0);
  });

  it('agrees with an all-pairs implementation on random data', () => {
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 20; round++) {
      const m = new Map<string, number>();
      for (let i = 0; i < 40; i++) {
        const umi = Array.from({ length: 4 }, () => 'ACGT'[Math.floor(rand() * 4)]).join('');
        m.set(umi, (m.get(umi) ?? 0) + 1 + Math.floor(rand() * 5));
      }
      expect(countDirectionalClusters(m)).toBe(allPairsClusters(m));
    }
  });
});

/** Reference: umi_tools' algorithm with an O(n²) adjacency and independent BFS per component. */
function allPairsClusters(m: Map<string, number>): number {
  const umis = [...m.keys()];
  const hamming = (a: string, b: string) => [...a].filter((c, i) => c !== b[i]).length;
  const adj = new Map(
    umis.map((a) => [
      a,
      umis.filter((b) => b !== a && hamming(a, b) === 1 && m.get(a)! >= 2 * m.get(b)! - 1),
    ]),
  );
  const found = new Set<string>();
  let n = 0;
  for (const u of [...umis].sort((a, b) => m.get(b)! - m.get(a)!)) {
    if (found.has(u)) continue;
    n++;
    const seen = new Set([u]);
    const queue = [u];
    while (queue.length > 0) {
      for (const v of adj.get(queue.shift()!)!) {
        if (!seen.has(v)) {
          seen.add(v);
          queue.push(v);
        }
      }
    }
    seen.forEach((v) => found.add(v));
  }
  return n;
}

describe('collapseFragmentUmis (within one fragment, up to 2 mismatches)', () => {
  it('absorbs 2-error copies of the molecule UMI into it, keeping the reads', () => {
    // a single-cell clone read 300 times: its UMI, 1-error and 2-error copies
    const m = counts({ ACGTACGTAC: 290, ACGTACGTAA: 6, TCGTACGAAC: 3, ACCTACGTTA: 1 });
    expect(collapseFragmentUmis(m)).toEqual(counts({ ACGTACGTAC: 300 }));
    // one-mismatch clustering alone counts three molecules here
    expect(countDirectionalClusters(m)).toBe(3);
  });

  it('keeps UMIs 3 mismatches apart, and comparable counts apart (two real molecules)', () => {
    const far = counts({ AAAAAAAAAA: 50, AAAAAAATTT: 1 });
    expect(collapseFragmentUmis(far)).toEqual(far);
    const twoMolecules = counts({ AAAAAAAAAA: 50, AAAAAAAATT: 40 });
    expect(collapseFragmentUmis(twoMolecules)).toEqual(twoMolecules);
  });

  it('is the identity for zero or one UMI and ignores UMIs of another length', () => {
    expect(collapseFragmentUmis(new Map())).toEqual(new Map());
    expect(collapseFragmentUmis(counts({ ACGT: 3 }))).toEqual(counts({ ACGT: 3 }));
    expect(collapseFragmentUmis(counts({ ACGT: 9, ACG: 1 }))).toEqual(counts({ ACGT: 9, ACG: 1 }));
  });
});
