// From merged sites to the rows of bed2peak/sites*.tsv: the keep rule (fragments > min_fragments
// or reads > min_reads, the lab's rule), cells per site (sonicLength over the kept sites' distinct
// fragment lengths), known sites within d, annotation, percent columns over the kept sites, and
// the order of the file (fragments descending, then contig in genome order, position, strand).

import { GeneIndex, RegionBounds } from './gene-annotation';
import { KnownSiteIndex } from './known-sites';
import { MergedSite } from './site-merger';
import { estimateCells } from './stats/sonic-length';
import { SiteRow } from './types';

export interface KeepRule {
  minFragments: number;
  minReads: number;
}

export interface TableContext {
  refNames: readonly string[];
  genes: GeneIndex | null;
  bounds: RegionBounds;
  known: KnownSiteIndex | null;
  withUmis: boolean;
  /** Shared by the tables of one run: most merge distances keep the very same sites. */
  cells?: CellEstimates;
}

/**
 * estimateCells (a joint fit over all kept sites), remembering the last input: the next table's
 * kept sites are usually the same, with the same fragment lengths, and then so is the estimate.
 */
export class CellEstimates {
  private last: { lengths: readonly (readonly number[])[]; cells: number[] } | null = null;

  of(lengths: readonly (readonly number[])[]): number[] {
    if (this.last === null || !sameLengths(this.last.lengths, lengths))
      this.last = { lengths, cells: estimateCells(lengths).cells };
    return this.last.cells;
  }
}

function sameLengths(a: readonly (readonly number[])[], b: readonly (readonly number[])[]) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x.length !== y.length) return false;
    for (let k = 0; k < x.length; k++) if (x[k] !== y[k]) return false;
  }
  return true;
}

export interface BuiltTable {
  d: number;
  rows: SiteRow[];
  /** The kept merged sites in row order (their fragment lengths feed the plots). */
  kept: MergedSite[];
  sitesBeforeFilter: number;
  removedByKeepRule: number;
}

export function isKept(s: MergedSite, rule: KeepRule): boolean {
  return s.fragments > rule.minFragments || s.reads > rule.minReads;
}

function percent(part: number, total: number): number {
  return total > 0 ? (100 * part) / total : 0;
}

export function buildTable(
  merged: readonly MergedSite[],
  d: number,
  rule: KeepRule,
  ctx: TableContext,
): BuiltTable {
  const kept = merged.filter((s) => isKept(s, rule));
  kept.sort(
    (a, b) =>
      b.fragments - a.fragments ||
      a.refId - b.refId ||
      a.position - b.position ||
      (a.strand === b.strand ? 0 : a.strand === '+' ? -1 : 1),
  );
  const lengths = kept.map((s) => s.lengths);
  const cells = kept.length === 0 ? [] : (ctx.cells ?? new CellEstimates()).of(lengths);
  const totals = { fragments: 0, reads: 0, umis: 0 };
  for (const s of kept) {
    totals.fragments += s.fragments;
    totals.reads += s.reads;
    totals.umis += s.umis ?? 0;
  }
  const rows = kept.map((s, i): SiteRow => {
    const chrom = ctx.refNames[s.refId];
    const annotation = ctx.genes?.annotate(chrom, s.position, ctx.bounds) ?? {
      gene: '',
      tss_distance: null,
      gene_region: '' as const,
    };
    return {
      chrom,
      start: s.start,
      end: s.end,
      position: s.position,
      strand: s.strand,
      fragments: s.fragments,
      umis: ctx.withUmis ? s.umis : null,
      reads: s.reads,
      estimated_cells: cells[i] ?? 0,
      known_sites: ctx.known?.countNear(chrom, s.strand, s.start + 1, s.end, d) ?? 0,
      ...annotation,
      fragments_pct: percent(s.fragments, totals.fragments),
      reads_pct: percent(s.reads, totals.reads),
      umis_pct: ctx.withUmis ? percent(s.umis ?? 0, totals.umis) : null,
    };
  });
  return {
    d,
    rows,
    kept,
    sitesBeforeFilter: merged.length,
    removedByKeepRule: merged.length - kept.length,
  };
}
