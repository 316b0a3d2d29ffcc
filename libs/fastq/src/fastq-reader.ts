// Streaming FASTQ reader: plain or gzip file in, batches of validated records out.
//
// Compression is detected from the magic bytes (1f 8b), never from the file name. Gzip input is
// decompressed by Node's zlib, which continues across concatenated members (multi-member gzip as
// written by bgzip, pigz or `cat a.gz b.gz`). The file is read in 1 MiB chunks and fed to the
// synchronous FastqParser; the generator awaits once per chunk and yields fixed-size batches, so
// the per-record cost is pure parsing and memory stays constant whatever the file size. Any zlib
// failure (truncated or corrupt gzip) is turned into a FastqFormatError that says how far the
// reading got, so callers only have one error type to report for a bad file.

import { createReadStream } from 'fs';
import { open } from 'fs/promises';
import { basename } from 'path';
import { Readable, pipeline } from 'stream';
import { createGunzip } from 'zlib';
import { FastqFormatError } from './errors';
import { FastqParser, FastqRecord } from './fastq-parser';

export interface ReadFastqOptions {
  /** Records per yielded batch (the last batch may be smaller). Default 4096. */
  batchSize?: number;
  /** Name used in error messages, e.g. 'R1'. Default: the file's basename. */
  label?: string;
}

export const DEFAULT_BATCH_SIZE = 4096;
const READ_CHUNK = 1 << 20;
const GUNZIP_CHUNK = 1 << 18;

/** True when the file starts with the gzip magic bytes 1f 8b. */
export async function isGzipFile(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const magic = Buffer.alloc(2);
    const { bytesRead } = await handle.read(magic, 0, 2, 0);
    return bytesRead === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

/** Opens the file as a stream of uncompressed FASTQ bytes. */
export async function openFastqStream(path: string): Promise<{ stream: Readable; gzip: boolean }> {
  const gzip = await isGzipFile(path);
  const file = createReadStream(path, { highWaterMark: READ_CHUNK });
  if (!gzip) return { stream: file, gzip };
  // pipeline() forwards errors of either stage to the gunzip stream the caller iterates and
  // tears the file stream down when the caller stops early; the callback has nothing to add.
  const gunzip = pipeline(file, createGunzip({ chunkSize: GUNZIP_CHUNK }), () => undefined);
  return { stream: gunzip, gzip };
}

// Duck-typed, not `instanceof Error`: zlib's errors come from Node's own realm, which differs
// from the caller's under jest (and vm contexts in general).
function isZlibError(err: unknown): err is Error & { code: string } {
  if (typeof err !== 'object' || err === null || err instanceof FastqFormatError) return false;
  const { code, message } = err as { code?: unknown; message?: unknown };
  return typeof code === 'string' && code.startsWith('Z_') && typeof message === 'string';
}

function gzipError(parser: FastqParser, err: Error): FastqFormatError {
  const reason = `gzip stream is truncated or corrupt (${err.message})`;
  return parser.error(parser.lines + 1, reason);
}

/**
 * Reads a FASTQ file (plain or gzip) as batches of validated records.
 * Throws FastqFormatError at the first malformed record or on a truncated/corrupt gzip stream.
 * An empty file yields nothing; whether that is an error is the caller's decision.
 */
export async function* readFastqBatches(
  path: string,
  opts: ReadFastqOptions = {},
): AsyncGenerator<FastqRecord[]> {
  const batchSize = Math.max(1, Math.floor(opts.batchSize ?? DEFAULT_BATCH_SIZE));
  const parser = new FastqParser(opts.label ?? basename(path));
  const { stream, gzip } = await openFastqStream(path);
  let batch: FastqRecord[] = [];
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      parser.push(chunk, batch);
      if (batch.length >= batchSize) {
        let start = 0;
        for (; batch.length - start >= batchSize; start += batchSize) {
          yield batch.slice(start, start + batchSize);
        }
        batch = batch.slice(start);
      }
    }
  } catch (err) {
    if (gzip && isZlibError(err)) throw gzipError(parser, err);
    throw err;
  } finally {
    stream.destroy();
  }
  parser.end(batch);
  if (batch.length > 0) yield batch;
}

/** Convenience for small files and tests: all records of a file in one array. */
export async function readFastqFile(
  path: string,
  opts: ReadFastqOptions = {},
): Promise<FastqRecord[]> {
  const all: FastqRecord[] = [];
  for await (const batch of readFastqBatches(path, opts)) all.push(...batch);
  return all;
}
