// Placing the integration sites of a simulated library, and the site flags of the truth table.
//
// Random sites come in clusters: an anchor drawn uniformly over the host contigs (length-
// weighted, never on the vector contig) plus, optionally, neighbours 2-10 bp away on the same or
// the opposite strand, so that a merge distance and a position tolerance are really exercised.
// Whole clusters are kept at least `minSiteDistance` from every other site, and every possible
// fragment of a random site (fragmentLength.max host bases in the direction R1 reads) stays clear
// of the duplicated segments: a random site is unambiguously unique. Multimapping sites are the
// opposite: placed so that every possible fragment lies inside one copy of a duplicated segment,
// so that neither mate can be placed (bwa gives MAPQ 0 and no mate rescue can help). The first
// `largeClones.count` anchors are the large clones; all other clone sizes follow `cloneSize`.

import { Rng } from './random';
import {
  CLOSE_SITE_DISTANCE,
  Contig,
  Region,
  ResolvedLibraryOptions,
  SimSite,
  SiteSpec,
  Strand,
} from './sim-types';

/** Picks host contigs proportionally to their length; looks up any contig by name. */
export class ContigSampler {
  private readonly cumulative: number[] = [];
  private readonly hosts: Contig[] = [];
  private readonly byName = new Map<string, Contig>();

  /** `exclude`: contigs never picked (the vector), still found by `get`. */
  constructor(contigs: Contig[], exclude: readonly string[] = []) {
    let total = 0;
    for (const c of contigs) {
      this.byName.set(c.name, c);
      if (exclude.includes(c.name)) continue;
      total += c.seq.length;
      this.cumulative.push(total);
      this.hosts.push(c);
    }
    if (total === 0) throw new RangeError('the genome has no sequence');
  }

  pick(rng: Rng): Contig {
    const target = rng.next() * this.cumulative[this.cumulative.length - 1];
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid] > target) hi = mid;
      else lo = mid + 1;
    }
    return this.hosts[lo];
  }

  get(name: string): Contig {
    const contig = this.byName.get(name);
    if (!contig) throw new RangeError(`unknown contig '${name}'`);
    return contig;
  }
}

/** Host bases available from a junction in the direction R1 reads. */
export function hostRoom(contigLength: number, position: number, strand: Strand): number {
  return strand === '+' ? contigLength - position + 1 : position;
}

/** 1-based inclusive span of a host part of `length` bases read from the junction. */
export function hostSpan(position: number, strand: Strand, length: number): [number, number] {
  return strand === '+' ? [position, position + length - 1] : [position - length + 1, position];
}

/** Whether [from, to] (1-based inclusive) on `chrom` intersects any of the regions. */
export function overlapsRegion(
  regions: readonly Region[],
  chrom: string,
  from: number,
  to: number,
): boolean {
  return regions.some((r) => r.chrom === chrom && r.start <= to && from <= r.end);
}

/** Positions of placed sites per contig, for spacing checks. */
class SiteIndex {
  private readonly byChrom = new Map<string, number[]>();

  nearest(chrom: string, position: number): number {
    let best = Infinity;
    for (const p of this.byChrom.get(chrom) ?? []) best = Math.min(best, Math.abs(p - position));
    return best;
  }

  add(chrom: string, position: number): void {
    const list = this.byChrom.get(chrom) ?? [];
    list.push(position);
    this.byChrom.set(chrom, list);
  }
}

function checkSite(spec: SiteSpec, contigs: ContigSampler, index: number): SimSite {
  const contig = contigs.get(spec.chrom);
  if (!Number.isInteger(spec.position) || spec.position < 1 || spec.position > contig.seq.length) {
    throw new RangeError(`site ${index}: position ${spec.position} outside ${spec.chrom}`);
  }
  if (!Number.isInteger(spec.cells) || spec.cells < 1) {
    throw new RangeError(`site ${index}: cells must be a positive integer`);
  }
  return { ...spec, index };
}

/** A clone size: many single cells, a few large clones. */
export function drawCells(rng: Rng, model: ResolvedLibraryOptions['cloneSize']): number {
  const cells = Math.round(rng.logNormal(model.meanLog, model.sdLog));
  return Math.min(model.max, Math.max(1, cells));
}

function drawLargeCells(rng: Rng, opts: ResolvedLibraryOptions): number {
  const { minCells, maxCells } = opts.largeClones;
  const log = Math.log(minCells) + rng.next() * (Math.log(maxCells) - Math.log(minCells));
  return Math.max(1, Math.round(Math.exp(log)));
}

type Placed = Omit<SimSite, 'index' | 'cells'>;

/** An anchor and its neighbours 2-10 bp away (offsets from the anchor, strands). */
function drawCluster(rng: Rng, contigs: ContigSampler, opts: ResolvedLibraryOptions): Placed[] {
  const contig = contigs.pick(rng);
  const need = Math.min(opts.fragmentLength.max, contig.seq.length);
  const anchor: Placed = {
    chrom: contig.name,
    strand: rng.bool() ? '+' : '-',
    position: rng.int(1, contig.seq.length),
  };
  const out = [anchor];
  const close = opts.closeSites;
  if (close.fraction > 0 && rng.next() < close.fraction) {
    const direction = rng.bool() ? 1 : -1;
    const neighbours = rng.next() < close.triple ? 2 : 1;
    let at = anchor.position;
    for (let i = 0; i < neighbours; i++) {
      at += direction * rng.int(close.minGap, close.maxGap);
      const opposite = rng.next() < close.oppositeStrand;
      const strand: Strand = opposite === (anchor.strand === '+') ? '-' : '+';
      out.push({ chrom: contig.name, strand, position: at });
    }
  }
  const fits = out.every(
    (s) => s.position >= 1 && hostRoom(contig.seq.length, s.position, s.strand) >= need,
  );
  return fits ? out : [];
}

/** Whether a cluster keeps its distance from placed sites and from duplicated segments. */
function clusterFree(cluster: Placed[], index: SiteIndex, opts: ResolvedLibraryOptions): boolean {
  const spacing = Math.max(1, opts.minSiteDistance);
  return cluster.every((s) => {
    const [from, to] = hostSpan(s.position, s.strand, opts.fragmentLength.max);
    return (
      index.nearest(s.chrom, s.position) >= spacing &&
      !overlapsRegion(opts.duplicatedRegions, s.chrom, from, to)
    );
  });
}

/** A site whose every possible fragment lies inside a duplicated segment. */
function drawMultimappingSite(rng: Rng, opts: ResolvedLibraryOptions): Placed | undefined {
  const max = opts.fragmentLength.max;
  const fitting = opts.duplicatedRegions.filter((r) => r.end - r.start + 1 >= max);
  if (fitting.length === 0) return undefined;
  const region = fitting[rng.int(0, fitting.length - 1)];
  const strand: Strand = rng.bool() ? '+' : '-';
  const position =
    strand === '+'
      ? rng.int(region.start, region.end - max + 1)
      : rng.int(region.start + max - 1, region.end);
  return { chrom: region.chrom, strand, position };
}

/** Random sites: `count` clusters, then `multimappingSites` sites in duplicated segments. */
export function drawRandomSites(
  rng: Rng,
  contigs: ContigSampler,
  count: number,
  opts: ResolvedLibraryOptions,
): SimSite[] {
  const index = new SiteIndex();
  const sites: SimSite[] = [];
  const place = (s: Placed, cells: number) => {
    index.add(s.chrom, s.position);
    sites.push({ ...s, index: sites.length, cells });
  };
  const limit = (n: number) => n * 100 + 1000;
  for (let clusters = 0, attempt = 0; clusters < count; attempt++) {
    if (attempt > limit(count)) throw new RangeError(`cannot place ${count} sites`);
    const cluster = drawCluster(rng, contigs, opts);
    if (cluster.length === 0 || !clusterFree(cluster, index, opts)) continue;
    cluster.forEach((s, i) => {
      const large = i === 0 && clusters < opts.largeClones.count;
      place(s, large ? drawLargeCells(rng, opts) : drawCells(rng, opts.cloneSize));
    });
    clusters++;
  }
  const wanted = opts.multimappingSites;
  for (let placed = 0, attempt = 0; placed < wanted; attempt++) {
    if (attempt > limit(wanted)) throw new RangeError(`cannot place ${wanted} multimapping sites`);
    const site = drawMultimappingSite(rng, opts);
    if (site === undefined) throw new RangeError('no duplicated segment holds a whole fragment');
    if (index.nearest(site.chrom, site.position) < Math.max(1, opts.minSiteDistance)) continue;
    place(site, drawCells(rng, opts.cloneSize));
    placed++;
  }
  return sites;
}

/** The sites of the library: explicit ones checked, or random ones drawn. */
export function drawSites(
  rng: Rng,
  contigs: ContigSampler,
  opts: ResolvedLibraryOptions,
): SimSite[] {
  if (typeof opts.sites === 'number') return drawRandomSites(rng, contigs, opts.sites, opts);
  return opts.sites.map((spec, i) => checkSite(spec, contigs, i));
}

/** Truth flags of every site: in a duplicated segment; another site within 10 bp. */
export function siteFlags(
  sites: readonly SimSite[],
  contigs: ContigSampler,
  opts: ResolvedLibraryOptions,
): { multimapping: boolean; closeToOtherSite: boolean }[] {
  const sorted = [...sites].sort((a, b) =>
    a.chrom === b.chrom ? a.position - b.position : a.chrom < b.chrom ? -1 : 1,
  );
  const close = new Set<number>();
  for (let i = 1; i < sorted.length; i++) {
    const [a, b] = [sorted[i - 1], sorted[i]];
    if (a.chrom === b.chrom && b.position - a.position <= CLOSE_SITE_DISTANCE) {
      close.add(a.index).add(b.index);
    }
  }
  return sites.map((s) => {
    const room = hostRoom(contigs.get(s.chrom).seq.length, s.position, s.strand);
    const length = Math.min(room, opts.fragmentLength.max);
    const [from, to] = hostSpan(s.position, s.strand, length);
    return {
      multimapping: overlapsRegion(opts.duplicatedRegions, s.chrom, from, to),
      closeToOtherSite: close.has(s.index),
    };
  });
}
