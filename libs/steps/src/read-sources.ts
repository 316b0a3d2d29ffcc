/**
 * Which reads a step consumes. Until the preprocessing chain lands (umi → cutadapt → fastp),
 * "after" means the most processed reads present in the workspace, searched from the end of the
 * chain; "raw" means the upload.
 */
import * as fs from 'node:fs';
import { MissingInputError } from './step-definition';
import { RunWorkspace } from './workspace';

export interface ReadPair {
  r1: string;
  r2: string;
  /** The step that produced them (`upload` for raw data). */
  producer: string;
}

const CHAIN_FROM_END: ReadonlyArray<{ dir: string; producer: string }> = [
  { dir: 'fastp', producer: 'fastp' },
  { dir: 'cutPrimer', producer: 'cutadapt' },
  { dir: 'umi', producer: 'umi' },
];

function pairIn(ws: RunWorkspace, dir: string, producer: string): ReadPair | null {
  const r1 = ws.path(dir, 'R1.fastq.gz');
  const r2 = ws.path(dir, 'R2.fastq.gz');
  return fs.existsSync(r1) && fs.existsSync(r2) ? { r1, r2, producer } : null;
}

export function rawReads(ws: RunWorkspace): ReadPair {
  const pair = pairIn(ws, 'rawdata', 'upload');
  if (!pair) {
    throw new MissingInputError(
      `Run ${ws.runId} has no raw reads (rawdata/R1.fastq.gz, rawdata/R2.fastq.gz); ` +
        `they are created by uploading R1 and R2 with POST /runs`,
      { missing: ['rawdata/R1.fastq.gz', 'rawdata/R2.fastq.gz'], produced_by: 'upload' },
    );
  }
  return pair;
}

export function processedReads(ws: RunWorkspace): ReadPair {
  for (const { dir, producer } of CHAIN_FROM_END) {
    const pair = pairIn(ws, dir, producer);
    if (pair) return pair;
  }
  throw new MissingInputError(
    `Run ${ws.runId} has no trimmed reads (cutPrimer/R1.fastq.gz); run the cutadapt step first`,
    { missing: ['cutPrimer/R1.fastq.gz', 'cutPrimer/R2.fastq.gz'], produced_by: 'cutadapt' },
  );
}
