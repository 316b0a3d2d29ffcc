// The BAM scan in parts, one worker thread each (bam-scan-worker.ts): inflating the BGZF blocks
// and decoding the records is the bulk of site_analysis (on 1M read pairs ≈ 0.4 s of inflating
// and ≈ 0.6 s of decoding on one core), and BGZF blocks and R1 records can be handled
// independently. The parts are cut at record starts taken from the BAM's .bai linear index
// (bgzf.ts), of about equal compressed size; each worker classifies and aggregates its records
// (scan-accumulator.ts) and posts its partial table back, and the parts are merged here. Merging
// is exact: every per-position quantity is a sum or a union over records.
//
// The index is checked, not trusted: part k starts where part k−1's record chain ends, and part
// k−1 must end exactly there (no record cut) - so every part starts at a record whatever the
// index says. A BAM that is small (PARALLEL_MIN_BYTES), has no usable index, or whose index does
// not match (any error in a part) is read as one stream instead (bam-scan.ts), which also gives
// the authoritative error for a corrupt file.

import * as fs from 'node:fs';
import { BamReference, parseBamHeader } from './bam-reader';
import { VirtualOffset, inflateRange, readLinearIndex, splitPoints } from './bgzf';
import { startScriptWorker } from './script-worker';
import { ResolvedSiteOptions } from './site-options';
import { ScanAccumulator, ScanParams, ScanPart, ScanResult } from './scan-accumulator';

/** What a worker gets (workerData). */
export interface ScanWorkerInput {
  bam: string;
  params: ScanParams;
  references: BamReference[];
  start: VirtualOffset;
  /** null: to the end of the file. */
  end: VirtualOffset | null;
}

/** What a worker posts. */
export type ScanWorkerMessage =
  | { type: 'progress'; records: number }
  | { type: 'done'; part: ScanPart }
  | { type: 'error'; message: string };

/** The index beside a BAM: `x.bam.bai` (samtools index's default) or `x.bai`. */
export function indexOf(bam: string): string | null {
  for (const bai of [`${bam}.bai`, bam.replace(/\.bam$/, '.bai')]) {
    if (bai !== bam && fs.existsSync(bai)) return bai;
  }
  return null;
}

/** The references and the virtual offset of the first record. */
export function readHeader(bam: string): { references: BamReference[]; first: VirtualOffset } {
  let inflated = Buffer.alloc(0);
  const blocks: Array<{ block: number; from: number }> = [];
  let header: ReturnType<typeof parseBamHeader> = null;
  inflateRange(bam, { block: 0, within: 0 }, null, (data, block) => {
    blocks.push({ block, from: inflated.length });
    inflated = Buffer.concat([inflated, data]);
    header = parseBamHeader(bam, inflated);
    return header === null;
  });
  if (header === null) throw new Error(`${bam}: truncated BAM header`);
  const { references, end } = header;
  let at = blocks[0];
  for (const b of blocks) if (b.from <= end) at = b;
  return { references, first: { block: at.block, within: end - at.from } };
}

/** Number of parts for this BAM (the job's threads); 1 = read it as one stream. */
export function partCount(o: ResolvedSiteOptions): number {
  if (o.reader !== 'direct' || o.threads < 2) return 1;
  const size = fs.statSync(o.bam, { throwIfNoEntry: false })?.size ?? 0; // missing: reported later
  if (size < o.parallelMinBytes) return 1;
  return o.threads;
}

function runPart(input: ScanWorkerInput, onRecords: (n: number) => void): Promise<ScanPart> {
  return new Promise((resolve, reject) => {
    const worker = startScriptWorker(__dirname, 'bam-scan-worker', { workerData: input });
    let settled = false;
    worker.on('message', (m: ScanWorkerMessage) => {
      if (m.type === 'progress') onRecords(m.records);
      else if (m.type === 'done') {
        settled = true;
        resolve(m.part);
      } else {
        settled = true;
        reject(new Error(m.message));
      }
    });
    worker.on('error', (err) => {
      settled = true;
      reject(err);
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`scan worker exited with code ${code}`));
    });
  });
}

/**
 * The scan in parts, or null when the BAM is to be read as one stream (small, no usable index,
 * or an index that does not match it).
 */
export async function scanInParts(
  o: ResolvedSiteOptions,
  started: number,
): Promise<ScanResult | null> {
  const parts = partCount(o);
  if (parts < 2) return null;
  const bai = indexOf(o.bam);
  const bam = fs.statSync(o.bam);
  if (bai === null || fs.statSync(bai).mtimeMs < bam.mtimeMs) return null;
  const offsets = readLinearIndex(bai);
  if (offsets === null) return null;
  const { references, first } = readHeader(o.bam);
  const points = splitPoints(offsets, first, bam.size, parts);
  if (points.length === 0) return null;
  const starts = [first, ...points];
  const params: ScanParams = {
    umi: o.umi,
    minMapq: o.minMapq,
    maxLeadingClip: o.maxLeadingClip,
    ltrRemainder: o.ltrRemainder,
    vectorContigs: o.vectorContigs,
  };
  let records = 0;
  let reported = 0;
  const onRecords = (n: number) => {
    records += n;
    for (; reported + 1e6 <= records; reported += 1e6)
      o.onProgress(`site_analysis: ${(reported + 1e6) / 1e6}M records read`);
  };
  let results: ScanPart[];
  try {
    results = await Promise.all(
      starts.map((start, k) =>
        runPart({ bam: o.bam, params, references, start, end: starts[k + 1] ?? null }, onRecords),
      ),
    );
  } catch (err) {
    o.onProgress(
      `site_analysis: reading the BAM in parts failed (${(err as Error).message}); ` +
        `reading it as one stream`,
    );
    return null;
  }
  const acc = new ScanAccumulator(params);
  for (const part of results) acc.absorb(part);
  const total = results.reduce((sum, part) => sum + part.records, 0);
  o.onProgress(`site_analysis: BAM read in ${results.length} parts`);
  return acc.finish(references, total, started);
}
