// Accuracy of called integration sites against a simulated library's truth (issue #5).
//
// Pure functions, no I/O: the caller reads `truth.tsv` (sim-writers.ts) and a sites table
// (`bed2peak/sites*.tsv` of site_analysis, or the lab reference's table: any TSV with a header
// holding at least chrom, position and strand; fragments, umis and reads when present).
//
// How the comparison is made, and why:
// - The truth is first merged like the caller merges: same-strand sites whose positions chain
//   within `mergeDistance` bp are one true site (cells, reads, fragments and UMIs summed). A
//   caller that merges at d = 5 cannot report two sites 3 bp apart, and should not be blamed for
//   it; sites 6-10 bp apart stay separate and must be resolved. A merged true site is matched at
//   the nearest of its member positions.
// - Matching is one-to-one and greedy: candidate pairs (same chrom and strand, within
//   `tolerance` bp) by increasing distance, ties by larger true reads, then larger called reads.
// - precision = matched called sites / called sites (a call of a multimapping true site counts as
//   matched: the site is real). recall = matched eligible true sites / eligible true sites, where
//   eligible = at least `minReads` placeable read pairs generated (host part >= 30 bp: a pair
//   with a shorter host part maps nowhere; truth tables without the column count every read
//   pair) and not multimapping (those cannot be placed either, by design). exact = matched pairs
//   at distance 0 / matched pairs.
// - Spearman correlations of called fragments and called UMIs with true cells, over matched pairs.
// - Unmatched calls are given a cause: on a vector contig; in a duplicated segment; within
//   `nearDistance` bp of a true site (wrong strand or position); nowhere near anything.

import { Region, Strand, TruthSite } from './sim-types';

/** A called site: what the evaluation reads of a sites table. */
export interface CalledSite {
  chrom: string;
  position: number;
  strand: Strand;
  fragments: number | null;
  umis: number | null;
  reads: number | null;
}

/** True sites merged at the caller's merge distance. */
export interface TruthCluster {
  chrom: string;
  strand: Strand;
  /** Member junctions, ascending. */
  positions: number[];
  cells: number;
  reads: number;
  /** Read pairs with a host part long enough to map (= reads for truth tables without it). */
  placeableReads: number;
  /** Molecules with a placeable read pair (= umis for truth tables without it). */
  placeableMolecules: number;
  fragments: number;
  umis: number;
  multimapping: boolean;
  closeToOtherSite: boolean;
}

export interface SiteMatch {
  called: number;
  truth: number;
  distance: number;
}

export interface AccuracyOptions {
  /** Largest |called - true| position difference of a match. Default 3. */
  tolerance?: number;
  /** True sites with fewer generated read pairs are not counted in the recall. Default 3. */
  minReads?: number;
  /** Merge distance of the called table; the truth is merged the same way. Default 5. */
  mergeDistance?: number;
  vectorContigs?: readonly string[];
  /** Duplicated segments (for the cause of false positives). Default none. */
  duplicatedRegions?: readonly Region[];
  /** An unmatched call this close to a true site (any strand) is `near_true_site`. Default 20. */
  nearDistance?: number;
}

export type FalsePositiveCause = 'vector' | 'duplicated_segment' | 'near_true_site' | 'nowhere';

export interface SiteAccuracy {
  called: number;
  matched: number;
  precision: number;
  /** True sites after merging, all of them. */
  truthSites: number;
  /** True sites counted in the recall. */
  eligible: number;
  recalled: number;
  recall: number;
  exact: number;
  exactFraction: number;
  spearmanFragments: number | null;
  spearmanUmis: number | null;
  /**
   * The best any caller can do: Spearman of the true placeable molecules (cells whose fragment
   * has a host part long enough to map) with the true cells, over the matched sites. Below 1 when
   * short host parts hide cells of small clones.
   */
  spearmanCeiling: number | null;
  /** Spearman of called UMIs with the true placeable molecules (what can be counted). */
  spearmanUmisPlaceable: number | null;
  /** Matched calls of multimapping true sites. */
  multimappingCalled: number;
  falsePositives: Record<FalsePositiveCause, number>;
  /** Eligible true sites not found, by whether another site was within 10 bp. */
  missed: { closeToOtherSite: number; other: number };
  /** A few unmatched calls and missed true sites, for reading. */
  examples: { falsePositives: CalledSite[]; missed: TruthCluster[] };
}

const DEFAULTS = {
  tolerance: 3,
  minReads: 3,
  mergeDistance: 5,
  vectorContigs: ['vector'],
  duplicatedRegions: [] as Region[],
  nearDistance: 20,
};

function splitTsv(text: string): { header: string[]; rows: string[][] } {
  const lines = text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
  if (lines.length === 0) throw new RangeError('the table has no header line');
  return { header: lines[0].split('\t'), rows: lines.slice(1).map((l) => l.split('\t')) };
}

function column(header: string[], name: string, required: boolean): number {
  const at = header.indexOf(name);
  if (at < 0 && required) throw new RangeError(`the table has no '${name}' column`);
  return at;
}

function numberAt(row: string[], at: number, line: number): number | null {
  if (at < 0 || row[at] === undefined || row[at] === '' || row[at] === 'NA') return null;
  const value = Number(row[at]);
  if (!Number.isFinite(value)) throw new RangeError(`line ${line}: '${row[at]}' is not a number`);
  return value;
}

function strandAt(value: string, line: number): Strand {
  if (value !== '+' && value !== '-') throw new RangeError(`line ${line}: bad strand '${value}'`);
  return value;
}

/** Called sites of a sites TSV (ours or the lab reference's), by header names. */
export function parseSitesTsv(text: string): CalledSite[] {
  const { header, rows } = splitTsv(text);
  const at = {
    chrom: column(header, 'chrom', true),
    position: column(header, 'position', true),
    strand: column(header, 'strand', true),
    fragments: column(header, 'fragments', false),
    umis: column(header, 'umis', false),
    reads: column(header, 'reads', false),
  };
  return rows.map((row, i) => {
    const line = i + 2;
    const position = numberAt(row, at.position, line);
    if (position === null) throw new RangeError(`line ${line}: no position`);
    return {
      chrom: row[at.chrom],
      position,
      strand: strandAt(row[at.strand], line),
      fragments: numberAt(row, at.fragments, line),
      umis: numberAt(row, at.umis, line),
      reads: numberAt(row, at.reads, line),
    };
  });
}

/** The truth table written by the simulator (truth.tsv). */
export function parseTruthTsv(text: string): TruthSite[] {
  const { header, rows } = splitTsv(text);
  const names = ['chrom', 'position', 'strand', 'cells', 'reads', 'fragments'];
  const at = Object.fromEntries(names.map((n) => [n, column(header, n, true)]));
  const optional = (n: string) => column(header, n, false);
  const [umis, multi, close, placeable, placeableMolecules] = [
    'umis',
    'multimapping',
    'close_to_other_site',
    'placeable_reads',
    'placeable_molecules',
  ].map(optional);
  return rows.map((row, i) => {
    const line = i + 2;
    const num = (n: string) => numberAt(row, at[n], line) ?? 0;
    return {
      chrom: row[at.chrom],
      position: num('position'),
      strand: strandAt(row[at.strand], line),
      cells: num('cells'),
      reads: num('reads'),
      placeableReads: numberAt(row, placeable, line) ?? num('reads'),
      placeableMolecules: numberAt(row, placeableMolecules, line) ?? numberAt(row, umis, line) ?? 0,
      fragments: num('fragments'),
      umis: numberAt(row, umis, line) ?? 0,
      multimapping: row[multi] === '1',
      closeToOtherSite: row[close] === '1',
    };
  });
}

/** Same-strand true sites chaining within `d` bp merged into one (d < 0: no merging). */
export function mergeTruth(truth: readonly TruthSite[], d: number): TruthCluster[] {
  const sorted = [...truth].sort((a, b) =>
    a.chrom !== b.chrom
      ? a.chrom < b.chrom
        ? -1
        : 1
      : a.strand !== b.strand
        ? a.strand < b.strand
          ? -1
          : 1
        : a.position - b.position,
  );
  const out: TruthCluster[] = [];
  let last: TruthCluster | undefined;
  for (const s of sorted) {
    const joins =
      last !== undefined &&
      d >= 0 &&
      last.chrom === s.chrom &&
      last.strand === s.strand &&
      s.position - last.positions[last.positions.length - 1] <= d;
    if (joins && last) {
      last.positions.push(s.position);
      last.cells += s.cells;
      last.reads += s.reads;
      last.placeableReads += s.placeableReads ?? s.reads;
      last.placeableMolecules += s.placeableMolecules ?? s.umis;
      last.fragments += s.fragments;
      last.umis += s.umis;
      last.multimapping ||= s.multimapping;
      last.closeToOtherSite ||= s.closeToOtherSite;
      continue;
    }
    const { position, ...rest } = s;
    last = {
      ...rest,
      placeableReads: s.placeableReads ?? s.reads,
      placeableMolecules: s.placeableMolecules ?? s.umis,
      positions: [position],
    };
    out.push(last);
  }
  return out;
}

function distanceTo(cluster: TruthCluster, position: number): number {
  return Math.min(...cluster.positions.map((p) => Math.abs(p - position)));
}

/** One-to-one greedy matching within `tolerance` (see the module comment for the order). */
export function matchSites(
  called: readonly CalledSite[],
  truth: readonly TruthCluster[],
  tolerance: number,
): SiteMatch[] {
  const byKey = new Map<string, number[]>();
  truth.forEach((t, i) => {
    const key = `${t.chrom}\t${t.strand}`;
    byKey.set(key, [...(byKey.get(key) ?? []), i]);
  });
  const candidates: SiteMatch[] = [];
  called.forEach((c, ci) => {
    for (const ti of byKey.get(`${c.chrom}\t${c.strand}`) ?? []) {
      const distance = distanceTo(truth[ti], c.position);
      if (distance <= tolerance) candidates.push({ called: ci, truth: ti, distance });
    }
  });
  candidates.sort(
    (a, b) =>
      a.distance - b.distance ||
      truth[b.truth].reads - truth[a.truth].reads ||
      (called[b.called].reads ?? 0) - (called[a.called].reads ?? 0),
  );
  const [usedCalled, usedTruth] = [new Set<number>(), new Set<number>()];
  const out: SiteMatch[] = [];
  for (const m of candidates) {
    if (usedCalled.has(m.called) || usedTruth.has(m.truth)) continue;
    usedCalled.add(m.called);
    usedTruth.add(m.truth);
    out.push(m);
  }
  return out;
}

/** Ranks 1..n, ties given their average rank. */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i]).sort((a, b) => a[0] - b[0]);
  const ranks = new Array<number>(values.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
    for (let k = i; k <= j; k++) ranks[order[k][1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return ranks;
}

/** Spearman's rank correlation (Pearson on average ranks); null when undefined. */
export function spearman(x: readonly number[], y: readonly number[]): number | null {
  if (x.length !== y.length) throw new RangeError('spearman: lengths differ');
  if (x.length < 2) return null;
  const [rx, ry] = [averageRanks(x), averageRanks(y)];
  const mean = (x.length + 1) / 2;
  let [sxy, sxx, syy] = [0, 0, 0];
  for (let i = 0; i < x.length; i++) {
    const [dx, dy] = [rx[i] - mean, ry[i] - mean];
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? null : sxy / Math.sqrt(sxx * syy);
}

function falsePositiveCause(
  site: CalledSite,
  truth: readonly TruthSite[],
  o: typeof DEFAULTS,
): FalsePositiveCause {
  if (o.vectorContigs.includes(site.chrom)) return 'vector';
  const inSegment = o.duplicatedRegions.some(
    (r) => r.chrom === site.chrom && r.start <= site.position && site.position <= r.end,
  );
  if (inSegment) return 'duplicated_segment';
  const near = truth.some(
    (t) => t.chrom === site.chrom && Math.abs(t.position - site.position) <= o.nearDistance,
  );
  return near ? 'near_true_site' : 'nowhere';
}

function correlation(
  matches: readonly SiteMatch[],
  called: readonly CalledSite[],
  truth: readonly TruthCluster[],
  measure: 'fragments' | 'umis',
  against: 'cells' | 'placeableMolecules' = 'cells',
): number | null {
  const values = matches.map((m) => called[m.called][measure]);
  if (values.length === 0 || values.some((v) => v === null)) return null;
  return spearman(
    values as number[],
    matches.map((m) => truth[m.truth][against]),
  );
}

const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);

/** Precision, recall, exactness, abundance correlations and error causes (module comment). */
export function evaluateSites(
  called: readonly CalledSite[],
  truth: readonly TruthSite[],
  options: AccuracyOptions = {},
): SiteAccuracy {
  const o = { ...DEFAULTS, ...options } as typeof DEFAULTS;
  const clusters = mergeTruth(truth, o.mergeDistance);
  const matches = matchSites(called, clusters, o.tolerance);
  const eligible = (t: TruthCluster) => t.placeableReads >= o.minReads && !t.multimapping;
  const matchedTruth = new Set(matches.map((m) => m.truth));
  const matchedCalled = new Set(matches.map((m) => m.called));
  const recalled = matches.filter((m) => eligible(clusters[m.truth])).length;
  const eligibleCount = clusters.filter(eligible).length;
  const exact = matches.filter((m) => m.distance === 0).length;
  const unmatched = called.filter((_, i) => !matchedCalled.has(i));
  const missed = clusters.filter((t, i) => eligible(t) && !matchedTruth.has(i));
  const falsePositives = { vector: 0, duplicated_segment: 0, near_true_site: 0, nowhere: 0 };
  for (const site of unmatched) falsePositives[falsePositiveCause(site, truth, o)]++;
  const closeMissed = missed.filter((t) => t.closeToOtherSite).length;
  return {
    called: called.length,
    matched: matches.length,
    precision: ratio(matches.length, called.length),
    truthSites: clusters.length,
    eligible: eligibleCount,
    recalled,
    recall: ratio(recalled, eligibleCount),
    exact,
    exactFraction: ratio(exact, matches.length),
    spearmanFragments: correlation(matches, called, clusters, 'fragments'),
    spearmanUmis: correlation(matches, called, clusters, 'umis'),
    spearmanCeiling:
      matches.length < 2
        ? null
        : spearman(
            matches.map((m) => clusters[m.truth].placeableMolecules),
            matches.map((m) => clusters[m.truth].cells),
          ),
    spearmanUmisPlaceable: correlation(matches, called, clusters, 'umis', 'placeableMolecules'),
    multimappingCalled: matches.filter((m) => clusters[m.truth].multimapping).length,
    falsePositives,
    missed: { closeToOtherSite: closeMissed, other: missed.length - closeMissed },
    examples: { falsePositives: unmatched.slice(0, 10), missed: missed.slice(0, 10) },
  };
}
