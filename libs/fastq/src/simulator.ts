// qsLAM-PCR library simulator: genome -> integration sites -> fragments -> PCR -> read pairs.
//
// It is split in three stages so that it can grow into the full benchmark simulator:
//   planLibrary()   draws everything random except read bases (sites, clones, fragments, UMIs,
//                   PCR weights, the molecule of every pair) and derives the ground truth;
//   generatePairs() lazily turns a plan into read pairs (bases, errors, qualities, names);
//   simulateLibrary() / writeSimulatedLibrary() combine them in memory or streaming to disk.
// Each stage draws from its own forked random stream, so results are deterministic per seed and
// changing one stage (say, the error model) does not reshuffle the sites. Read names are
// `sim{index}:{siteIndex|mispriming}` with Illumina `1:N:0:1` / `2:N:0:1` comments; siteIndex
// is the 0-based row of the truth table. See sim-reads.ts for the exact molecule layout.

import { randomBases } from './dna';
import { Rng, createRng } from './random';
import {
  ContigSampler,
  assignPairs,
  computeTruth,
  drawSites,
  misprimedMolecule,
  siteMolecules,
} from './sim-plan';
import {
  ReadLayout,
  hostSequence,
  moleculeSequence,
  readTemplates,
  sequenceRead,
} from './sim-reads';
import {
  Contig,
  ContigSpec,
  LIBRARY_DEFAULTS,
  LibraryOptions,
  ResolvedLibraryOptions,
  SimMolecule,
  SimPair,
  SimSite,
  TruthSite,
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
  };
  checkOptions(resolved);
  return resolved;
}

/** Draws sites, clones, fragments and the molecule of every pair; computes the truth. */
export function planLibrary(opts: LibraryOptions): LibraryPlan {
  const options = resolveLibraryOptions(opts);
  const root = createRng(options.seed);
  const contigs = new ContigSampler(options.genome);
  const sites = drawSites(root.fork('sites'), contigs, options);
  const fragmentRng = root.fork('fragments');
  const molecules = sites.flatMap((s) => siteMolecules(fragmentRng, s, contigs, options));
  const assignment = assignPairs(
    root.fork('pcr'),
    molecules,
    options.pairs,
    options.misprimingFraction,
  );
  return {
    options,
    sites,
    molecules,
    assignment,
    truth: computeTruth(sites, molecules, assignment),
  };
}

/** Read pairs of a plan, generated lazily in pair order. */
export function* generatePairs(plan: LibraryPlan): Generator<SimPair> {
  const o = plan.options;
  const contigs = new ContigSampler(o.genome);
  const layout: ReadLayout = o;
  const templates = new Map<SimMolecule, [string, string]>();
  const readRng = createRng(o.seed).fork('reads');
  const misprimeRng = createRng(o.seed).fork('mispriming');
  for (let index = 0; index < plan.assignment.length; index++) {
    const m = plan.assignment[index];
    const molecule = m < 0 ? misprimedMolecule(misprimeRng, contigs, o) : plan.molecules[m];
    let reads = templates.get(molecule);
    if (reads === undefined) {
      const host = hostSequence(contigs.get(molecule.chrom), molecule);
      reads = readTemplates(moleculeSequence(host, molecule, layout), o.readLength);
      if (m >= 0) templates.set(molecule, reads);
    }
    const name = `sim${index}:${m < 0 ? 'mispriming' : molecule.site}`;
    const r1 = sequenceRead(readRng, `${name} 1:N:0:1`, reads[0], o);
    const r2 = sequenceRead(readRng, `${name} 2:N:0:1`, reads[1], o);
    yield { index, molecule, r1, r2 };
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
