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
// Noise pairs (mispriming products, reads from the 5' LTR into the vector body) are fresh
// molecules drawn while generating, marked MISPRIMED / VECTOR in the assignment.

import { randomBases } from './dna';
import { Rng } from './random';
import { ContigSampler, hostRoom, siteFlags } from './sim-sites';
import {
  Contig,
  FragmentLengthModel,
  MIN_PLACEABLE_HOST,
  MISPRIMED,
  ResolvedLibraryOptions,
  SimMolecule,
  SimSite,
  Strand,
  TruthSite,
  VECTOR,
} from './sim-types';

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
  const short = opts.shortHosts;
  const draw = () =>
    short.fraction > 0 && rng.next() < short.fraction
      ? Math.min(room, rng.int(short.min, short.max))
      : drawHostLength(rng, opts.fragmentLength, room);
  for (let cell = 0; cell < site.cells; cell++) {
    let length = draw();
    for (let retry = 0; used.has(length) && retry < 64; retry++) length = draw();
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
  const base = molecule(MISPRIMED, contig.name, position, strand, length);
  return { ...base, umi: randomBases(rng, opts.umiLength), weight: 1 };
}

/** 1-based vector position of the first base after the 5' LTR end (r1Seq + ltrRemainder). */
export function vectorJunction(vector: Contig, opts: ResolvedLibraryOptions): number {
  const ltrEnd = opts.r1Seq + opts.ltrRemainder;
  const at = vector.seq.indexOf(ltrEnd);
  if (at < 0 || at + ltrEnd.length >= vector.seq.length) {
    throw new RangeError(`vector contig '${vector.name}' has no LTR end followed by vector bases`);
  }
  return at + ltrEnd.length + 1;
}

/** A read into the vector: from the 5' LTR end into the vector body, on '+'. */
export function vectorMolecule(
  rng: Rng,
  vector: Contig,
  junction: number,
  opts: ResolvedLibraryOptions,
): SimMolecule {
  const room = hostRoom(vector.seq.length, junction, '+');
  const length = drawHostLength(rng, opts.fragmentLength, room);
  const base = molecule(VECTOR, vector.name, junction, '+', length);
  return { ...base, umi: randomBases(rng, opts.umiLength), weight: 1 };
}

/** For every pair, the index of its molecule (or MISPRIMED, VECTOR), sampled by PCR weight. */
export function assignPairs(
  rng: Rng,
  molecules: SimMolecule[],
  pairs: number,
  misprimingFraction: number,
  vectorFraction = 0,
): Int32Array {
  const cumulative = new Float64Array(molecules.length);
  let total = 0;
  molecules.forEach((m, i) => (cumulative[i] = total += m.weight));
  const out = new Int32Array(pairs);
  for (let i = 0; i < pairs; i++) {
    const noise = molecules.length === 0 ? -1 : rng.next();
    if (noise < misprimingFraction) {
      out[i] = MISPRIMED;
      continue;
    }
    if (noise < misprimingFraction + vectorFraction) {
      out[i] = VECTOR;
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
  contigs: ContigSampler,
  opts: ResolvedLibraryOptions,
): TruthSite[] {
  const reads = new Array<number>(sites.length).fill(0);
  const placeable = new Array<number>(sites.length).fill(0);
  const placeableSeen = sites.map(() => new Set<number>());
  const breakpoints = sites.map(() => new Set<number>());
  const seen = sites.map(() => new Set<number>());
  for (const m of assignment) {
    if (m < 0) continue;
    const mol = molecules[m];
    reads[mol.site]++;
    if (mol.hostLength >= MIN_PLACEABLE_HOST) {
      placeable[mol.site]++;
      placeableSeen[mol.site].add(m);
    }
    breakpoints[mol.site].add(mol.breakpoint);
    seen[mol.site].add(m);
  }
  const flags = siteFlags(sites, contigs, opts);
  return sites.map((s) => ({
    chrom: s.chrom,
    position: s.position,
    strand: s.strand,
    cells: s.cells,
    reads: reads[s.index],
    placeableReads: placeable[s.index],
    placeableMolecules: placeableSeen[s.index].size,
    fragments: breakpoints[s.index].size,
    umis: seen[s.index].size,
    ...flags[s.index],
  }));
}
