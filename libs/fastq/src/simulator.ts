// qsLAM-PCR library simulator: genome -> integration sites -> fragments -> PCR -> read pairs.
//
// It is split in three stages so that it can grow into the full benchmark simulator:
//   planLibrary()   draws everything random except read bases (sites, clones, fragments, UMIs,
//                   PCR weights, the molecule of every pair) and derives the ground truth;
//   generatePairs() lazily turns a plan into read pairs (bases, errors, qualities, names);
//   simulateLibrary() / writeSimulatedLibrary() combine them in memory or streaming to disk.
// Each stage draws from its own forked random stream, so results are deterministic per seed and
// changing one stage (say, the error model) does not reshuffle the sites. Read names are
// `sim{index}:{siteIndex|mispriming|vector}` with Illumina `1:N:0:1` / `2:N:0:1` comments;
// siteIndex is the 0-based row of the truth table. See sim-reads.ts for the exact molecule
// layout, sim-sites.ts for where sites go, sim-scenarios.ts for ready-made libraries.

import { BASES, randomBases } from './dna';
import { Rng, createRng } from './random';
import {
  assignPairs,
  computeTruth,
  misprimedMolecule,
  siteMolecules,
  vectorJunction,
  vectorMolecule,
} from './sim-plan';
import {
  ReadLayout,
  hostSequence,
  moleculeSequence,
  readTemplates,
  sequenceRead,
} from './sim-reads';
import { ContigSampler, drawSites } from './sim-sites';
import {
  Contig,
  ContigSpec,
  LIBRARY_DEFAULTS,
  LibraryOptions,
  MISPRIMED,
  ResolvedLibraryOptions,
  SimMolecule,
  SimPair,
  SimSite,
  TruthSite,
  VECTOR,
} from './sim-types';
import { GzipWriteOptions, writeFastqPairGz, writeTruth } from './sim-writers';

/** Everything random about a library except the read bases. */
export interface LibraryPlan {
  options: ResolvedLibraryOptions;
  sites: SimSite[];
  /** Site molecules (one per cell); mispriming molecules are made during generation. */
  molecules: SimMolecule[];
  /** Molecule index of every pair, -1 for mispriming. */
  assignment: Int32Array;
  truth: TruthSite[];
}

export interface SimulatedLibrary {
  pairs: SimPair[];
  truth: TruthSite[];
  sites: SimSite[];
}

/** Random genome: uniformly random ACGT contigs. */
export function simulateGenome(rng: Rng, opts: { contigs: ContigSpec[] }): Contig[] {
  return opts.contigs.map((c) => {
    if (!Number.isInteger(c.length) || c.length < 1) {
      throw new RangeError(`contig ${c.name}: length must be a positive integer`);
    }
    return { name: c.name, seq: randomBases(rng, c.length) };
  });
}

function checkOptions(o: ResolvedLibraryOptions): void {
  const f = o.fragmentLength;
  if (!Number.isInteger(o.pairs) || o.pairs < 0) throw new RangeError('pairs must be >= 0');
  if (!Number.isInteger(o.readLength) || o.readLength < 1) throw new RangeError('bad readLength');
  if (!(f.min >= 1 && f.max >= f.min)) throw new RangeError('bad fragment length range');
  if (!(o.errorRate >= 0 && o.errorRate < 1)) throw new RangeError('errorRate must be in [0, 1)');
  if (!(o.misprimingFraction >= 0 && o.misprimingFraction <= 1)) {
    throw new RangeError('misprimingFraction must be in [0, 1]');
  }
  if (!Number.isInteger(o.umiLength) || o.umiLength < 0) throw new RangeError('bad umiLength');
  if (o.genome.length === 0) throw new RangeError('the genome has no contigs');
  const fraction = (name: string, v: number) => {
    if (!(v >= 0 && v <= 1)) throw new RangeError(`${name} must be in [0, 1]`);
  };
  fraction('vectorFraction', o.vectorFraction);
  fraction('umiErrorRate', o.umiErrorRate);
  fraction('shortHosts.fraction', o.shortHosts.fraction);
  fraction('closeSites.fraction', o.closeSites.fraction);
  if (o.misprimingFraction + o.vectorFraction > 1) {
    throw new RangeError('misprimingFraction + vectorFraction must be <= 1');
  }
  if (o.vectorFraction > 0 && !o.genome.some((c) => c.name === o.vectorContig)) {
    throw new RangeError(
      `vectorFraction needs the vector contig '${o.vectorContig}' in the genome`,
    );
  }
  const c = o.closeSites;
  if (!(c.minGap >= 1 && c.maxGap >= c.minGap)) throw new RangeError('bad closeSites gaps');
  const s = o.shortHosts;
  if (!(s.min >= 1 && s.max >= s.min)) throw new RangeError('bad shortHosts range');
  const l = o.largeClones;
  if (!(l.count >= 0 && l.minCells >= 1 && l.maxCells >= l.minCells)) {
    throw new RangeError('bad largeClones');
  }
}

/** Options with defaults filled in and checked. */
export function resolveLibraryOptions(opts: LibraryOptions): ResolvedLibraryOptions {
  const d = LIBRARY_DEFAULTS;
  const resolved: ResolvedLibraryOptions = {
    seed: opts.seed,
    genome: opts.genome,
    pairs: opts.pairs,
    sites: opts.sites ?? d.sites,
    readLength: opts.readLength ?? d.readLength,
    fragmentLength: { ...d.fragmentLength, ...opts.fragmentLength },
    cloneSize: { ...d.cloneSize, ...opts.cloneSize },
    pcr: { ...d.pcr, ...opts.pcr },
    minSiteDistance: opts.minSiteDistance ?? d.minSiteDistance,
    r1Seq: opts.r1Seq ?? d.r1Seq,
    ltrRemainder: opts.ltrRemainder ?? d.ltrRemainder,
    r2Seq: opts.r2Seq ?? d.r2Seq,
    umiLength: opts.umiLength ?? d.umiLength,
    errorRate: opts.errorRate ?? d.errorRate,
    misprimingFraction: opts.misprimingFraction ?? d.misprimingFraction,
    lowQualityRate: opts.lowQualityRate ?? d.lowQualityRate,
    largeClones: { ...d.largeClones, ...opts.largeClones },
    closeSites: { ...d.closeSites, ...opts.closeSites },
    shortHosts: { ...d.shortHosts, ...opts.shortHosts },
    vectorContig: opts.vectorContig ?? d.vectorContig,
    vectorFraction: opts.vectorFraction ?? d.vectorFraction,
    duplicatedRegions: opts.duplicatedRegions ?? d.duplicatedRegions,
    multimappingSites: opts.multimappingSites ?? d.multimappingSites,
    umiErrorRate: opts.umiErrorRate ?? d.umiErrorRate,
  };
  checkOptions(resolved);
  return resolved;
}

/** Draws sites, clones, fragments and the molecule of every pair; computes the truth. */
export function planLibrary(opts: LibraryOptions): LibraryPlan {
  const options = resolveLibraryOptions(opts);
  const root = createRng(options.seed);
  const contigs = hostSampler(options);
  const sites = drawSites(root.fork('sites'), contigs, options);
  const fragmentRng = root.fork('fragments');
  const molecules = sites.flatMap((s) => siteMolecules(fragmentRng, s, contigs, options));
  const assignment = assignPairs(
    root.fork('pcr'),
    molecules,
    options.pairs,
    options.misprimingFraction,
    options.vectorFraction,
  );
  return {
    options,
    sites,
    molecules,
    assignment,
    truth: computeTruth(sites, molecules, assignment, contigs, options),
  };
}

function hostSampler(o: ResolvedLibraryOptions): ContigSampler {
  return new ContigSampler(o.genome, o.vectorContig === '' ? [] : [o.vectorContig]);
}

/** The molecule with independent substitutions in its UMI (itself when none happened). */
function umiWithErrors(rng: Rng, molecule: SimMolecule, rate: number): SimMolecule {
  if (rate === 0 || molecule.umi.length === 0) return molecule;
  let umi: string[] | undefined;
  for (let i = rng.geometric(rate); i < molecule.umi.length; i += 1 + rng.geometric(rate)) {
    umi ??= [...molecule.umi];
    umi[i] = BASES[(BASES.indexOf(umi[i]) + rng.int(1, 3)) % 4];
  }
  return umi === undefined ? molecule : { ...molecule, umi: umi.join('') };
}

function pairLabel(site: number): string {
  if (site === MISPRIMED) return 'mispriming';
  return site === VECTOR ? 'vector' : String(site);
}

/** Read pairs of a plan, generated lazily in pair order. */
export function* generatePairs(plan: LibraryPlan): Generator<SimPair> {
  const o = plan.options;
  const contigs = hostSampler(o);
  const layout: ReadLayout = o;
  const templates = new Map<SimMolecule, [string, string]>();
  const readRng = createRng(o.seed).fork('reads');
  const misprimeRng = createRng(o.seed).fork('mispriming');
  const vectorRng = createRng(o.seed).fork('vector');
  const umiRng = createRng(o.seed).fork('umi-errors');
  const vector = o.vectorFraction > 0 ? contigs.get(o.vectorContig) : undefined;
  const junction = vector ? vectorJunction(vector, o) : 0;
  const noise = (m: number): SimMolecule =>
    m === VECTOR && vector
      ? vectorMolecule(vectorRng, vector, junction, o)
      : misprimedMolecule(misprimeRng, contigs, o);
  for (let index = 0; index < plan.assignment.length; index++) {
    const m = plan.assignment[index];
    const planned = m < 0 ? noise(m) : plan.molecules[m];
    const molecule = umiWithErrors(umiRng, planned, o.umiErrorRate);
    const cached = m >= 0 && molecule === planned;
    let reads = cached ? templates.get(molecule) : undefined;
    if (reads === undefined) {
      const host = hostSequence(contigs.get(molecule.chrom), molecule);
      reads = readTemplates(moleculeSequence(host, molecule, layout), o.readLength);
      if (cached) templates.set(molecule, reads);
    }
    const name = `sim${index}:${pairLabel(planned.site)}`;
    const r1 = sequenceRead(readRng, `${name} 1:N:0:1`, reads[0], o);
    const r2 = sequenceRead(readRng, `${name} 2:N:0:1`, reads[1], o);
    yield { index, molecule: planned, r1, r2 };
  }
}

/** Simulates a library in memory (fine up to a few million pairs). */
export function simulateLibrary(opts: LibraryOptions): SimulatedLibrary {
  const plan = planLibrary(opts);
  return { pairs: [...generatePairs(plan)], truth: plan.truth, sites: plan.sites };
}

export interface LibraryPaths {
  r1: string;
  r2: string;
  truth: string;
}

/** Simulates a library straight to gzip FASTQ files and a truth TSV; returns the plan. */
export async function writeSimulatedLibrary(
  opts: LibraryOptions,
  paths: LibraryPaths,
  gzip: GzipWriteOptions = {},
): Promise<LibraryPlan> {
  const plan = planLibrary(opts);
  await writeFastqPairGz(paths.r1, paths.r2, generatePairs(plan), gzip);
  await writeTruth(paths.truth, plan.truth);
  return plan;
}
