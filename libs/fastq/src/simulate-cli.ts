// Command line front end of the qsLAM-PCR simulator.
//
//   npx ts-node -r tsconfig-paths/register libs/fastq/src/simulate-cli.ts \
//     --out DIR --pairs N --seed S [--umi 10] [--sites 100] [--read-length 150]
//     [--error-rate 0.001] [--mispriming 0] [--genome-size 3000000] [--contigs 3]
//
// writes DIR/genome.fa, DIR/R1.fastq.gz, DIR/R2.fastq.gz and DIR/truth.tsv. The genome is drawn
// from the same seed (stream 'genome'), so one seed reproduces the whole data set. Argument
// parsing is deliberately tiny (no dependency): `--name value` pairs, all numeric except --out.

import { mkdir } from 'fs/promises';
import { join } from 'path';
import { createRng } from './random';
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
}

const USAGE =
  'usage: simulate-cli.ts --out DIR --pairs N --seed S [--umi LEN] [--sites N] ' +
  '[--read-length N] [--error-rate F] [--mispriming F] [--genome-size N] [--contigs N]';

const NUMERIC: Record<string, keyof Omit<CliOptions, 'out'>> = {
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
  };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`missing value for ${flag}\n${USAGE}`);
    if (flag === '--out') {
      o.out = value;
      continue;
    }
    const key = NUMERIC[flag];
    const number = Number(value);
    if (key === undefined || !Number.isFinite(number)) {
      throw new Error(`bad argument ${flag} ${value}\n${USAGE}`);
    }
    o[key] = number;
  }
  if (o.out === '') throw new Error(`--out is required\n${USAGE}`);
  return o;
}

/** Writes the four output files and returns their paths. */
export async function runSimulation(o: CliOptions): Promise<Record<string, string>> {
  await mkdir(o.out, { recursive: true });
  const size = Math.floor(o.genomeSize / o.contigs);
  const specs = Array.from({ length: o.contigs }, (_, i) => ({
    name: `chr${i + 1}`,
    length: size,
  }));
  const genome = simulateGenome(createRng(o.seed).fork('genome'), { contigs: specs });
  const files = {
    genome: join(o.out, 'genome.fa'),
    r1: join(o.out, 'R1.fastq.gz'),
    r2: join(o.out, 'R2.fastq.gz'),
    truth: join(o.out, 'truth.tsv'),
  };
  await writeFasta(files.genome, genome);
  await writeSimulatedLibrary(
    {
      seed: o.seed,
      genome,
      pairs: o.pairs,
      sites: o.sites,
      readLength: o.readLength,
      umiLength: o.umi,
      errorRate: o.errorRate,
      misprimingFraction: o.mispriming,
    },
    files,
  );
  return files;
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
