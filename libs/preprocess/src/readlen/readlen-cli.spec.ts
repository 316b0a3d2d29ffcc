// The readlen CLI: argument parsing, and end-to-end runs of the real command as a subprocess on
// small FASTQ files written here (plain R1, gzip R2, varied lengths), checking every output,
// the exit codes and the error message for a malformed record.

import { spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { gzipSync } from 'zlib';
import { parseReadlenArgs } from './readlen-cli';
import { READLEN_OUTPUTS } from './readlen-report';
import { TSV_COLUMNS } from './readlen-table';

const REPO_ROOT = resolve(__dirname, '../../../..');
const CLI_SOURCE = join(__dirname, 'readlen-cli.ts');

/** Runs the CLI source through ts-node, the way the compiled file runs under node. */
function runCli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', CLI_SOURCE, ...args],
    { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function fastq(lengths: number[], prefix: string): string {
  return lengths
    .map(
      (n, i) => `@${prefix}${i} 1:N:0:1\n${'ACGTN'.repeat(60).slice(0, n)}\n+\n${'F'.repeat(n)}\n`,
    )
    .join('');
}

const R1_LENGTHS = [150, 150, 149, 120, 75, 75, 75, 33, 150, 1, 98, 150];
/** Each run starts a fresh ts-node process, which takes a few seconds. */
const SUBPROCESS_TIMEOUT = 60_000;
const R2_LENGTHS = [150, 140, 140, 60, 150, 150, 20, 88, 150, 150, 150, 0];

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'readlen-cli-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('parseReadlenArgs', () => {
  it('reads the three required flags in any order', () => {
    expect(parseReadlenArgs(['--out-dir', 'o', '--r2', 'b', '--r1', 'a'])).toEqual({
      r1: 'a',
      r2: 'b',
      outDir: 'o',
    });
  });

  it('rejects missing, unknown, repeated and valueless flags', () => {
    expect(() => parseReadlenArgs(['--r1', 'a'])).toThrow('missing --r2, --out-dir');
    expect(() => parseReadlenArgs(['--r1', 'a', '--r3', 'b'])).toThrow('unknown argument --r3');
    expect(() => parseReadlenArgs(['--r1', 'a', '--r1', 'b'])).toThrow('--r1 given twice');
    expect(() => parseReadlenArgs(['--r1'])).toThrow('missing value for --r1');
  });
});

describe('readlen-cli as a subprocess', () => {
  it(
    'writes the five outputs for a plain R1 and a gzip R2 with varied lengths',
    () => {
      const r1 = join(dir, 'R1.fastq');
      const r2 = join(dir, 'R2.fastq.gz');
      writeFileSync(r1, fastq(R1_LENGTHS, 'a'));
      writeFileSync(r2, gzipSync(fastq(R2_LENGTHS, 'b')));
      const out = join(dir, 'out');

      const run = runCli(['--r1', r1, '--r2', r2, '--out-dir', out]);
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout).toContain('R1: 12 reads');

      const json = JSON.parse(readFileSync(join(out, READLEN_OUTPUTS.json), 'utf8'));
      for (const [file, lengths] of [
        ['R1', R1_LENGTHS],
        ['R2', R2_LENGTHS],
      ] as const) {
        const histogram: Array<[number, number]> = json[file].histogram;
        expect(histogram.reduce((sum, [, count]) => sum + count, 0)).toBe(lengths.length);
        expect(json[file].reads).toBe(lengths.length);
        expect(json[file].bases).toBe(lengths.reduce((a, b) => a + b, 0));
        expect(json[file].min).toBe(Math.min(...lengths));
        expect(json[file].max).toBe(Math.max(...lengths));
      }
      // R1 sorted: 1 33 75 75 75 98 | 120 149 150 150 150 150 → lower middle (6th) = 98.
      expect(json.R1.median).toBe(98);

      const tsv = readFileSync(join(out, READLEN_OUTPUTS.tsv), 'utf8').trimEnd().split('\n');
      expect(tsv[0].split('\t')).toEqual([...TSV_COLUMNS]);
      expect(tsv).toHaveLength(1 + 151); // lengths 0..150
      const row150 = tsv.find((line) => line.startsWith('150\t'))!.split('\t');
      expect(row150).toEqual(['150', '4', '6', '0.333333', '0.500000']);
      const tsvTotals = [1, 2].map((col) =>
        tsv.slice(1).reduce((sum, line) => sum + Number(line.split('\t')[col]), 0),
      );
      expect(tsvTotals).toEqual([R1_LENGTHS.length, R2_LENGTHS.length]);

      const pdf = readFileSync(join(out, READLEN_OUTPUTS.pdf)).toString('latin1');
      expect(pdf.startsWith('%PDF-1.4')).toBe(true);
      expect(pdf).toContain('/Count 2');
      for (const svg of [READLEN_OUTPUTS.histogramSvg, READLEN_OUTPUTS.fractionSvg]) {
        const text = readFileSync(join(out, svg), 'utf8');
        expect(text).toContain('data-series="R1"');
        expect(text).toContain('data-series="R2"');
      }
    },
    SUBPROCESS_TIMEOUT,
  );

  it(
    'exits 1 naming the file and the record when a record is malformed',
    () => {
      const good = join(dir, 'good.fastq');
      const bad = join(dir, 'bad.fastq.gz');
      writeFileSync(good, fastq([10, 20, 30], 'g'));
      const text = fastq([10, 20], 'b') + '@b2\nACGT\n+\nFFF\n';
      writeFileSync(bad, gzipSync(text));
      const out = join(dir, 'bad-out');

      const run = runCli(['--r1', good, '--r2', bad, '--out-dir', out]);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`R2 (${bad}): record 3 (line 12)`);
      expect(run.stderr).toContain('quality length 3 differs from sequence length 4');
      expect(() => readFileSync(join(out, READLEN_OUTPUTS.tsv))).toThrow();
    },
    SUBPROCESS_TIMEOUT,
  );

  it(
    'exits 1 for a missing input and 2 for a usage error',
    () => {
      const missing = join(dir, 'missing.fastq');
      const run = runCli(['--r1', missing, '--r2', missing, '--out-dir', join(dir, 'x')]);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`R1: cannot read ${missing}`);

      const usage = runCli(['--r1', missing]);
      expect(usage.status).toBe(2);
      expect(usage.stderr).toContain('usage: readlen-cli.js --r1 IN_R1 --r2 IN_R2 --out-dir DIR');
    },
    SUBPROCESS_TIMEOUT,
  );
});
