// The accuracy evaluation on small hand-made tables whose figures are worked out by hand.

import {
  averageRanks,
  CalledSite,
  evaluateSites,
  matchSites,
  mergeTruth,
  parseSitesTsv,
  parseTruthTsv,
  spearman,
} from './site-truth';
import { formatTruthRow, TRUTH_COLUMNS } from './sim-writers';
import { TruthSite } from './sim-types';

function truthSite(
  chrom: string,
  position: number,
  strand: '+' | '-',
  cells: number,
  reads: number,
  flags: Partial<TruthSite> = {},
): TruthSite {
  return {
    chrom,
    position,
    strand,
    cells,
    reads,
    fragments: cells,
    umis: cells,
    multimapping: false,
    closeToOtherSite: false,
    ...flags,
  };
}

function called(
  chrom: string,
  position: number,
  strand: '+' | '-',
  fragments: number,
  umis: number | null = fragments,
  reads = 10 * fragments,
): CalledSite {
  return { chrom, position, strand, fragments, umis, reads };
}

describe('parsing', () => {
  it('reads our sites table by header, empty umis as null', () => {
    const text =
      'chrom\tstart\tend\tposition\tstrand\tfragments\tumis\treads\testimated_cells\n' +
      'chr1\t99\t102\t100\t+\t5\t\t40\t5.2\n' +
      'chr2\t9\t10\t10\t-\t1\t\t3\t1\n';
    expect(parseSitesTsv(text)).toEqual([
      { chrom: 'chr1', position: 100, strand: '+', fragments: 5, umis: null, reads: 40 },
      { chrom: 'chr2', position: 10, strand: '-', fragments: 1, umis: null, reads: 3 },
    ]);
  });

  it("reads the lab reference's narrower table and refuses a bad one", () => {
    const lab = 'chrom\tposition\tstrand\tfragments\treads\nchr1\t7\t-\t2\t9\n';
    expect(parseSitesTsv(lab)).toEqual([
      { chrom: 'chr1', position: 7, strand: '-', fragments: 2, umis: null, reads: 9 },
    ]);
    expect(() => parseSitesTsv('chrom\tstrand\nchr1\t+\n')).toThrow("no 'position' column");
    expect(() => parseSitesTsv('chrom\tposition\tstrand\nchr1\t5\t.\n')).toThrow('bad strand');
  });

  it('reads back the truth rows the simulator writes', () => {
    const rows = [
      truthSite('chr1', 100, '+', 3, 30, { placeableReads: 28, placeableMolecules: 2 }),
      truthSite('chr2', 5, '-', 1, 2, {
        multimapping: true,
        closeToOtherSite: true,
        placeableReads: 2,
        placeableMolecules: 1,
      }),
    ];
    const text = TRUTH_COLUMNS.join('\t') + '\n' + rows.map(formatTruthRow).join('');
    expect(text.split('\n')[2]).toBe('chr2\t5\t-\t1\t2\t1\t1\t1\t1\t2\t1');
    expect(parseTruthTsv(text)).toEqual(rows);
    // a truth table written before placeable_reads existed: every read pair counts
    const old = text
      .split('\n')
      .map((line) => line.split('\t').slice(0, 9).join('\t'))
      .join('\n');
    expect(parseTruthTsv(old).map((t) => [t.placeableReads, t.placeableMolecules])).toEqual([
      [30, 3],
      [2, 1],
    ]);
  });

  it('does not count in the recall a site whose read pairs all have a host part too short to map', () => {
    const truth = [
      truthSite('chr1', 100, '+', 2, 40, { placeableReads: 25 }),
      truthSite('chr1', 900, '+', 1, 30, { placeableReads: 0 }), // 8-19 bp host: maps nowhere
      truthSite('chr1', 1500, '-', 1, 30, { placeableReads: 2 }), // 2 placeable pairs: < 3
    ];
    const a = evaluateSites([called('chr1', 100, '+', 2)], truth);
    expect(a).toMatchObject({ eligible: 1, recalled: 1, recall: 1 });
    // merged true sites add their placeable pairs: 2 + 2 >= 3
    const close = [
      truthSite('chr2', 10, '+', 1, 5, { placeableReads: 2 }),
      truthSite('chr2', 13, '+', 1, 5, { placeableReads: 2 }),
    ];
    expect(evaluateSites([], close)).toMatchObject({ eligible: 1, recall: 0 });
  });

  it('gives the Spearman ceiling when short host parts hide cells, and UMIs against what is placeable', () => {
    // the 2-cell clone lost one cell to a short host part: it looks like a single-cell clone
    const truth = [
      truthSite('chr1', 100, '+', 1, 50, { placeableMolecules: 1 }),
      truthSite('chr1', 900, '+', 2, 50, { placeableMolecules: 1 }),
      truthSite('chr1', 1500, '+', 3, 50, { placeableMolecules: 3 }),
    ];
    const calls = [
      called('chr1', 100, '+', 1, 1),
      called('chr1', 900, '+', 1, 1),
      called('chr1', 1500, '+', 3, 3),
    ];
    const a = evaluateSites(calls, truth);
    expect(a.spearmanCeiling).toBeCloseTo(0.866, 3);
    expect(a.spearmanUmis).toBeCloseTo(0.866, 3);
    expect(a.spearmanUmisPlaceable).toBe(1);
  });
});

describe('mergeTruth', () => {
  it('merges same-strand sites chaining within d, not across strands', () => {
    const truth = [
      truthSite('chr1', 100, '+', 2, 20),
      truthSite('chr1', 104, '+', 1, 5),
      truthSite('chr1', 109, '+', 4, 8),
      truthSite('chr1', 102, '-', 1, 7),
      truthSite('chr1', 120, '+', 1, 9),
    ];
    const merged = mergeTruth(truth, 5);
    expect(merged.map((c) => [c.strand, c.positions, c.cells, c.reads])).toEqual([
      ['+', [100, 104, 109], 7, 33],
      ['+', [120], 1, 9],
      ['-', [102], 1, 7],
    ]);
    expect(mergeTruth(truth, 0)).toHaveLength(5);
  });
});

describe('matchSites', () => {
  it('pairs one to one, nearest first, then the more abundant true site', () => {
    const truth = mergeTruth([truthSite('c', 100, '+', 1, 50), truthSite('c', 108, '+', 1, 5)], -1);
    // 104 is 4 from both: outside a tolerance of 3. 103 is 3 from 100 and 5 from 108.
    expect(matchSites([called('c', 104, '+', 1)], truth, 3)).toEqual([]);
    expect(matchSites([called('c', 104, '+', 1)], truth, 4)).toEqual([
      { called: 0, truth: 0, distance: 4 },
    ]);
    const two = [called('c', 101, '+', 1), called('c', 100, '+', 1)];
    expect(matchSites(two, truth, 3)).toEqual([{ called: 1, truth: 0, distance: 0 }]);
    expect(matchSites([called('c', 100, '-', 1)], truth, 3)).toEqual([]);
  });
});

describe('spearman', () => {
  it('uses average ranks for ties', () => {
    expect(averageRanks([10, 20, 10, 30])).toEqual([1.5, 3, 1.5, 4]);
    expect(spearman([1, 2, 3, 4], [10, 20, 30, 400])).toBeCloseTo(1, 12);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 12);
    // ranks x = 1.5,1.5,3,4 ; y = 1,2,3,4: sum dxdy = 4.5, sxx = 4.5, syy = 5
    expect(spearman([1, 1, 2, 3], [1, 2, 3, 4])).toBeCloseTo(4.5 / Math.sqrt(4.5 * 5), 12);
    expect(spearman([1, 1], [1, 2])).toBeNull();
    expect(spearman([1], [1])).toBeNull();
  });
});

describe('evaluateSites', () => {
  const truth = [
    truthSite('chr1', 1000, '+', 50, 500), // found exactly
    truthSite('chr1', 2000, '-', 10, 100), // found 2 bp off
    truthSite('chr1', 2008, '-', 1, 10, { closeToOtherSite: true }), // missed, close to 2000
    truthSite('chr2', 500, '+', 3, 30), // found exactly
    truthSite('chr2', 900, '+', 1, 2), // 2 reads: not eligible, not found
    truthSite('chr3', 700, '-', 2, 20, { multimapping: true }), // not eligible
    truthSite('chr3', 5000, '+', 1, 4), // missed
  ];
  const calls = [
    called('chr1', 1000, '+', 40, 48),
    called('chr1', 1998, '-', 9, 10),
    called('chr2', 500, '+', 3, 3),
    called('chr2', 500, '-', 1, 1), // wrong strand: near a true site
    called('vector', 640, '+', 30, 30),
    called('chr2', 40_000, '+', 1, 1), // nowhere
    called('chr3', 1500, '+', 2, 2), // in a duplicated segment
  ];
  const result = evaluateSites(calls, truth, {
    duplicatedRegions: [{ chrom: 'chr3', start: 1001, end: 3000 }],
  });

  it('counts precision, recall and exactness as defined', () => {
    expect(result).toMatchObject({
      called: 7,
      matched: 3,
      truthSites: 7,
      eligible: 5,
      recalled: 3,
      exact: 2,
      multimappingCalled: 0,
    });
    expect(result.precision).toBeCloseTo(3 / 7, 12);
    expect(result.recall).toBeCloseTo(3 / 5, 12);
    expect(result.exactFraction).toBeCloseTo(2 / 3, 12);
  });

  it('names the cause of every false positive and of every miss', () => {
    expect(result.falsePositives).toEqual({
      vector: 1,
      duplicated_segment: 1,
      near_true_site: 1,
      nowhere: 1,
    });
    expect(result.missed).toEqual({ closeToOtherSite: 1, other: 1 });
    expect(result.examples.missed.map((t) => t.positions)).toEqual([[2008], [5000]]);
  });

  it('correlates called abundance with true cells over the matched sites', () => {
    // matched (called fragments, umis, cells): (40,48,50) (9,10,10) (3,3,3): same order.
    expect(result.spearmanFragments).toBeCloseTo(1, 12);
    expect(result.spearmanUmis).toBeCloseTo(1, 12);
    const noUmis = evaluateSites(
      calls.map((c) => ({ ...c, umis: null })),
      truth,
    );
    expect(noUmis.spearmanUmis).toBeNull();
  });

  it('merges the truth at the merge distance: two sites 3 bp apart are one call', () => {
    const close = [truthSite('c', 100, '+', 5, 50), truthSite('c', 103, '+', 1, 9)];
    const merged = evaluateSites([called('c', 103, '+', 6)], close);
    expect(merged).toMatchObject({ matched: 1, eligible: 1, recalled: 1, exact: 1 });
    const separate = evaluateSites([called('c', 103, '+', 6)], close, { mergeDistance: 0 });
    expect(separate).toMatchObject({ matched: 1, eligible: 2, recalled: 1, exact: 1 });
  });
});
