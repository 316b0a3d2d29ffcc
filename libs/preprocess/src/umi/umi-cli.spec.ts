// The command line: argument parsing as a pure function, and the real tool as a subprocess on a
// small simulated library (UMI at the start of R2), plus the exit codes for a bad pattern and
// for mates that do not pair.

import { spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import {
  FastqRecord,
  createRng,
  readFastqFile,
  simulateGenome,
  writeSimulatedLibrary,
} from '@qslam/fastq';
import { parseUmiCliArgs } from './umi-cli';
import { UmiPatternError, UmiUsageError } from './umi-errors';
import { UmiReport } from './umi-report';

const REPO = resolve(__dirname, '../../../..');
const CLI_SOURCE = join(__dirname, 'umi-cli.ts');
const SUBPROCESS_TIMEOUT = 120_000;

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'umi-cli-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI source through ts-node, the way the compiled file runs under node. */
function runCli(args: string[]) {
  const result = spawnSync(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', CLI_SOURCE, ...args],
    { cwd: REPO, encoding: 'utf8', timeout: SUBPROCESS_TIMEOUT },
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const BASE = [
  '--r1',
  'in/R1.fq.gz',
  '--r2',
  'in/R2.fq.gz',
  '--out-r1',
  'out/R1.fastq.gz',
  '--out-r2',
  'out/R2.fastq.gz',
  '--read',
  'R2',
  '--pattern',
  'NNNNNNXXXX',
  '--report',
  'out/umi.json',
];

function usageFailure(argv: string[]): UmiUsageError {
  try {
    parseUmiCliArgs(argv);
  } catch (err) {
    if (err instanceof UmiUsageError) return err;
    throw err;
  }
  throw new Error('expected a UmiUsageError');
}

function withFlag(flag: string, value: string | null): string[] {
  const i = BASE.indexOf(flag);
  const argv = [...BASE];
  if (value === null) argv.splice(i, 2);
  else argv[i + 1] = value;
  return argv;
}

describe('parseUmiCliArgs', () => {
  it('parses the full contract with the default --top', () => {
    const o = parseUmiCliArgs(BASE);
    expect(o).toMatchObject({
      r1: 'in/R1.fq.gz',
      r2: 'in/R2.fq.gz',
      outR1: 'out/R1.fastq.gz',
      outR2: 'out/R2.fastq.gz',
      read: 'R2',
      report: 'out/umi.json',
      top: 20,
    });
    expect(o.pattern).toMatchObject({ text: 'NNNNNNXXXX', length: 10, umiLength: 6 });
    expect(parseUmiCliArgs([...BASE, '--top', '5']).top).toBe(5);
    expect(parseUmiCliArgs(withFlag('--read', 'R1')).read).toBe('R1');
  });

  it.each([
    ['an unknown flag', [...BASE, '--umi', '10'], /unknown argument '--umi'/],
    ['a flag without value', [...BASE, '--top'], /missing value for --top/],
    ['a repeated flag', [...BASE, '--read', 'R1'], /--read given twice/],
    ['a missing --r2', withFlag('--r2', null), /--r2 is required/],
    ['a missing --report', withFlag('--report', null), /--report is required/],
    ['a bad --read', withFlag('--read', 'r2'), /--read must be R1 or R2, got 'r2'/],
    ['a bad --top', [...BASE, '--top', '-1'], /--top must be a whole number >= 0/],
    ['an output over an input', withFlag('--out-r2', 'in/R2.fq.gz'), /would be overwritten/],
    ['two equal outputs', withFlag('--report', 'out/R1.fastq.gz'), /three different files/],
  ])('rejects %s with the usage line', (_what, argv, message) => {
    const error = usageFailure(argv);
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/\nusage: umi-cli\.js --r1 IN_R1/);
  });

  it('rejects a bad pattern with a UmiPatternError', () => {
    const error = usageFailure(withFlag('--pattern', 'NNNNCCCC'));
    expect(error).toBeInstanceOf(UmiPatternError);
    expect(error.message).toMatch(/invalid UMI pattern 'NNNNCCCC': 'C' at position 5/);
  });
});

function nameToken(rec: FastqRecord): string {
  return rec.name.split(' ')[0];
}

describe('umi-cli as a subprocess', () => {
  it(
    'extracts the first 10 bases of R2 of a simulated library into both names',
    async () => {
      const genome = simulateGenome(createRng(3).fork('genome'), {
        contigs: [{ name: 'chr1', length: 50_000 }],
      });
      const input = { r1: join(dir, 'R1.fastq.gz'), r2: join(dir, 'R2.fastq.gz') };
      const opts = { seed: 3, genome, pairs: 1500, sites: 10, umiLength: 10 };
      await writeSimulatedLibrary(opts, { ...input, truth: join(dir, 'truth.tsv') });
      const out = { r1: join(dir, 'out.R1.fastq.gz'), r2: join(dir, 'out.R2.fastq.gz') };
      const report = join(dir, 'umi.json');
      const args = ['--r1', input.r1, '--r2', input.r2, '--out-r1', out.r1, '--out-r2', out.r2];
      const ok = runCli([...args, '--read', 'R2', '--pattern', 'N'.repeat(10), '--report', report]);
      expect(ok.stderr).toBe('');
      expect(ok.code).toBe(0);
      expect(ok.stdout).toMatch(/^umi: 1500 pairs in, 1500 written, 0 too short;/);

      const [in1, in2] = [await readFastqFile(input.r1), await readFastqFile(input.r2)];
      const [out1, out2] = [await readFastqFile(out.r1), await readFastqFile(out.r2)];
      expect([out1.length, out2.length]).toEqual([1500, 1500]);
      const counts = new Map<string, number>();
      for (let i = 0; i < in2.length; i++) {
        const umi = in2[i].seq.slice(0, 10);
        counts.set(umi, (counts.get(umi) ?? 0) + 1);
        expect(nameToken(out1[i])).toBe(`${nameToken(in1[i])}_${umi}`);
        expect(nameToken(out2[i])).toBe(`${nameToken(in2[i])}_${umi}`);
        expect(out1[i].name).toBe(in1[i].name.replace(' ', `_${umi} `));
        expect(out2[i].seq).toBe(in2[i].seq.slice(10));
        expect(out2[i].qual).toBe(in2[i].qual.slice(10));
        expect(out2[i].seq.length).toBe(in2[i].seq.length - 10);
        expect([out1[i].seq, out1[i].qual]).toEqual([in1[i].seq, in1[i].qual]);
      }
      const json = JSON.parse(readFileSync(report, 'utf8')) as UmiReport;
      expect(json).toMatchObject({
        reads_processed: 1500,
        reads_written: 1500,
        too_short: 0,
        umi_read: 'R2',
        umi_pattern: 'NNNNNNNNNN',
        umi_length: 10,
        distinct_umis: counts.size,
      });
      expect(json.top_umis).toHaveLength(Math.min(20, counts.size));
      const [first] = json.top_umis;
      expect(first.count).toBe(Math.max(...counts.values()));
      expect(counts.get(first.umi)).toBe(first.count);
    },
    SUBPROCESS_TIMEOUT,
  );

  it(
    'exits 2 on a bad pattern and 1 on mates that do not pair',
    () => {
      const r1 = join(dir, 'x.R1.fastq');
      const r2 = join(dir, 'x.R2.fastq');
      writeFileSync(r1, '@a 1:N:0:1\nACGTACGT\n+\nIIIIIIII\n@b 1:N:0:1\nACGTACGT\n+\nIIIIIIII\n');
      writeFileSync(r2, '@a 2:N:0:1\nACGTACGT\n+\nIIIIIIII\n@c 2:N:0:1\nACGTACGT\n+\nIIIIIIII\n');
      const args = ['--r1', r1, '--r2', r2, '--out-r1', join(dir, 'x1.gz')];
      args.push('--out-r2', join(dir, 'x2.gz'), '--read', 'R1', '--report', join(dir, 'x.json'));

      const badPattern = runCli([...args, '--pattern', 'NNNNZ']);
      expect(badPattern.code).toBe(2);
      expect(badPattern.stderr).toMatch(/^umi: invalid UMI pattern 'NNNNZ': 'Z' at position 5/);

      const unpaired = runCli([...args, '--pattern', 'NNNN']);
      expect(unpaired.code).toBe(1);
      expect(unpaired.stderr).toBe(
        "umi: read names differ at record 2: R1 has 'b 1:N:0:1' but R2 has 'c 2:N:0:1' " +
          '(R1 and R2 must list the same reads in the same order)\n',
      );
    },
    SUBPROCESS_TIMEOUT,
  );
});
