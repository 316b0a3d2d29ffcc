// Aggregation of kept R1 records by (contig, strand, position): reads, and per breakpoint its
// reads and UMI counts. Memory grows with distinct positions, fragments and UMIs only. Keys are
// numbers ((refId·2 + strand)·2^32 + position), exact below 2^53, to keep the hot path free of
// string building.

import { R1Fragment } from './r1-filter';
import { Strand } from './types';
import { collapseFragmentUmis, countDirectionalClusters } from './umi-clusters';
import { UmiKey, umiText } from './umi-key';

/** U: how UMIs are held - text, or UmiKey while the BAM is read. */
export interface FragmentSupport<U extends UmiKey = string> {
  reads: number;
  /** UMI → reads; null when the run has no UMIs. */
  umis: Map<U, number> | null;
  /** `umis` collapsed within the fragment (collapseFragmentUmis), computed once when asked. */
  collapsedUmis?: Map<string, number>;
}

export interface PositionSupport<U extends UmiKey = string> {
  refId: number;
  strand: Strand;
  position: number;
  reads: number;
  /** breakpoint (1-based) → support. */
  fragments: Map<number, FragmentSupport<U>>;
}

const TWO_32 = 2 ** 32;

/** A table's content as plain data (structured-clonable: a worker thread posts it). */
export type PositionTableData = Map<number, PositionSupport<UmiKey>>;

export class PositionTable {
  private readonly byKey: PositionTableData;

  constructor(
    private readonly withUmis: boolean,
    data?: PositionTableData,
  ) {
    this.byKey = data ?? new Map();
  }

  static fromData(withUmis: boolean, data: PositionTableData): PositionTable {
    return new PositionTable(withUmis, data);
  }

  /** The content (not a copy). */
  data(): PositionTableData {
    return this.byKey;
  }

  get size(): number {
    return this.byKey.size;
  }

  add(f: R1Fragment, umi: UmiKey | null): void {
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
    }
  }

  /** Adds every read of `other` (a table of the same kind) to this one. */
  absorb(other: PositionTable): void {
    for (const [key, theirs] of other.byKey) {
      const ours = this.byKey.get(key);
      if (ours === undefined) {
        this.byKey.set(key, theirs);
        continue;
      }
      ours.reads += theirs.reads;
      for (const [bp, f] of theirs.fragments) {
        const mine = ours.fragments.get(bp);
        if (mine === undefined) {
          ours.fragments.set(bp, f);
          continue;
        }
        mine.reads += f.reads;
        if (mine.umis !== null && f.umis !== null) {
          for (const [umi, n] of f.umis) mine.umis.set(umi, (mine.umis.get(umi) ?? 0) + n);
        }
      }
    }
  }

  /**
   * All positions sorted by contig (genome order), strand ('+' first), position, with their UMIs
   * as text (new objects: the table is left as it is).
   */
  sorted(): PositionSupport[] {
    return [...this.byKey.values()]
      .sort(
        (a, b) =>
          a.refId - b.refId ||
          (a.strand === b.strand ? 0 : a.strand === '+' ? -1 : 1) ||
          a.position - b.position,
      )
      .map((p) => ({
        ...p,
        fragments: new Map([...p.fragments].map(([b, f]) => [b, textUmis(f)])),
      }));
  }
}

function textUmis(f: FragmentSupport<UmiKey>): FragmentSupport {
  if (f.umis === null) return { reads: f.reads, umis: null };
  const umis = new Map<string, number>();
  for (const [key, n] of f.umis) umis.set(umiText(key), n);
  return { reads: f.reads, umis };
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

/** Breakpoints this close (bp) to a much better supported one at the same position may be its copies. */
export const BREAKPOINT_JITTER = 2;
/** Without UMIs, a jittered copy has at most 1/10 of the reads of its fragment. */
const JITTER_READ_RATIO = 10;

/**
 * Folds breakpoint jitter into the fragment it comes from, at one position (in place). R2's 5'
 * end moves by a base or two when linker bases that cutadapt left (a sequencing error in the
 * linker) happen to match the genome next to the shear point, as the LTR remainder does on R1:
 * at depth every large fragment grows a one-read neighbour and a single-cell clone shows two
 * fragments. A breakpoint b within BREAKPOINT_JITTER bp of a breakpoint a with more reads is
 * a's copy when its reads carry a's molecules - every UMI of b one mismatch from a UMI of a -
 * or, without UMIs, when a has at least 10x b's reads (two cells of a clone sheared 1-2 bp
 * apart have PCR-comparable read counts: PCR efficiencies differ by 10x in < 0.1 % of pairs).
 * Smallest breakpoints are folded first, each into its best-supported qualifying neighbour.
 */
export function foldBreakpointJitter(p: PositionSupport, withUmis: boolean): void {
  if (p.fragments.size < 2) return;
  const order = [...p.fragments.entries()].sort((x, y) => x[1].reads - y[1].reads || x[0] - y[0]);
  for (const [b, fb] of order) {
    let target: number | null = null;
    for (let a = b - BREAKPOINT_JITTER; a <= b + BREAKPOINT_JITTER; a++) {
      const fa = a === b ? undefined : p.fragments.get(a);
      if (fa === undefined || fa.reads <= fb.reads) continue;
      if (!sameMolecules(fa, fb, withUmis)) continue;
      if (target === null || fa.reads > p.fragments.get(target)!.reads) target = a;
    }
    if (target === null) continue;
    const fa = p.fragments.get(target)!;
    fa.reads += fb.reads;
    if (fa.umis !== null && fb.umis !== null) {
      for (const [umi, n] of fb.umis) fa.umis.set(umi, (fa.umis.get(umi) ?? 0) + n);
      fa.collapsedUmis = undefined;
    }
    p.fragments.delete(b);
  }
}

function sameMolecules(a: FragmentSupport, b: FragmentSupport, withUmis: boolean): boolean {
  const ua = withUmis ? fragmentUmiCounts(a) : null;
  const ub = withUmis ? fragmentUmiCounts(b) : null;
  if (ua === null || ub === null || ub.size === 0) return a.reads >= JITTER_READ_RATIO * b.reads;
  for (const umi of ub.keys()) if (!withinOneMismatch(umi, ua)) return false;
  return true;
}

function withinOneMismatch(umi: string, counts: ReadonlyMap<string, number>): boolean {
  if (counts.has(umi)) return true;
  for (const other of counts.keys()) {
    if (other.length !== umi.length) continue;
    let d = 0;
    for (let i = 0; i < umi.length && d <= 1; i++) if (umi[i] !== other[i]) d++;
    if (d <= 1) return true;
  }
  return false;
}
