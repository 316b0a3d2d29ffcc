// Read-length counting: one FASTQ file in, a length → count table out.
//
// The table is a dense array indexed by length that grows by doubling to the longest read seen,
// so memory depends on the longest read, never on the number of reads. Counts are stored as
// float64, exact up to 2^53 reads. The file is streamed through the shared FASTQ reader of
// @qslam/fastq, so every record is validated on the way and a malformed one raises the reader's
// FastqFormatError, which names the file label, the record and the line.

import { readFastqBatches } from '@qslam/fastq';

const INITIAL_CAPACITY = 512;

/** How many reads of each length one file holds. */
export class LengthHistogram {
  private counts = new Float64Array(INITIAL_CAPACITY);
  private maxSeen = -1;
  private total = 0;
  private totalBases = 0;

  /** Counts `times` reads of `length` bases. */
  add(length: number, times = 1): void {
    if (!Number.isInteger(length) || length < 0) {
      throw new RangeError(`read length must be a non-negative integer, got ${length}`);
    }
    if (length >= this.counts.length) this.grow(length);
    this.counts[length] += times;
    this.total += times;
    this.totalBases += length * times;
    if (length > this.maxSeen) this.maxSeen = length;
  }

  /** Number of reads of exactly `length` bases. */
  count(length: number): number {
    return length >= 0 && length < this.counts.length ? this.counts[length] : 0;
  }

  get reads(): number {
    return this.total;
  }

  get bases(): number {
    return this.totalBases;
  }

  /** Shortest read length, or null for an empty file. */
  get min(): number | null {
    for (let length = 0; length <= this.maxSeen; length++) {
      if (this.counts[length] > 0) return length;
    }
    return null;
  }

  /** Longest read length, or null for an empty file. */
  get max(): number | null {
    return this.maxSeen < 0 ? null : this.maxSeen;
  }

  /** The observed lengths with their counts, ascending; lengths with no read are left out. */
  entries(): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    for (let length = 0; length <= this.maxSeen; length++) {
      if (this.counts[length] > 0) out.push([length, this.counts[length]]);
    }
    return out;
  }

  /** Builds a histogram from read lengths (tests and small inputs). */
  static of(lengths: Iterable<number>): LengthHistogram {
    const histogram = new LengthHistogram();
    for (const length of lengths) histogram.add(length);
    return histogram;
  }

  private grow(length: number): void {
    let capacity = this.counts.length;
    while (capacity <= length) capacity *= 2;
    const larger = new Float64Array(capacity);
    larger.set(this.counts);
    this.counts = larger;
  }
}

/**
 * Streams a FASTQ file (plain or gzip) and counts its read lengths. `label` is the name used in
 * error messages (e.g. 'R1'). Throws FastqFormatError at the first malformed record.
 */
export async function countReadLengths(path: string, label: string): Promise<LengthHistogram> {
  const histogram = new LengthHistogram();
  for await (const batch of readFastqBatches(path, { label })) {
    for (const record of batch) histogram.add(record.seq.length);
  }
  return histogram;
}
