// Streaming UMI extraction over a FASTQ pair: the engine behind umi-cli.ts.
//
// Mates are read in lockstep batches, each pair goes through extractUmiFromPair (the tested
// record rule), and the results go to two gzip writers, so memory is constant whatever the file
// size: one batch per file, one output piece per file, and the UMI count map. The JavaScript
// thread only parses and formats; gunzip and gzip run on the thread pool concurrently with it.
// Outputs are complete only when the returned promise resolves; on any error both writers are
// stopped and the error (FastqFormatError, FastqPairError or an I/O error) is rethrown.

import { FastqGzWriter } from './fastq-gz-writer';
import { readMateBatches } from './paired-batches';
import { DEFAULT_TOP_UMIS, UmiReport, UmiTally } from './umi-report';
import { UmiPattern } from './umi-pattern';
import { UmiRead, extractUmiFromPair } from './umi-transform';

export interface UmiExtractOptions {
  r1: string;
  r2: string;
  outR1: string;
  outR2: string;
  read: UmiRead;
  pattern: UmiPattern;
  /** Number of most frequent UMIs listed in the report. Default 20. */
  top?: number;
  /** zlib level of the outputs. Default INTERMEDIATE_GZIP_LEVEL. */
  gzipLevel?: number;
}

async function extractInto(
  o: UmiExtractOptions,
  w1: FastqGzWriter,
  w2: FastqGzWriter,
  tally: UmiTally,
): Promise<void> {
  for await (const [b1, b2] of readMateBatches(o.r1, o.r2)) {
    for (let i = 0; i < b1.length; i++) {
      const pair = extractUmiFromPair(b1[i], b2[i], o.pattern, o.read, tally.processed + 1);
      tally.processed++;
      if (pair === null) {
        tally.tooShort++;
        continue;
      }
      w1.add(pair.r1);
      w2.add(pair.r2);
      tally.addWritten(pair.umi);
    }
    if (w1.full || w2.full) await Promise.all([w1.flush(), w2.flush()]);
  }
}

/** Extracts UMIs from a pair into two gzip files and returns the report. */
export async function extractUmis(o: UmiExtractOptions): Promise<UmiReport> {
  const w1 = new FastqGzWriter(o.outR1, o.gzipLevel);
  const w2 = new FastqGzWriter(o.outR2, o.gzipLevel);
  const tally = new UmiTally();
  try {
    await extractInto(o, w1, w2, tally);
  } catch (err) {
    await Promise.all([w1.abort(), w2.abort()]);
    throw err;
  }
  await Promise.all([w1.close(), w2.close()]);
  return tally.report(o.pattern, o.read, o.top ?? DEFAULT_TOP_UMIS);
}
