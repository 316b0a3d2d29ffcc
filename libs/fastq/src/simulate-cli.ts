// Command line front end of the qsLAM-PCR simulator.
//
//   npx ts-node -r tsconfig-paths/register libs/fastq/src/simulate-cli.ts \
//     --out DIR --pairs N --seed S [--umi 10] [--sites 100] [--read-length 150]
//     [--error-rate 0.001] [--mispriming 0] [--genome-size 3000000] [--contigs 3]
//     [--scenario default|no-umi|high-mispriming|dense] [--reference DIR]
//
// writes DIR/R1.fastq.gz, DIR/R2.fastq.gz and DIR/truth.tsv (columns: sim-writers.ts
// TRUTH_COLUMNS), plus DIR/genome.fa unless --reference is given. Without --reference the genome
// is random, drawn from the same seed (stream 'genome'), so one seed reproduces the whole data
// set; --reference reads a demo-genome directory (genome.fa, vector_contigs.txt,
// duplications.bed) so that reads into the vector and multimapping sites can be simulated.
// --scenario starts from a ready-made library (sim-scenarios.ts); flags given explicitly override
// it. Argument parsing is deliberately tiny (no dependency): `--name value` pairs.

import { mkdir } from 'fs/promises';
import { join } from 'path';
import { createRng } from './random';
import {
  SCENARIO_NAMES,
  ScenarioName,
  SimReference,
  isScenarioName,
  readSimReference,
  scenarioOptions,
} from './sim-scenarios';
import { LibraryOptions } from './sim-types';
import { simulateGenome, writeSimulatedLibrary } from './simulator';
import { writeFasta } from './sim-writers';

export interface CliOptions {
  out: string;
  pairs: number;
  seed: number;
  umi: number;
  sites: number;
  readLength: number;
  errorRate: number;
  mispriming: number;
  genomeSize: number;
  contigs: number;
  scenario?: ScenarioName;
  /** Demo-genome directory to simulate from instead of a random genome. */
  reference?: string;
  /** Numeric flags given on the command line (they override the scenario). */
  explicit: (keyof CliOptions)[];
}

const USAGE =
  'usage: simulate-cli.ts --out DIR --pairs N --seed S [--umi LEN] [--sites N] ' +
  '[--read-length N] [--error-rate F] [--mispriming F] [--genome-size N] [--contigs N] ' +
  `[--scenario ${SCENARIO_NAMES.join('|')}] [--reference DIR]`;

type NumericOption = Exclude<keyof CliOptions, 'out' | 'scenario' | 'reference' | 'explicit'>;

const NUMERIC: Record<string, NumericOption> = {
  '--pairs': 'pairs',
  '--seed': 'seed',
  '--umi': 'umi',
  '--sites': 'sites',
  '--read-length': 'readLength',
  '--error-rate': 'errorRate',
  '--mispriming': 'mispriming',
  '--genome-size': 'genomeSize',
  '--contigs': 'contigs',
};

/** Parses `--name value` arguments; throws with the usage text on anything unexpected. */
export function parseCliArgs(argv: string[]): CliOptions {
  const o: CliOptions = {
    out: '',
    pairs: 10000,
    seed: 1,
    umi: 0,
    sites: 100,
    readLength: 150,
    errorRate: 0.001,
    mispriming: 0,
    genomeSize: 3_000_000,
    contigs: 3,
    explicit: [],
  };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`missing value for ${flag}\n${USAGE}`);
    if (flag === '--out' || flag === '--reference') {
      o[flag === '--out' ? 'out' : 'reference'] = value;
      continue;
    }
    if (flag === '--scenario') {
      if (!isScenarioName(value)) throw new Error(`unknown scenario ${value}\n${USAGE}`);
      o.scenario = value;
      continue;
    }
    const key = NUMERIC[flag];
    const number = Number(value);
    if (key === undefined || !Number.isFinite(number)) {
      throw new Error(`bad argument ${flag} ${value}\n${USAGE}`);
    }
    o[key] = number;
    o.explicit.push(key);
  }
  if (o.out === '') throw new Error(`--out is required\n${USAGE}`);
  return o;
}

/** Library options: the scenario (if any) with the explicit flags applied over it. */
export function cliLibraryOptions(o: CliOptions, reference: SimReference): LibraryOptions {
  const flags: Partial<LibraryOptions> = {
    sites: o.sites,
    readLength: o.readLength,
    umiLength: o.umi,
    errorRate: o.errorRate,
    misprimingFraction: o.mispriming,
  };
  const base = { seed: o.seed, pairs: o.pairs };
  if (o.scenario === undefined) return { ...base, ...flags, genome: reference.genome };
  const byFlag: Partial<Record<NumericOption, keyof LibraryOptions>> = {
    sites: 'sites',
    readLength: 'readLength',
    umi: 'umiLength',
    errorRate: 'errorRate',
    mispriming: 'misprimingFraction',
  };
  const options = scenarioOptions(o.scenario, reference, base);
  for (const key of o.explicit) {
    const field = byFlag[key as NumericOption];
    if (field !== undefined) Object.assign(options, { [field]: flags[field] });
  }
  if (options.umiLength === 0) options.umiErrorRate = 0;
  return options;
}

function randomReference(o: CliOptions): SimReference {
  const size = Math.floor(o.genomeSize / o.contigs);
  const specs = Array.from({ length: o.contigs }, (_, i) => ({
    name: `chr${i + 1}`,
    length: size,
  }));
  const genome = simulateGenome(createRng(o.seed).fork('genome'), { contigs: specs });
  return { genome, vectorContig: '', duplicatedRegions: [] };
}

/** Writes the output files and returns their paths. */
export async function runSimulation(o: CliOptions): Promise<Record<string, string>> {
  await mkdir(o.out, { recursive: true });
  const reference = o.reference ? await readSimReference(o.reference) : randomReference(o);
  const files: Record<string, string> = {};
  if (!o.reference) {
    files.genome = join(o.out, 'genome.fa');
    await writeFasta(files.genome, reference.genome);
  }
  const paths = {
    r1: join(o.out, 'R1.fastq.gz'),
    r2: join(o.out, 'R2.fastq.gz'),
    truth: join(o.out, 'truth.tsv'),
  };
  await writeSimulatedLibrary(cliLibraryOptions(o, reference), paths);
  return { ...files, ...paths };
}

async function main(): Promise<void> {
  const started = Date.now();
  const options = parseCliArgs(process.argv.slice(2));
  const files = await runSimulation(options);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`simulated ${options.pairs} pairs in ${seconds}s:`);
  for (const path of Object.values(files)) console.log(`  ${path}`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
