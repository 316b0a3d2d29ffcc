// Aggregation of kept R1 records by (contig, strand, position): reads, and per breakpoint its
// reads and UMI counts. Memory grows with distinct positions, fragments and UMIs only. Keys are
// numbers ((refId·2 + strand)·2^32 + position), exact below 2^53, to keep the hot path free of
// string building.

import { R1Fragment } from './r1-filter';
import { Strand } from './types';
import { collapseFragmentUmis, countDirectionalClusters } from './umi-clusters';

export interface FragmentSupport {
  reads: number;
  /** UMI → reads; null when the run has no UMIs. */
  umis: Map<string, number> | null;
  /** `umis` collapsed within the fragment (collapseFragmentUmis), computed once when asked. */
  collapsedUmis?: Map<string, number>;
}

export interface PositionSupport {
  refId: number;
  strand: Strand;
  position: number;
  reads: number;
  /** breakpoint (1-based) → support. */
  fragments: Map<number, FragmentSupport>;
}

const TWO_32 = 2 ** 32;

export class PositionTable {
  private readonly byKey = new Map<number, PositionSupport>();

  constructor(private readonly withUmis: boolean) {}

  get size(): number {
    return this.byKey.size;
  }

  add(f: R1Fragment, umi: string | null): void {
    const key = (f.refId * 2 + (f.strand === '-' ? 1 : 0)) * TWO_32 + f.position;
    let site = this.byKey.get(key);
    if (site === undefined) {
      site = {
        refId: f.refId,
        strand: f.strand,
        position: f.position,
        reads: 0,
        fragments: new Map(),
      };
      this.byKey.set(key, site);
    }
    site.reads++;
    let frag = site.fragments.get(f.breakpoint);
    if (frag === undefined) {
      frag = { reads: 0, umis: this.withUmis ? new Map() : null };
      site.fragments.set(f.breakpoint, frag);
    }
    frag.reads++;
    if (frag.umis !== null && umi !== null) {
      frag.umis.set(umi, (frag.umis.get(umi) ?? 0) + 1);
      frag.collapsedUmis = undefined;
    }
  }

  /** All positions sorted by contig (genome order), strand ('+' first), position. */
  sorted(): PositionSupport[] {
    return [...this.byKey.values()].sort(
      (a, b) =>
        a.refId - b.refId ||
        (a.strand === b.strand ? 0 : a.strand === '+' ? -1 : 1) ||
        a.position - b.position,
    );
  }
}

/**
 * The UMIs of one fragment after the within-fragment collapse (UMIs ≤ 2 mismatches apart,
 * directional: umi-clusters.ts), cached; null without UMIs. Every UMI count of a position or a
 * merged site pools these.
 */
export function fragmentUmiCounts(f: FragmentSupport): Map<string, number> | null {
  if (f.umis === null) return null;
  f.collapsedUmis ??= collapseFragmentUmis(f.umis);
  return f.collapsedUmis;
}

/** Directional UMI clusters of one fragment (null without UMIs). */
export function fragmentUmis(f: FragmentSupport): number | null {
  const counts = fragmentUmiCounts(f);
  return counts === null ? null : countDirectionalClusters(counts);
}

/** Fragment length of a (site, breakpoint) pair: |breakpoint − site| + 1. */
export function fragmentLength(position: number, breakpoint: number): number {
  return Math.abs(breakpoint - position) + 1;
}
