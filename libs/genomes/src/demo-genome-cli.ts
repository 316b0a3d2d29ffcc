// Command line of the demo genome generator:
//
//   node demo-genome-cli.js --out DIR [--seed S] [--sizes 300000,200000,100000]
//                           [--genes-per-mb 30]
//
// writes DIR/genome.fa (chromosomes chr1..chrN with the given sizes, then the `vector` contig),
// DIR/genes.gtf and DIR/vector_contigs.txt. The same seed always gives the same files. Exit 0 on
// success, 1 when writing failed, 2 on a bad command line.

import { ContigSpec } from '@qslam/fastq';
import { parseFlags, requireFlag, runTool } from './cli';
import { DemoGenomeOptions, writeDemoGenome } from './demo-genome';
import { GenomeCliUsageError } from './errors';

export const DEMO_GENOME_USAGE =
  'usage: demo-genome-cli.js --out DIR [--seed S] [--sizes N,N,...] [--genes-per-mb N]';

export interface DemoGenomeCliOptions {
  out: string;
  genome: DemoGenomeOptions;
}

const FLAGS = {
  '--out': 'out',
  '--seed': 'seed',
  '--sizes': 'sizes',
  '--genes-per-mb': 'genesPerMb',
} as const;

function usageError(message: string): GenomeCliUsageError {
  return new GenomeCliUsageError(`${message}\n${DEMO_GENOME_USAGE}`);
}

function parseSizes(value: string): ContigSpec[] {
  return value.split(',').map((text, i) => {
    const length = Number(text);
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(length) || length < 1) {
      throw usageError(
        `--sizes must be positive whole numbers separated by commas, got '${value}'`,
      );
    }
    return { name: `chr${i + 1}`, length };
  });
}

/** Parses the command line; throws GenomeCliUsageError. */
export function parseDemoGenomeArgs(argv: readonly string[]): DemoGenomeCliOptions {
  const raw = parseFlags(argv, FLAGS, DEMO_GENOME_USAGE);
  const out = requireFlag(raw.out, '--out', DEMO_GENOME_USAGE);
  const genome: DemoGenomeOptions = {};
  if (raw.seed !== undefined) {
    // Numeric seeds as numbers so that `--seed 7` and the library's seed 7 agree.
    genome.seed = /^\d+$/.test(raw.seed) ? Number(raw.seed) : raw.seed;
  }
  if (raw.sizes !== undefined) genome.chromosomes = parseSizes(raw.sizes);
  if (raw.genesPerMb !== undefined) {
    const density = Number(raw.genesPerMb);
    if (!Number.isFinite(density) || density < 0) {
      throw usageError(`--genes-per-mb must be a number >= 0, got '${raw.genesPerMb}'`);
    }
    genome.genesPerMb = density;
  }
  return { out, genome };
}

if (require.main === module) {
  void runTool('demo-genome', async () => {
    const { out, genome } = parseDemoGenomeArgs(process.argv.slice(2));
    const { files, genome: built } = await writeDemoGenome(out, genome);
    const bases = built.contigs.reduce((sum, c) => sum + c.seq.length, 0);
    console.log(
      `demo-genome: ${built.contigs.length} contigs (${bases} bp), ${built.genes.length} genes`,
    );
    for (const path of Object.values(files)) console.log(`  ${path}`);
  }).then((code) => {
    process.exitCode = code;
  });
}
