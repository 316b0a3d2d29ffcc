// Planning a simulated qsLAM-PCR library: sites, clone sizes, fragments, PCR and read sampling.
//
// The plan is everything random about a library except the read bases, and it is small: one
// entry per site and one per cell fragment, plus one Int32Array slot per read pair saying which
// molecule the pair comes from (-1 = mispriming). Because the pair-to-molecule assignment is drawn
// up front, the ground truth (reads and distinct fragments per site) is known before a single
// read is built, and reads can then be generated lazily and streamed to disk. Biology follows
// DOMAIN.md: every cell of a clone contributes one sheared fragment with its own breakpoint (and
// UMI); PCR duplicates of a fragment are repeated draws of the same molecule, weighted by a
// log-normal efficiency that favours short fragments; sequencing samples pairs from that pool.

import { randomBases } from './dna';
import { Rng } from './random';
import {
  CloneSizeModel,
  Contig,
  FragmentLengthModel,
  ResolvedLibraryOptions,
  SimMolecule,
  SimSite,
  SiteSpec,
  Strand,
  TruthSite,
} from './sim-types';

/** Picks contigs proportionally to their length. */
export class ContigSampler {
  private readonly cumulative: number[] = [];
  private readonly byName = new Map<string, Contig>();

  constructor(private readonly contigs: Contig[]) {
    let total = 0;
    for (const c of contigs) {
      total += c.seq.length;
      this.cumulative.push(total);
      this.byName.set(c.name, c);
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
    return this.contigs[lo];
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

/** A clone size: many single cells, a few large clones. */
export function drawCells(rng: Rng, model: CloneSizeModel): number {
  const cells = Math.round(rng.logNormal(model.meanLog, model.sdLog));
  return Math.min(model.max, Math.max(1, cells));
}

/** Host length from the truncated log-normal, limited to `room` bases. */
export function drawHostLength(rng: Rng, model: FragmentLengthModel, room: number): number {
  const max = Math.min(model.max, room);
  const min = Math.min(model.min, max);
  for (let attempt = 0; attempt < 32; attempt++) {
    const length = Math.round(rng.logNormal(model.meanLog, model.sdLog));
    if (length >= min && length <= max) return length;
  }
  return rng.int(min, max);
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

/** Draws `count` random sites at least `minDistance` apart (same contig, any strand). */
export function drawRandomSites(
  rng: Rng,
  contigs: ContigSampler,
  count: number,
  opts: ResolvedLibraryOptions,
): SimSite[] {
  const spacing = Math.max(1, opts.minSiteDistance);
  const taken = new Map<string, number>();
  const sites: SimSite[] = [];
  const { min, max } = opts.fragmentLength;
  for (let attempt = 0; sites.length < count; attempt++) {
    if (attempt > count * 100 + 1000) throw new RangeError(`cannot place ${count} sites`);
    const contig = contigs.pick(rng);
    const strand: Strand = rng.bool() ? '+' : '-';
    const need = contig.seq.length >= max ? max : min;
    if (contig.seq.length < need) continue;
    const offset = rng.int(0, contig.seq.length - need);
    const position = strand === '+' ? offset + 1 : offset + need;
    const bucket = Math.floor(position / spacing);
    const near = [-1, 0, 1].map((d) => taken.get(`${contig.name}:${bucket + d}`));
    if (near.some((p) => p !== undefined && Math.abs(p - position) < spacing)) continue;
    taken.set(`${contig.name}:${bucket}`, position);
    const cells = drawCells(rng, opts.cloneSize);
    sites.push({ index: sites.length, chrom: contig.name, position, strand, cells });
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

function molecule(
  site: number,
  chrom: string,
  position: number,
  strand: Strand,
  hostLength: number,
): Omit<SimMolecule, 'umi' | 'weight'> {
  const breakpoint = strand === '+' ? position + hostLength - 1 : position - hostLength + 1;
  return { site, chrom, position, strand, hostLength, breakpoint };
}

/** PCR efficiency of a molecule of the given host length. */
function pcrWeight(rng: Rng, opts: ResolvedLibraryOptions, hostLength: number): number {
  return rng.logNormal(0, opts.pcr.sdLog) * Math.exp(-hostLength / opts.pcr.lengthScale);
}

/** One molecule per cell; cells of a clone get distinct breakpoints while any are left. */
export function siteMolecules(
  rng: Rng,
  site: SimSite,
  contigs: ContigSampler,
  opts: ResolvedLibraryOptions,
): SimMolecule[] {
  const room = hostRoom(contigs.get(site.chrom).seq.length, site.position, site.strand);
  const used = new Set<number>();
  const out: SimMolecule[] = [];
  for (let cell = 0; cell < site.cells; cell++) {
    let length = drawHostLength(rng, opts.fragmentLength, room);
    for (let retry = 0; used.has(length) && retry < 64; retry++) {
      length = drawHostLength(rng, opts.fragmentLength, room);
    }
    used.add(length);
    const base = molecule(site.index, site.chrom, site.position, site.strand, length);
    const umi = randomBases(rng, opts.umiLength);
    out.push({ ...base, umi, weight: pcrWeight(rng, opts, length) });
  }
  return out;
}

/** A mispriming product: host DNA from a random place and strand, no LTR. */
export function misprimedMolecule(
  rng: Rng,
  contigs: ContigSampler,
  opts: ResolvedLibraryOptions,
): SimMolecule {
  const contig = contigs.pick(rng);
  const strand: Strand = rng.bool() ? '+' : '-';
  const length = drawHostLength(rng, opts.fragmentLength, contig.seq.length);
  const offset = rng.int(0, contig.seq.length - length);
  const position = strand === '+' ? offset + 1 : offset + length;
  const base = molecule(-1, contig.name, position, strand, length);
  return { ...base, umi: randomBases(rng, opts.umiLength), weight: 1 };
}

/** For every pair, the index of its molecule (-1 = mispriming), sampled by PCR weight. */
export function assignPairs(
  rng: Rng,
  molecules: SimMolecule[],
  pairs: number,
  misprimingFraction: number,
): Int32Array {
  const cumulative = new Float64Array(molecules.length);
  let total = 0;
  molecules.forEach((m, i) => (cumulative[i] = total += m.weight));
  const out = new Int32Array(pairs);
  for (let i = 0; i < pairs; i++) {
    if (molecules.length === 0 || rng.next() < misprimingFraction) {
      out[i] = -1;
      continue;
    }
    const target = rng.next() * total;
    let lo = 0;
    let hi = molecules.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] > target) hi = mid;
      else lo = mid + 1;
    }
    out[i] = lo;
  }
  return out;
}

/** Ground truth per site from the pair assignment. */
export function computeTruth(
  sites: SimSite[],
  molecules: SimMolecule[],
  assignment: Int32Array,
): TruthSite[] {
  const reads = new Array<number>(sites.length).fill(0);
  const breakpoints = sites.map(() => new Set<number>());
  for (const m of assignment) {
    if (m < 0) continue;
    const mol = molecules[m];
    reads[mol.site]++;
    breakpoints[mol.site].add(mol.breakpoint);
  }
  return sites.map((s) => ({
    chrom: s.chrom,
    position: s.position,
    strand: s.strand,
    cells: s.cells,
    reads: reads[s.index],
    fragments: breakpoints[s.index].size,
  }));
}
