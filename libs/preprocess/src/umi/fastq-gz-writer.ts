// Buffered gzip FASTQ output for the preprocessing tools.
//
// Each record is formatted as one string and encoded (latin1) straight into a 1 MiB Buffer
// piece; complete pieces are handed to zlib by `flush`, which waits for 'drain', so memory stays
// bounded by what the caller adds between flushes plus zlib's buffer. Encoding each record into
// the Buffer flattens its string in one pass; gathering strings and joining them per piece
// measured 4-5x slower and made far more garbage. Compression runs on libuv's thread pool, off
// the JavaScript thread. The level is low on purpose: these files are intermediates read once by
// the next step, and level 1 is several times faster than the default 6 for a modestly larger
// file. stream/promises.pipeline settles only when the file is fully flushed and closed (and
// rejects on any I/O error), so a resolved `close()` means a complete, valid .gz file.

import { once } from 'events';
import { createWriteStream } from 'fs';
import { pipeline } from 'stream/promises';
import { Gzip, createGzip } from 'zlib';
import { FastqRecord } from '@qslam/fastq';

/** zlib level for intermediate FASTQ files. */
export const INTERMEDIATE_GZIP_LEVEL = 1;

const PIECE = 1 << 20;
const GZIP_CHUNK = 1 << 18;

export class FastqGzWriter {
  /** Records written so far. */
  records = 0;
  private piece = Buffer.allocUnsafe(PIECE);
  private used = 0;
  /** Complete pieces not yet handed to zlib. */
  private sealed: Buffer[] = [];
  private readonly gzip: Gzip;
  private readonly done: Promise<void>;

  constructor(path: string, level = INTERMEDIATE_GZIP_LEVEL) {
    this.gzip = createGzip({ level, chunkSize: GZIP_CHUNK });
    this.done = pipeline(this.gzip, createWriteStream(path));
    // Errors surface through flush()/close(); avoid an unhandled rejection before then.
    this.done.catch(() => undefined);
  }

  /** Appends one record to the current piece (no I/O); call `flush` when `full`. */
  add(rec: FastqRecord): void {
    const text = `@${rec.name}\n${rec.seq}\n+\n${rec.qual}\n`;
    // Headers and qualities are latin1 strings (see FastqParser), so length === bytes.
    if (text.length > this.piece.length - this.used) this.seal(text.length);
    this.used += this.piece.write(text, this.used, 'latin1');
    this.records++;
  }

  /** True when a piece is complete and `flush` should be called. */
  get full(): boolean {
    return this.sealed.length > 0 || this.used >= PIECE;
  }

  /** Hands the complete pieces to zlib, waiting when zlib's buffer is full. */
  async flush(): Promise<void> {
    if (this.used >= PIECE) this.seal(0);
    const pieces = this.sealed;
    if (pieces.length === 0) return;
    this.sealed = [];
    let room = true;
    for (const data of pieces) room = this.gzip.write(data);
    if (!room) await Promise.race([once(this.gzip, 'drain'), this.done]);
  }

  /** Closes the current piece and starts one with room for at least `needed` bytes. */
  private seal(needed: number): void {
    // zlib keeps a reference to a written Buffer until it has compressed it: never reuse one.
    if (this.used > 0) this.sealed.push(this.piece.subarray(0, this.used));
    this.piece = Buffer.allocUnsafe(Math.max(PIECE, needed));
    this.used = 0;
  }

  /** Writes the rest and resolves once the file is complete and closed. */
  async close(): Promise<void> {
    if (this.used > 0) this.seal(0);
    await this.flush();
    this.gzip.end();
    await this.done;
  }

  /** Stops writing after a failure elsewhere; the partial file is left for the caller. */
  async abort(): Promise<void> {
    this.used = 0;
    this.sealed = [];
    this.gzip.destroy();
    await this.done.catch(() => undefined);
  }
}
