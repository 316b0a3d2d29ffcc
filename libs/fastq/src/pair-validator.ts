// Paired FASTQ validation: both files are read in lockstep, batch by batch, in constant memory.
//
// Each file is fully validated by the streaming reader (FastqFormatError for a malformed file);
// on top of that, mates are compared record by record by their pairing key (first
// whitespace-delimited token of the name without a trailing /1 or /2), so both Illumina
// (`@X 1:N:0` / `@X 2:N:0`) and old-style (`@X/1` / `@X/2`) naming match. The two readers run
// concurrently (their next batches are requested together) and are consumed through cursors, so
// the comparison never depends on both files producing identically sized batches. The per-file
// summary (records, bases, lengths, compression, size on disk) is gathered on the same pass.

import { stat } from 'fs/promises';
import { FastqPairError } from './errors';
import { FastqRecord } from './fastq-parser';
import { isGzipFile, readFastqBatches } from './fastq-reader';

export interface FileSummary {
  /** Size of the file on disk (compressed size for gzip). */
  bytes: number;
  records: number;
  bases: number;
  gzip: boolean;
  /** Shortest / longest read; 0 when the file has no records. */
  minLength: number;
  maxLength: number;
}

export interface PairSummary {
  records: number;
  r1: FileSummary;
  r2: FileSummary;
}

export interface ValidatePairOptions {
  /** Labels used in messages. Default ['R1', 'R2']. */
  labels?: [string, string];
  batchSize?: number;
}

/** The pairing key of a read name: first token, without a trailing '/1' or '/2'. */
export function pairingKey(name: string): string {
  let end = name.length;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c === 0x20 || c === 0x09) {
      end = i;
      break;
    }
  }
  if (end >= 2 && name.charCodeAt(end - 2) === 0x2f) {
    const mate = name.charCodeAt(end - 1);
    if (mate === 0x31 || mate === 0x32) end -= 2;
  }
  return end === name.length ? name : name.slice(0, end);
}

/** Pulls records one batch at a time from a reader and tracks per-file statistics. */
class RecordCursor {
  batch: FastqRecord[] = [];
  index = 0;
  done = false;
  readonly summary: FileSummary;
  private readonly source: AsyncGenerator<FastqRecord[]>;

  constructor(path: string, label: string, batchSize: number | undefined, gzip: boolean) {
    this.source = readFastqBatches(path, { label, batchSize });
    this.summary = { bytes: 0, records: 0, bases: 0, gzip, minLength: 0, maxLength: 0 };
  }

  get available(): number {
    return this.batch.length - this.index;
  }

  /** Loads the next batch when the current one is used up. */
  async refill(): Promise<void> {
    if (this.done || this.available > 0) return;
    const next = await this.source.next();
    if (next.done) {
      this.done = true;
      this.batch = [];
    } else {
      this.batch = next.value;
      this.count(next.value);
    }
    this.index = 0;
  }

  async close(): Promise<void> {
    await this.source.return(undefined);
  }

  private count(batch: FastqRecord[]): void {
    const s = this.summary;
    for (const rec of batch) {
      const len = rec.seq.length;
      s.bases += len;
      if (s.records === 0 || len < s.minLength) s.minLength = len;
      if (len > s.maxLength) s.maxLength = len;
      s.records++;
    }
  }
}

function compareNames(a: RecordCursor, b: RecordCursor, labels: [string, string], base: number) {
  const n = Math.min(a.available, b.available);
  for (let i = 0; i < n; i++) {
    const r1 = a.batch[a.index + i];
    const r2 = b.batch[b.index + i];
    const k1 = pairingKey(r1.name);
    if (k1 !== pairingKey(r2.name)) {
      const record = base + i + 1;
      const reason =
        `read names differ at record ${record}: ${labels[0]} has '${r1.name}' ` +
        `but ${labels[1]} has '${r2.name}'`;
      throw new FastqPairError(labels, record, reason);
    }
  }
  a.index += n;
  b.index += n;
  return n;
}

/** Reads the rest of a cursor (still validating it) so that its record count is final. */
async function drain(cursor: RecordCursor): Promise<void> {
  for (;;) {
    cursor.index = cursor.batch.length;
    await cursor.refill();
    if (cursor.done) return;
  }
}

async function lockstep(a: RecordCursor, b: RecordCursor, labels: [string, string]) {
  let paired = 0;
  for (;;) {
    await Promise.all([a.refill(), b.refill()]);
    if (paired === 0 && (a.done || b.done)) {
      const empty = a.done ? labels[0] : labels[1];
      throw new FastqPairError(labels, 1, `${empty} contains no FASTQ records`);
    }
    if (a.done || b.done) break;
    paired += compareNames(a, b, labels, paired);
  }
  if (!a.done || !b.done) {
    await drain(a.done ? b : a);
    const [n1, n2] = [a.summary.records, b.summary.records];
    const reason = `${labels[0]} has ${n1} records but ${labels[1]} has ${n2}`;
    throw new FastqPairError(labels, paired + 1, reason);
  }
  return paired;
}

/**
 * Validates a FASTQ pair: each file well-formed (FastqFormatError otherwise), same number of
 * records and matching mate names (FastqPairError otherwise), neither file empty.
 */
export async function validateFastqPair(
  r1: string,
  r2: string,
  opts: ValidatePairOptions = {},
): Promise<PairSummary> {
  const labels = opts.labels ?? ['R1', 'R2'];
  const [gz1, gz2, st1, st2] = await Promise.all([
    isGzipFile(r1),
    isGzipFile(r2),
    stat(r1),
    stat(r2),
  ]);
  const a = new RecordCursor(r1, labels[0], opts.batchSize, gz1);
  const b = new RecordCursor(r2, labels[1], opts.batchSize, gz2);
  try {
    const records = await lockstep(a, b, labels);
    a.summary.bytes = st1.size;
    b.summary.bytes = st2.size;
    return { records, r1: a.summary, r2: b.summary };
  } finally {
    await Promise.allSettled([a.close(), b.close()]);
  }
}
