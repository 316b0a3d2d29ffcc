// Pair validation tests: summaries of a good pair, count mismatches both ways, the exact record
// of a name mismatch across batch boundaries, Illumina and /1 /2 naming, empty and bad files.

import { mkdtempSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { gzipSync } from 'zlib';
import { FastqFormatError, FastqPairError } from './errors';
import { pairingKey, validateFastqPair } from './pair-validator';

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'fastq-pair-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Namer = (i: number) => string;

/** FASTQ text with `n` records named by `name`; read i has length 20 + i % 7. */
function fastq(n: number, name: Namer): string {
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    const len = 20 + (i % 7);
    parts.push(`@${name(i)}\n${'A'.repeat(len)}\n+\n${'I'.repeat(len)}\n`);
  }
  return parts.join('');
}

function file(name: string, content: string, gzip = false): string {
  const path = join(dir, name);
  writeFileSync(path, gzip ? gzipSync(content) : content);
  return path;
}

async function pairFailure(r1: string, r2: string, batchSize = 64): Promise<FastqPairError> {
  try {
    await validateFastqPair(r1, r2, { batchSize });
  } catch (err) {
    if (err instanceof FastqPairError) return err;
    throw err;
  }
  throw new Error('expected a FastqPairError');
}

const illumina1: Namer = (i) => `M0:1:FC:1:1101:${i}:1000 1:N:0:ACGT`;
const illumina2: Namer = (i) => `M0:1:FC:1:1101:${i}:1000 2:N:0:ACGT`;

describe('pairingKey', () => {
  it.each([
    ['X 1:N:0', 'X'],
    ['X/1', 'X'],
    ['X/2 comment', 'X'],
    ['X/3', 'X/3'],
    ['X\tcomment', 'X'],
    ['X', 'X'],
  ])('%s -> %s', (name, key) => expect(pairingKey(name)).toBe(key));
});

describe('validateFastqPair', () => {
  it('summarises a matching pair (gzip R1, plain R2, several batches)', async () => {
    const r1 = file('ok_R1.fq.gz', fastq(1000, illumina1), true);
    const r2 = file('ok_R2.fq', fastq(1000, illumina2));
    const summary = await validateFastqPair(r1, r2, { batchSize: 64 });
    const bases = Array.from({ length: 1000 }, (_, i) => 20 + (i % 7)).reduce((a, b) => a + b);
    expect(summary.records).toBe(1000);
    expect(summary.r1).toEqual({
      bytes: statSync(r1).size,
      records: 1000,
      bases,
      gzip: true,
      minLength: 20,
      maxLength: 26,
    });
    expect(summary.r2).toMatchObject({
      records: 1000,
      bases,
      gzip: false,
      bytes: statSync(r2).size,
    });
  });

  it('matches /1 and /2 mate suffixes', async () => {
    const r1 = file(
      'slash_R1.fq',
      fastq(10, (i) => `read${i}/1`),
    );
    const r2 = file(
      'slash_R2.fq',
      fastq(10, (i) => `read${i}/2`),
    );
    expect((await validateFastqPair(r1, r2)).records).toBe(10);
  });

  it('reports R1 having more records than R2', async () => {
    const r1 = file('long_R1.fq', fastq(1000, illumina1));
    const r2 = file('short_R2.fq.gz', fastq(999, illumina2), true);
    const err = await pairFailure(r1, r2);
    expect(err.message).toBe('R1 has 1000 records but R2 has 999');
    expect(err.record).toBe(1000);
  });

  it('reports R2 having more records than R1', async () => {
    const r1 = file('short_R1.fq', fastq(5, illumina1));
    const r2 = file('long_R2.fq', fastq(130, illumina2));
    const err = await pairFailure(r1, r2);
    expect(err.message).toBe('R1 has 5 records but R2 has 130');
  });

  it('names the record where read names differ', async () => {
    const r1 = file('names_R1.fq.gz', fastq(1000, illumina1), true);
    const other: Namer = (i) => (i === 776 ? 'intruder 2:N:0:ACGT' : illumina2(i));
    const r2 = file('names_R2.fq', fastq(1000, other));
    const err = await pairFailure(r1, r2, 100);
    expect(err.record).toBe(777);
    expect(err.message).toContain('record 777');
    expect(err.message).toContain(`R1 has '${illumina1(776)}'`);
    expect(err.message).toContain("R2 has 'intruder 2:N:0:ACGT'");
  });

  it('does not accept different reads with mate suffixes', async () => {
    const r1 = file(
      'x_R1.fq',
      fastq(3, (i) => `a${i}/1`),
    );
    const r2 = file(
      'x_R2.fq',
      fastq(3, (i) => (i === 0 ? 'a0/2' : `b${i}/2`)),
    );
    expect((await pairFailure(r1, r2)).record).toBe(2);
  });

  it('rejects an empty file', async () => {
    const full = file('full.fq', fastq(3, illumina1));
    const empty = file('empty.fq', '');
    expect((await pairFailure(empty, full)).message).toBe('R1 contains no FASTQ records');
    expect((await pairFailure(full, empty)).message).toBe('R2 contains no FASTQ records');
  });

  it('passes FastqFormatError through with the right label', async () => {
    const r1 = file('fmt_R1.fq', fastq(3, illumina1));
    const r2 = file('fmt_R2.fq', fastq(2, illumina2) + '@x\nACGT\n-\nIIII\n');
    const err = await validateFastqPair(r1, r2, { labels: ['left.fq', 'right.fq'] }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(FastqFormatError);
    expect((err as FastqFormatError).message).toMatch(/^right\.fq: record 3 \(line 11\)/);
  });
});
