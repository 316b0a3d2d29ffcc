// Command line of the UMI extraction tool, run by the `umi` pipeline step as a subprocess:
//
//   node umi-cli.js --r1 IN_R1 --r2 IN_R2 --out-r1 OUT_R1.fastq.gz --out-r2 OUT_R2.fastq.gz
//                   --read R1|R2 --pattern PATTERN --report REPORT.json [--top 20]
//
// Inputs may be plain or gzip FASTQ; outputs are always gzip. The report JSON is written last,
// after both outputs are complete. Exit codes: 0 success; 1 the data or the files failed
// (malformed FASTQ, mates that do not pair, I/O error); 2 a bad command line or UMI pattern,
// detected before anything is read. Errors are one line on stderr. Argument parsing is a pure
// function so that the step definition's argument lists can be tested against it.

import { writeFile } from 'fs/promises';
import { resolve } from 'path';
import { UmiUsageError } from './umi-errors';
import { extractUmis, UmiExtractOptions } from './umi-extract';
import { parseUmiPattern } from './umi-pattern';
import { DEFAULT_TOP_UMIS, UmiReport } from './umi-report';
import { UMI_READS, UmiRead } from './umi-transform';

export interface UmiCliOptions extends Omit<UmiExtractOptions, 'top' | 'gzipLevel'> {
  report: string;
  top: number;
}

export const UMI_CLI_USAGE =
  'usage: umi-cli.js --r1 IN_R1 --r2 IN_R2 --out-r1 OUT_R1.fastq.gz --out-r2 OUT_R2.fastq.gz ' +
  '--read R1|R2 --pattern PATTERN --report REPORT.json [--top 20]';

const FLAGS = {
  '--r1': 'r1',
  '--r2': 'r2',
  '--out-r1': 'outR1',
  '--out-r2': 'outR2',
  '--read': 'read',
  '--pattern': 'pattern',
  '--report': 'report',
  '--top': 'top',
} as const;

type Flag = keyof typeof FLAGS;
type RawOptions = Partial<Record<(typeof FLAGS)[Flag], string>>;

function usageError(message: string): UmiUsageError {
  return new UmiUsageError(`${message}\n${UMI_CLI_USAGE}`);
}

function readFlags(argv: string[]): RawOptions {
  const raw: RawOptions = {};
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i];
    if (!Object.hasOwn(FLAGS, flag)) throw usageError(`unknown argument '${flag}'`);
    const key = FLAGS[flag as Flag];
    const value = argv[i + 1];
    if (value === undefined || value === '') throw usageError(`missing value for ${flag}`);
    if (raw[key] !== undefined) throw usageError(`${flag} given twice`);
    raw[key] = value;
  }
  return raw;
}

function required(raw: RawOptions, key: Exclude<keyof RawOptions, 'top'>): string {
  const value = raw[key];
  const flag = Object.keys(FLAGS).find((f) => FLAGS[f as Flag] === key);
  if (value === undefined) throw usageError(`${flag} is required`);
  return value;
}

function parseTop(value: string | undefined): number {
  if (value === undefined) return DEFAULT_TOP_UMIS;
  const top = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(top)) {
    throw usageError(`--top must be a whole number >= 0, got '${value}'`);
  }
  return top;
}

function checkDistinctPaths(o: UmiCliOptions): void {
  const inputs = new Set([resolve(o.r1), resolve(o.r2)]);
  const outputs = [o.outR1, o.outR2, o.report].map((p) => resolve(p));
  if (new Set(outputs).size < outputs.length) {
    throw usageError('--out-r1, --out-r2 and --report must be three different files');
  }
  if (outputs.some((p) => inputs.has(p))) {
    throw usageError('an output path is one of the input files; it would be overwritten');
  }
}

function parseRead(value: string): UmiRead {
  const read = UMI_READS.find((r) => r === value);
  if (read === undefined) throw usageError(`--read must be R1 or R2, got '${value}'`);
  return read;
}

/** Parses the command line; throws UmiUsageError (exit code 2) on anything wrong. */
export function parseUmiCliArgs(argv: string[]): UmiCliOptions {
  const raw = readFlags(argv);
  // Checked in the order of the usage line, so the first message names the first problem.
  const r1 = required(raw, 'r1');
  const r2 = required(raw, 'r2');
  const outR1 = required(raw, 'outR1');
  const outR2 = required(raw, 'outR2');
  const read = parseRead(required(raw, 'read'));
  const pattern = parseUmiPattern(required(raw, 'pattern'));
  const report = required(raw, 'report');
  const options = { r1, r2, outR1, outR2, read, pattern, report, top: parseTop(raw.top) };
  checkDistinctPaths(options);
  return options;
}

function summary(r: UmiReport, seconds: number): string {
  const rate = seconds > 0 ? Math.round((r.reads_processed / seconds) * 60) : 0;
  return (
    `umi: ${r.reads_processed} pairs in, ${r.reads_written} written, ${r.too_short} too short; ` +
    `${r.distinct_umis} distinct UMIs, ${r.umis_with_n} with N; ` +
    `${seconds.toFixed(1)} s (${rate} pairs/min)`
  );
}

/** Runs the tool and returns the process exit code; never throws. */
export async function runUmiCli(argv: string[]): Promise<number> {
  let options: UmiCliOptions;
  try {
    options = parseUmiCliArgs(argv);
  } catch (err) {
    console.error(`umi: ${err instanceof Error ? err.message : String(err)}`);
    return 2;
  }
  try {
    const started = process.hrtime.bigint();
    const report = await extractUmis(options);
    await writeFile(options.report, JSON.stringify(report, null, 2) + '\n');
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    console.log(summary(report, seconds));
    return 0;
  } catch (err) {
    console.error(`umi: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

if (require.main === module) {
  void runUmiCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
