// One part of the parallel BAM scan (bam-scan-parallel.ts), in a worker thread: inflate the BGZF
// blocks from `start` to `end`, decode the records (they begin at `start`, which is a record
// start: see the check in bam-scan-parallel.ts), classify and aggregate them, and post the
// partial result. A part that ends inside a record (an index that does not match the BAM) is an
// error; the main thread then reads the BAM as one stream.

import { parentPort, workerData } from 'node:worker_threads';
import { BamStreamParser } from './bam-reader';
import { inflateRange } from './bgzf';
import { ScanWorkerInput, ScanWorkerMessage } from './bam-scan-parallel';
import { ScanAccumulator, scanReadOptions } from './scan-accumulator';

const PROGRESS_EVERY = 250_000;

function post(message: ScanWorkerMessage): void {
  parentPort!.postMessage(message);
}

export function scanPart(input: ScanWorkerInput, onRecords: (n: number) => void) {
  const acc = new ScanAccumulator(input.params);
  acc.setReferences(input.references);
  let lastReported = 0;
  const parser = new BamStreamParser(
    input.bam,
    {
      ...scanReadOptions(input.params),
      progressEvery: PROGRESS_EVERY,
      onProgress: (n) => {
        onRecords(n - lastReported);
        lastReported = n;
      },
    },
    () => undefined,
    acc.visit,
  );
  parser.startAtRecord(input.references);
  inflateRange(input.bam, input.start, input.end, (data) => parser.push(data));
  parser.end();
  onRecords(parser.records - lastReported);
  return acc.toPart(parser.records);
}

if (parentPort !== null && workerData !== undefined && workerData !== null) {
  try {
    const part = scanPart(workerData as ScanWorkerInput, (records) =>
      post({ type: 'progress', records }),
    );
    post({ type: 'done', part });
  } catch (err) {
    post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
}
