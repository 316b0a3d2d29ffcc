// The streaming engine in-process: exact output files for plain input, pairing errors found in a
// later batch, files of different lengths, and the gzip writer across piece boundaries.

import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { FastqFormatError, FastqPairError, FastqRecord, readFastqFile } from '@qslam/fastq';
import { FastqGzWriter } from './fastq-gz-writer';
import { extractUmis } from './umi-extract';
import { parseUmiPattern } from './umi-pattern';

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'umi-extract-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fastqFile(name: string, records: FastqRecord[]): string {
  const path = join(dir, name);
  writeFileSync(path, records.map((r) => `@${r.name}\n${r.seq}\n+\n${r.qual}\n`).join(''));
  return path;
}

function mates(n: number, r2Length = 30): [FastqRecord[], FastqRecord[]] {
  const seq = (i: number, len: number) => 'ACGT'.repeat(len).slice(i % 4, (i % 4) + len);
  const r1 = Array.from({ length: n }, (_, i) => ({
    name: `p${i} 1:N:0:1`,
    seq: seq(i, 20),
    qual: 'F'.repeat(20),
  }));
  const r2 = Array.from({ length: n }, (_, i) => ({
    name: `p${i} 2:N:0:1`,
    seq: seq(i, r2Length),
    qual: 'I'.repeat(r2Length),
  }));
  return [r1, r2];
}

function paths(tag: string) {
  return { outR1: join(dir, `${tag}.R1.fastq.gz`), outR2: join(dir, `${tag}.R2.fastq.gz`) };
}

describe('extractUmis', () => {
  it('writes gzip outputs with exact records and drops too-short pairs', async () => {
    const r1 = [
      { name: 'a 1:N:0:1', seq: 'TTTTT', qual: '!!!!!' },
      { name: 'b 1:N:0:1', seq: 'GGGGG', qual: '#####' },
      { name: 'c 1:N:0:1', seq: 'CCCCC', qual: '$$$$$' },
    ];
    const r2 = [
      { name: 'a 2:N:0:1', seq: 'AACCGGTTAC', qual: '0123456789' },
      { name: 'b 2:N:0:1', seq: 'AACCG', qual: '01234' },
      { name: 'c 2:N:0:1', seq: 'AACCNNTTTT', qual: 'abcdefghij' },
    ];
    const out = paths('exact');
    const report = await extractUmis({
      r1: fastqFile('exact.R1.fastq', r1),
      r2: fastqFile('exact.R2.fastq', r2),
      ...out,
      read: 'R2',
      pattern: parseUmiPattern('NNNNNNX'),
    });
    expect(readFileSync(out.outR1).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(await readFastqFile(out.outR1)).toEqual([
      { name: 'a_AACCGG 1:N:0:1', seq: 'TTTTT', qual: '!!!!!' },
      { name: 'c_AACCNN 1:N:0:1', seq: 'CCCCC', qual: '$$$$$' },
    ]);
    expect(await readFastqFile(out.outR2)).toEqual([
      { name: 'a_AACCGG 2:N:0:1', seq: 'TAC', qual: '789' },
      { name: 'c_AACCNN 2:N:0:1', seq: 'TTT', qual: 'hij' },
    ]);
    expect(report).toMatchObject({
      reads_processed: 3,
      reads_written: 2,
      too_short: 1,
      distinct_umis: 2,
      umis_with_n: 1,
      fraction_with_n: 0.5,
    });
  });

  it('reports a name mismatch deep in the files with its record number', async () => {
    const [r1, r2] = mates(10000);
    r2[9000] = { ...r2[9000], name: 'other 2:N:0:1' };
    const run = extractUmis({
      r1: fastqFile('mismatch.R1.fastq', r1),
      r2: fastqFile('mismatch.R2.fastq', r2),
      ...paths('mismatch'),
      read: 'R2',
      pattern: parseUmiPattern('NNNNNNNNNN'),
    });
    await expect(run).rejects.toThrow(FastqPairError);
    await expect(run).rejects.toThrow(
      "read names differ at record 9001: R1 has 'p9000 1:N:0:1' but R2 has 'other 2:N:0:1'",
    );
  });

  it('rejects files with different numbers of records', async () => {
    const [r1, r2] = mates(5000);
    const run = extractUmis({
      r1: fastqFile('uneven.R1.fastq', r1),
      r2: fastqFile('uneven.R2.fastq', r2.slice(0, 4999)),
      ...paths('uneven'),
      read: 'R2',
      pattern: parseUmiPattern('NNNNNNNNNN'),
    });
    await expect(run).rejects.toThrow('R2 ends after 4999 records but R1 has more');
  });

  it('passes malformed FASTQ errors through', async () => {
    const [r1] = mates(3);
    const bad = join(dir, 'bad.R2.fastq');
    writeFileSync(bad, `@p0 2:N:0:1\nACGT\n+\nIII\n`);
    const run = extractUmis({
      r1: fastqFile('bad.R1.fastq', r1),
      r2: bad,
      ...paths('bad'),
      read: 'R2',
      pattern: parseUmiPattern('NN'),
    });
    await expect(run).rejects.toThrow(FastqFormatError);
  });

  it('handles an empty pair of files as zero reads', async () => {
    const report = await extractUmis({
      r1: fastqFile('empty.R1.fastq', []),
      r2: fastqFile('empty.R2.fastq', []),
      ...paths('empty'),
      read: 'R1',
      pattern: parseUmiPattern('NNNN'),
    });
    expect(report).toMatchObject({ reads_processed: 0, reads_written: 0, distinct_umis: 0 });
    expect(await readFastqFile(paths('empty').outR1)).toEqual([]);
  });
});

describe('FastqGzWriter', () => {
  it('round-trips many records across pieces, including one longer than a piece', async () => {
    const records: FastqRecord[] = Array.from({ length: 20000 }, (_, i) => ({
      name: `r${i} x`,
      seq: 'ACGTN'.repeat(1 + (i % 60)),
      qual: 'I#'.repeat(1 + (i % 60)).padEnd(5 * (1 + (i % 60)), '~'),
    }));
    records.splice(7000, 0, { name: 'huge', seq: 'A'.repeat(3 << 20), qual: 'E'.repeat(3 << 20) });
    const path = join(dir, 'writer.fastq.gz');
    const writer = new FastqGzWriter(path);
    for (const rec of records) {
      writer.add(rec);
      if (writer.full) await writer.flush();
    }
    await writer.close();
    expect(writer.records).toBe(records.length);
    expect(await readFastqFile(path)).toEqual(records);
  });
});
