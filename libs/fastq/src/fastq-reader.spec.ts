// Reader and parser tests: known records from plain, gzip and multi-member gzip files, chunk
// boundaries anywhere, and for every malformed case the exact record, line and reason.

import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { gzipSync } from 'zlib';
import { FastqFormatError } from './errors';
import { FastqParser, FastqRecord } from './fastq-parser';
import { isGzipFile, readFastqBatches, readFastqFile } from './fastq-reader';

const RECORDS: FastqRecord[] = [
  { name: 'read1 1:N:0:ACGT', seq: 'ACGTACGTAC', qual: 'IIIIIIIIII' },
  { name: 'read2', seq: 'acgtnNRYSW.', qual: '!"#$%&\'()*~' },
  { name: 'read3/1', seq: 'GATTACA', qual: '5555555' },
];

function fastq(records: FastqRecord[], eol = '\n'): string {
  return records.map((r) => `@${r.name}${eol}${r.seq}${eol}+${eol}${r.qual}${eol}`).join('');
}

function manyRecords(n: number): FastqRecord[] {
  return Array.from({ length: n }, (_, i) => ({
    name: `r${i} 1:N:0:1`,
    seq: 'ACGT'.repeat(10 + (i % 20)),
    qual: 'F'.repeat(4 * (10 + (i % 20))),
  }));
}

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'fastq-reader-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

async function failure(path: string, label?: string): Promise<FastqFormatError> {
  try {
    await readFastqFile(path, { label });
  } catch (err) {
    if (err instanceof FastqFormatError) return err;
    throw err;
  }
  throw new Error('expected a FastqFormatError');
}

describe('readFastqBatches: valid input', () => {
  it('parses a plain file', async () => {
    const path = file('plain.fastq', fastq(RECORDS));
    expect(await isGzipFile(path)).toBe(false);
    expect(await readFastqFile(path)).toEqual(RECORDS);
  });

  it('parses a gzip file detected by magic bytes, whatever its name', async () => {
    const path = file('gz-without-extension.txt', gzipSync(fastq(RECORDS)));
    expect(await isGzipFile(path)).toBe(true);
    expect(await readFastqFile(path)).toEqual(RECORDS);
  });

  it('parses a multi-member gzip file', async () => {
    const many = manyRecords(500);
    const members = [many.slice(0, 1), many.slice(1, 250), many.slice(250)].map((part) =>
      gzipSync(fastq(part)),
    );
    const path = file('multi.fastq.gz', Buffer.concat(members));
    expect(await readFastqFile(path)).toEqual(many);
  });

  it('accepts CRLF, a missing final newline and trailing blank lines', async () => {
    expect(await readFastqFile(file('crlf.fq', fastq(RECORDS, '\r\n')))).toEqual(RECORDS);
    const text = fastq(RECORDS);
    expect(await readFastqFile(file('nonl.fq', text.slice(0, -1)))).toEqual(RECORDS);
    expect(await readFastqFile(file('blank.fq', text + '\n\n'))).toEqual(RECORDS);
  });

  it('reads an empty file as zero records', async () => {
    expect(await readFastqFile(file('empty.fq', ''))).toEqual([]);
    expect(await readFastqFile(file('empty.fq.gz', gzipSync('')))).toEqual([]);
  });

  it('yields batches of the requested size', async () => {
    const many = manyRecords(1000);
    const sizes: number[] = [];
    const all: FastqRecord[] = [];
    for await (const batch of readFastqBatches(file('many.fq.gz', gzipSync(fastq(many))), {
      batchSize: 300,
    })) {
      sizes.push(batch.length);
      all.push(...batch);
    }
    expect(sizes).toEqual([300, 300, 300, 100]);
    expect(all).toEqual(many);
  });

  it('stops cleanly when the consumer breaks early', async () => {
    const path = file('early.fq', fastq(manyRecords(5000)));
    let seen = 0;
    for await (const batch of readFastqBatches(path, { batchSize: 10 })) {
      seen += batch.length;
      break;
    }
    expect(seen).toBe(10);
  });
});

describe('FastqParser: chunk boundaries', () => {
  it('gives the same records whatever the chunking', () => {
    const many = manyRecords(200);
    const bytes = Buffer.from(fastq(many, '\r\n'));
    for (const size of [1, 2, 3, 7, 64, 1000]) {
      const parser = new FastqParser('R1');
      const out: FastqRecord[] = [];
      for (let i = 0; i < bytes.length; i += size) parser.push(bytes.subarray(i, i + size), out);
      parser.end(out);
      expect(out).toEqual(many);
      expect(parser.records).toBe(200);
      expect(parser.lines).toBe(800);
    }
  });
});

describe('readFastqBatches: malformed input', () => {
  const good = fastq(RECORDS.slice(0, 2));

  it.each([
    ['bad header', good + 'XREAD\nACGT\n+\nIIII\n', 3, 9, "header line does not start with '@'"],
    ['empty name', '@\nACGT\n+\nIIII\n', 1, 1, 'header line has an empty read name'],
    ['name starting with space', '@ x\nACGT\n+\nIIII\n', 1, 1, 'empty read name'],
    ['base X', good + '@r\nACXT\n+\nIIII\n', 3, 10, "invalid sequence character 'X' at position 3"],
    ['base Z', '@r\nZCGT\n+\nIIII\n', 1, 2, "invalid sequence character 'Z' at position 1"],
    ['digit', '@r\nACG5\n+\nIIII\n', 1, 2, "invalid sequence character '5' at position 4"],
    ['space in sequence', '@r\nAC T\n+\nIIII\n', 1, 2, 'invalid sequence character 0x20'],
    [
      'quality length',
      good + '@r\nACGTACGTACGT\n+\nIIIIIIIIII\n',
      3,
      12,
      'quality length 10 differs from sequence length 12',
    ],
    [
      'bad quality char',
      '@r\nACGT\n+\nII I\n',
      1,
      4,
      'invalid quality character 0x20 at position 3',
    ],
    [
      'missing +',
      good + '@r\nACGT\nIIII\n@s\n',
      3,
      11,
      "third line of the record does not start with '+'",
    ],
    ['blank line inside', good + '\n' + good, 3, 9, 'empty line between records'],
    [
      'ends after header',
      good + '@r\n',
      3,
      10,
      'truncated record: file ends after the header line',
    ],
    [
      'ends after sequence',
      good + '@r\nACGT\n',
      3,
      11,
      'truncated record: file ends after the sequence',
    ],
    [
      'ends after +',
      good + '@r\nACGT\n+\n',
      3,
      12,
      "truncated record: file ends after the '+' line",
    ],
    ['ends inside quality', good + '@r\nACGT\n+\nII', 3, 12, 'truncated record: quality length 2'],
    ['not FASTQ', 'hello world\nthis is not fastq\n', 1, 1, "header line does not start with '@'"],
  ])('%s', async (_case, content, record, line, reason) => {
    const err = await failure(file('bad.fq', content));
    expect({ record: err.record, line: err.line }).toEqual({ record, line });
    expect(err.reason).toContain(reason);
    expect(err.file).toBe('bad.fq');
  });

  it('formats the message with the label', async () => {
    const content = fastq(RECORDS.slice(0, 2)) + '@r\nACGTACGTACGT\n+\nIIIIIIIIII\n';
    const err = await failure(file('any-name.fq', content), 'R1');
    expect(err.message).toBe(
      'R1: record 3 (line 12): quality length 10 differs from sequence length 12',
    );
  });

  it('reports malformed records inside gzip too', async () => {
    const err = await failure(file('bad.fq.gz', gzipSync('@r\nACGU\n+\nIII\n')));
    expect([err.record, err.line]).toEqual([1, 4]);
  });

  it('turns a truncated gzip into a FastqFormatError with the record reached', async () => {
    const many = manyRecords(20000);
    const gz = gzipSync(fastq(many));
    const path = file('cut.fq.gz', gz.subarray(0, Math.floor(gz.length / 2)));
    const err = await failure(path, 'R2');
    expect(err.reason).toMatch(/^gzip stream is truncated or corrupt \(.*end of file.*\)$/);
    expect(err.file).toBe('R2');
    expect(err.record).toBeGreaterThan(1000);
    expect(err.record).toBeLessThan(20000);
    expect(err.message).toMatch(/^R2: record \d+ \(line \d+\): gzip stream is truncated/);
  });

  it('turns a corrupt gzip into a FastqFormatError', async () => {
    const gz = Buffer.from(gzipSync(fastq(manyRecords(100))));
    gz.fill(0xff, 20, 60);
    const err = await failure(file('corrupt.fq.gz', gz));
    expect(err.reason).toMatch(/^gzip stream is truncated or corrupt/);
  });

  it('rejects a binary file without newlines', async () => {
    const err = await failure(file('binary.bin', Buffer.alloc(3_000_000, 7)));
    expect([err.record, err.line]).toEqual([1, 1]);
    expect(err.reason).toContain("header line does not start with '@'");
  });
});
