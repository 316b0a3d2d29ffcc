// Strand-specific merging of nearby positions into sites, for one merge distance d: positions of
// one contig and strand, sorted, are chained while the gap to the previous one is ≤ d (so d = 0
// merges nothing; `bedtools merge -d` would also join adjacent 1-bp intervals at d = 0). A merged
// site is reported at its best-supported position (most fragments, then UMIs, then reads, then the
// lowest position); its reads are summed, its fragments are the distinct breakpoints over all its
// positions, its UMIs the directional clusters of the summed UMI counts (each fragment's UMIs
// first collapsed within the fragment: umi-clusters.ts).

import { PositionSupport, fragmentLength, fragmentUmiCounts } from './position-table';
import { Strand } from './types';
import { addUmiCounts, countDirectionalClusters } from './umi-clusters';

/** Abundance of one position, computed once and reused for every d. */
export interface PositionStats {
  support: PositionSupport;
  fragments: number;
  umis: number | null;
}

export interface MergedSite {
  refId: number;
  strand: Strand;
  /** Best-supported position (1-based). */
  position: number;
  /** 0-based half-open span of the merged positions. */
  start: number;
  end: number;
  reads: number;
  fragments: number;
  umis: number | null;
  /** Distinct fragment lengths (for the cell estimate). */
  lengths: number[];
}

export function positionStats(
  sorted: readonly PositionSupport[],
  withUmis: boolean,
): PositionStats[] {
  return sorted.map((support) => ({
    support,
    fragments: support.fragments.size,
    umis: withUmis ? countDirectionalClusters(positionUmiCounts([support])) : null,
  }));
}

function positionUmiCounts(members: readonly PositionSupport[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of members) {
    for (const f of m.fragments.values()) {
      const umis = fragmentUmiCounts(f);
      if (umis !== null) addUmiCounts(counts, umis);
    }
  }
  return counts;
}

/** True when a is better supported than b. */
function better(a: PositionStats, b: PositionStats): boolean {
  if (a.fragments !== b.fragments) return a.fragments > b.fragments;
  if ((a.umis ?? 0) !== (b.umis ?? 0)) return (a.umis ?? 0) > (b.umis ?? 0);
  if (a.support.reads !== b.support.reads) return a.support.reads > b.support.reads;
  return a.support.position < b.support.position;
}

/** Merges `stats` (sorted by contig, strand, position) at distance d. */
export function mergeSites(
  stats: readonly PositionStats[],
  d: number,
  withUmis: boolean,
): MergedSite[] {
  const sites: MergedSite[] = [];
  let i = 0;
  while (i < stats.length) {
    let j = i + 1;
    while (
      j < stats.length &&
      stats[j].support.refId === stats[i].support.refId &&
      stats[j].support.strand === stats[i].support.strand &&
      stats[j].support.position - stats[j - 1].support.position <= d
    ) {
      j++;
    }
    sites.push(mergeGroup(stats.slice(i, j), withUmis));
    i = j;
  }
  return sites;
}

function mergeGroup(group: readonly PositionStats[], withUmis: boolean): MergedSite {
  let best = group[0];
  let reads = 0;
  for (const s of group) {
    if (better(s, best)) best = s;
    reads += s.support.reads;
  }
  const lengths = new Set<number>();
  const breakpoints = new Set<number>();
  for (const s of group) {
    for (const bp of s.support.fragments.keys()) {
      breakpoints.add(bp);
      lengths.add(fragmentLength(s.support.position, bp));
    }
  }
  let umis: number | null = null;
  if (withUmis) {
    umis =
      group.length === 1
        ? group[0].umis
        : countDirectionalClusters(positionUmiCounts(group.map((s) => s.support)));
  }
  const first = group[0].support;
  return {
    refId: first.refId,
    strand: first.strand,
    position: best.support.position,
    start: first.position - 1,
    end: group[group.length - 1].support.position,
    reads,
    fragments: breakpoints.size,
    umis,
    lengths: [...lengths],
  };
}
