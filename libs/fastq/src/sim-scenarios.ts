// Ready-made simulated libraries with known truth, for the accuracy tests and benchmarks.
//
// `default` has everything issue #5 lists at once: a few large clones among many single-cell
// clones; sonication fragments 40-1,000 bp (median host part ~300 bp, so with 2x150 reads most
// mates do not overlap, and the shortest run into the far adapter); 10-bp UMIs with PCR
// duplicates and UMI errors; mispriming pairs without LTR; reads from the 5' LTR into the vector
// body; host parts of 8-19 bp that cannot map; neighbours 2-10 bp from 10 % of the sites; sites in
// duplicated segments. The others change one thing. Parts that need the reference (the vector
// contig, duplicated segments) are left out when the reference has none. A scenario is a set of
// LibraryOptions: every field can still be overridden.

import { readFile } from 'fs/promises';
import { join } from 'path';
import { Contig, LibraryOptions, Region } from './sim-types';

/** What a scenario needs of the genome. */
export interface SimReference {
  genome: Contig[];
  /** Name of the vector contig ('' = none). */
  vectorContig: string;
  /** Every copy of every exactly duplicated segment, 1-based inclusive. */
  duplicatedRegions: Region[];
}

export const SCENARIO_NAMES = ['default', 'no-umi', 'high-mispriming', 'dense'] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

const UMI_LENGTH = 10;

/** The default scenario's options, without seed, genome and pairs. */
export const DEFAULT_SCENARIO = {
  sites: 150,
  cloneSize: { meanLog: 0, sdLog: 1, max: 5000 },
  largeClones: { count: 3, minCells: 50, maxCells: 300 },
  fragmentLength: { meanLog: Math.log(300), sdLog: 0.55, min: 40, max: 1000 },
  closeSites: { fraction: 0.1, minGap: 2, maxGap: 10, oppositeStrand: 0.5, triple: 0.2 },
  shortHosts: { fraction: 0.03, min: 8, max: 19 },
  umiLength: UMI_LENGTH,
  umiErrorRate: 0.005,
  errorRate: 0.001,
  misprimingFraction: 0.05,
  vectorFraction: 0.03,
  multimappingSites: 5,
} satisfies Partial<LibraryOptions>;

const CHANGES: Record<ScenarioName, Partial<LibraryOptions>> = {
  default: {},
  'no-umi': { umiLength: 0, umiErrorRate: 0 },
  'high-mispriming': { misprimingFraction: 0.3 },
  dense: { closeSites: { ...DEFAULT_SCENARIO.closeSites, fraction: 0.5 } },
};

export function isScenarioName(name: string): name is ScenarioName {
  return (SCENARIO_NAMES as readonly string[]).includes(name);
}

/** Library options of a scenario on a reference. */
export function scenarioOptions(
  name: ScenarioName,
  reference: SimReference,
  base: { seed: number | string; pairs: number },
): LibraryOptions {
  const options: LibraryOptions = {
    ...DEFAULT_SCENARIO,
    ...CHANGES[name],
    ...base,
    genome: reference.genome,
    vectorContig: reference.vectorContig,
    duplicatedRegions: reference.duplicatedRegions,
  };
  if (reference.vectorContig === '') options.vectorFraction = 0;
  if (reference.duplicatedRegions.length === 0) options.multimappingSites = 0;
  return options;
}

/** Contigs of a FASTA text (sequences upper-cased). */
export function parseFasta(text: string): Contig[] {
  const contigs: Contig[] = [];
  let name = '';
  let parts: string[] = [];
  const flush = () => {
    if (name !== '') contigs.push({ name, seq: parts.join('').toUpperCase() });
  };
  for (const line of text.split('\n')) {
    if (line.startsWith('>')) {
      flush();
      name = line.slice(1).trim().split(/\s+/)[0];
      parts = [];
    } else {
      parts.push(line.trim());
    }
  }
  flush();
  return contigs;
}

/** Regions of a BED text (0-based half-open) as 1-based inclusive regions. */
export function parseBedRegions(text: string): Region[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '' && !/^(#|track|browser)/.test(line))
    .map((line, i) => {
      const [chrom, start, end] = line.split('\t');
      const region = { chrom, start: Number(start) + 1, end: Number(end) };
      if (!chrom || !Number.isInteger(region.start) || !(region.end >= region.start)) {
        throw new RangeError(`BED line ${i + 1}: '${line}'`);
      }
      return region;
    });
}

async function optionalText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw err;
  }
}

/**
 * A reference directory as the demo genome writes it: genome.fa, and optionally
 * vector_contigs.txt (first name = the vector) and duplications.bed.
 */
export async function readSimReference(dir: string): Promise<SimReference> {
  const genome = parseFasta(await readFile(join(dir, 'genome.fa'), 'latin1'));
  const vectors = (await optionalText(join(dir, 'vector_contigs.txt'))).split(/\s+/);
  return {
    genome,
    vectorContig: vectors.find((v) => v !== '') ?? '',
    duplicatedRegions: parseBedRegions(await optionalText(join(dir, 'duplications.bed'))),
  };
}
