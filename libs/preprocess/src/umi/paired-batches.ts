// Reads the two files of a pair in lockstep as equally long batches of mates.
//
// Both files are parsed and validated by the streaming reader of @qslam/fastq; their next
// batches are requested together so that both gunzip streams keep running. Batches are matched
// through leftovers, so the result does not depend on the reader yielding equal batch sizes.
// A file that ends before the other is a FastqPairError naming the first unmatched record.

import { FastqPairError, FastqRecord, readFastqBatches } from '@qslam/fastq';

export type MateBatches = [FastqRecord[], FastqRecord[]];

class BatchCursor {
  pending: FastqRecord[] = [];
  done = false;
  private readonly source: AsyncGenerator<FastqRecord[]>;

  constructor(path: string, label: string, batchSize: number) {
    this.source = readFastqBatches(path, { label, batchSize });
  }

  /** Loads the next batch if nothing is pending; resolves immediately otherwise. */
  async fill(): Promise<void> {
    if (this.done || this.pending.length > 0) return;
    const next = await this.source.next();
    if (next.done) this.done = true;
    else this.pending = next.value;
  }

  take(n: number): FastqRecord[] {
    if (n === this.pending.length) {
      const all = this.pending;
      this.pending = [];
      return all;
    }
    const head = this.pending.slice(0, n);
    this.pending = this.pending.slice(n);
    return head;
  }

  async close(): Promise<void> {
    await this.source.return(undefined);
  }
}

/** Yields [r1Batch, r2Batch] of equal length until both files end together. */
export async function* readMateBatches(
  r1Path: string,
  r2Path: string,
  batchSize = 4096,
): AsyncGenerator<MateBatches> {
  const a = new BatchCursor(r1Path, 'R1', batchSize);
  const b = new BatchCursor(r2Path, 'R2', batchSize);
  let paired = 0;
  try {
    for (;;) {
      await Promise.all([a.fill(), b.fill()]);
      const n = Math.min(a.pending.length, b.pending.length);
      if (n === 0) break;
      paired += n;
      yield [a.take(n), b.take(n)];
    }
    if (!a.done || !b.done) {
      const [longer, shorter] = a.done ? ['R2', 'R1'] : ['R1', 'R2'];
      const reason =
        `${shorter} ends after ${paired} records but ${longer} has more ` +
        '(R1 and R2 must list the same reads in the same order)';
      throw new FastqPairError(['R1', 'R2'], paired + 1, reason);
    }
  } finally {
    await Promise.allSettled([a.close(), b.close()]);
  }
}
