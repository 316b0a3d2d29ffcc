// Command line front end of the readlen tool, run by the `readlen` step as a job subprocess:
//
//   node dist/.../libs/preprocess/src/readlen/readlen-cli.js --r1 IN_R1 --r2 IN_R2 --out-dir DIR
//
// IN_R1 / IN_R2 are FASTQ files, plain or gzip (detected from the content). DIR receives
// readlen.tsv, readlen.json, readlen_histogram.svg, readlen_fraction_ge.svg and readlen.pdf
// (created if missing). Exit status: 0 success; 1 an input is missing or malformed (the message
// on stderr names the file and, for bad content, the record and line); 2 a usage error.
// This is the only place that turns errors into messages and exit codes.

import { FastqFormatError } from '@qslam/fastq';
import { ReadlenInputError, ReadlenUsageError } from './errors';
import { formatCount } from './chart-ticks';
import { ReadLengthStats } from './length-stats';
import { ReadlenInputs, runReadlen } from './readlen-report';

export const READLEN_USAGE = 'usage: readlen-cli.js --r1 IN_R1 --r2 IN_R2 --out-dir DIR';

const FLAGS: Record<string, keyof ReadlenInputs> = {
  '--r1': 'r1',
  '--r2': 'r2',
  '--out-dir': 'outDir',
};

/** Parses `--flag value` pairs; every flag is required exactly once. */
export function parseReadlenArgs(argv: string[]): ReadlenInputs {
  const given: Partial<ReadlenInputs> = {};
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    const key = FLAGS[flag];
    if (key === undefined) throw new ReadlenUsageError(`unknown argument ${flag}`);
    if (value === undefined || value === '') {
      throw new ReadlenUsageError(`missing value for ${flag}`);
    }
    if (given[key] !== undefined) throw new ReadlenUsageError(`${flag} given twice`);
    given[key] = value;
  }
  const missing = Object.entries(FLAGS).filter(([, key]) => given[key] === undefined);
  if (missing.length > 0) {
    throw new ReadlenUsageError(`missing ${missing.map(([flag]) => flag).join(', ')}`);
  }
  return given as ReadlenInputs;
}

function summaryLine(file: string, s: ReadLengthStats): string {
  if (s.reads === 0 || s.mean === null) return `${file}: no reads`;
  return (
    `${file}: ${formatCount(s.reads)} read${s.reads === 1 ? '' : 's'}, ` +
    `${formatCount(s.bases)} bases, ` +
    `length ${s.min}-${s.max}, mean ${s.mean.toFixed(2)}, median ${s.median}, N50 ${s.n50}`
  );
}

/** Exit status for an error: 2 for usage, 1 for input problems and anything else. */
export function exitCodeFor(err: unknown): number {
  return err instanceof ReadlenUsageError ? 2 : 1;
}

function messageFor(err: unknown): string {
  if (err instanceof ReadlenUsageError) return `readlen: ${err.message}\n${READLEN_USAGE}`;
  if (err instanceof FastqFormatError) return `readlen: malformed FASTQ: ${err.message}`;
  if (err instanceof ReadlenInputError) return `readlen: ${err.message}`;
  return `readlen: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`;
}

async function main(): Promise<void> {
  const started = Date.now();
  const inputs = parseReadlenArgs(process.argv.slice(2));
  const { stats } = await runReadlen(inputs);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`readlen: ${summaryLine('R1', stats.R1)}`);
  console.log(`readlen: ${summaryLine('R2', stats.R2)}`);
  console.log(`readlen: wrote ${inputs.outDir} in ${seconds}s`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(messageFor(err));
    process.exitCode = exitCodeFor(err);
  });
}
