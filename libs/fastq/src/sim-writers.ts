// Streaming writers for simulated data: FASTA genome, gzip FASTQ pairs and the truth table.
//
// Nothing is built as one big string: text is gathered into ~1 MiB pieces and written to the
// stream with backpressure (waiting for 'drain' when the stream's buffer is full), so millions of
// reads or a large genome go to disk in constant memory. Gzip output uses zlib through
// stream/promises.pipeline, whose promise settles only when the file is fully flushed and closed
// (and rejects on any I/O error), so a resolved writer means a complete, valid .gz file.

import { once } from 'events';
import { createWriteStream } from 'fs';
import { Writable } from 'stream';
import { pipeline } from 'stream/promises';
import { createGzip } from 'zlib';
import { FastqRecord } from './fastq-parser';
import { Contig, TruthSite } from './sim-types';

const PIECE = 1 << 20;

/** Buffers text and writes it to a stream in large pieces, honouring backpressure. */
class TextSink {
  private parts: string[] = [];
  private size = 0;
  private readonly done: Promise<void>;

  constructor(
    private readonly head: Writable,
    done: Promise<void>,
  ) {
    this.done = done;
    // Errors surface through `close()`; avoid an unhandled rejection before then.
    done.catch(() => undefined);
  }

  /** Appends text; flushes (and may wait) once a piece is full. */
  async add(text: string): Promise<void> {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= PIECE) await this.flush();
  }

  /** True when `add` would flush; lets hot loops skip the await. */
  get full(): boolean {
    return this.size >= PIECE;
  }

  addSync(text: string): void {
    this.parts.push(text);
    this.size += text.length;
  }

  async flush(): Promise<void> {
    if (this.size === 0) return;
    const text = this.parts.join('');
    this.parts = [];
    this.size = 0;
    if (!this.head.write(text, 'latin1')) await once(this.head, 'drain');
  }

  async close(): Promise<void> {
    await this.flush();
    this.head.end();
    await this.done;
  }
}

function plainSink(path: string): TextSink {
  const file = createWriteStream(path);
  return new TextSink(
    file,
    once(file, 'close').then(() => undefined),
  );
}

function gzipSink(path: string, level: number): TextSink {
  const gzip = createGzip({ level });
  return new TextSink(gzip, pipeline(gzip, createWriteStream(path)));
}

/** One FASTQ record as text. */
export function formatFastqRecord(rec: FastqRecord): string {
  return `@${rec.name}\n${rec.seq}\n+\n${rec.qual}\n`;
}

export interface GzipWriteOptions {
  /** zlib compression level 1..9. Default 4. */
  level?: number;
}

/** Writes read pairs to two gzip FASTQ files; returns the number of pairs written. */
export async function writeFastqPairGz(
  r1Path: string,
  r2Path: string,
  pairs:
    | Iterable<{ r1: FastqRecord; r2: FastqRecord }>
    | AsyncIterable<{ r1: FastqRecord; r2: FastqRecord }>,
  opts: GzipWriteOptions = {},
): Promise<number> {
  const level = opts.level ?? 4;
  const [a, b] = [gzipSink(r1Path, level), gzipSink(r2Path, level)];
  let count = 0;
  try {
    for await (const pair of pairs) {
      a.addSync(formatFastqRecord(pair.r1));
      b.addSync(formatFastqRecord(pair.r2));
      count++;
      if (a.full || b.full) await Promise.all([a.flush(), b.flush()]);
    }
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
  return count;
}

/** Writes FASTQ records to one gzip file; returns the number of records written. */
export async function writeFastqGz(
  path: string,
  records: Iterable<FastqRecord> | AsyncIterable<FastqRecord>,
  opts: GzipWriteOptions = {},
): Promise<number> {
  const sink = gzipSink(path, opts.level ?? 4);
  let count = 0;
  try {
    for await (const rec of records) {
      await sink.add(formatFastqRecord(rec));
      count++;
    }
  } finally {
    await sink.close();
  }
  return count;
}

/** Writes contigs as FASTA with `width` bases per line. */
export async function writeFasta(path: string, contigs: Contig[], width = 60): Promise<void> {
  const sink = plainSink(path);
  try {
    for (const contig of contigs) {
      await sink.add(`>${contig.name}\n`);
      for (let i = 0; i < contig.seq.length; i += width) {
        sink.addSync(contig.seq.slice(i, i + width) + '\n');
        if (sink.full) await sink.flush();
      }
    }
  } finally {
    await sink.close();
  }
}

/**
 * Columns of truth.tsv, one row per site in site-index order (the `{siteIndex}` of read names).
 * `position` is the 1-based junction (DOMAIN.md), `strand` the strand of R1's alignment; `reads`
 * are the read pairs generated from the site (before any trimming or filter), `fragments` their
 * distinct breakpoints, `umis` their distinct molecules (true UMIs, before sequencing errors);
 * `multimapping` and `close_to_other_site` are 1 or 0; `placeable_reads` are the read pairs whose
 * host part is long enough to map (>= MIN_PLACEABLE_HOST bp) and `placeable_molecules` the
 * molecules with at least one of them (what a perfect caller could count).
 */
export const TRUTH_COLUMNS = [
  'chrom',
  'position',
  'strand',
  'cells',
  'reads',
  'fragments',
  'umis',
  'multimapping',
  'close_to_other_site',
  'placeable_reads',
  'placeable_molecules',
] as const;

/** One truth row as a TSV line (columns TRUTH_COLUMNS). */
export function formatTruthRow(s: TruthSite): string {
  const flag = (b: boolean) => (b ? '1' : '0');
  return (
    [s.chrom, s.position, s.strand, s.cells, s.reads, s.fragments, s.umis].join('\t') +
    `\t${flag(s.multimapping)}\t${flag(s.closeToOtherSite)}\t${s.placeableReads ?? s.reads}\t${s.placeableMolecules ?? s.umis}\n`
  );
}

/** Writes the truth table as TSV with a header line (columns TRUTH_COLUMNS). */
export async function writeTruth(path: string, sites: TruthSite[]): Promise<void> {
  const sink = plainSink(path);
  try {
    await sink.add(TRUTH_COLUMNS.join('\t') + '\n');
    for (const s of sites) await sink.add(formatTruthRow(s));
  } finally {
    await sink.close();
  }
}
