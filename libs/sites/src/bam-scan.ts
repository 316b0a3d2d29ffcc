// One pass over the BAM (see scan-accumulator.ts for what is done per record and the LTR
// remainder rule): in parts on worker threads when the BAM is large and indexed
// (bam-scan-parallel.ts), else as one stream. Returns the attrition counts and the table.

import { readBam } from './bam-reader';
import { scanInParts } from './bam-scan-parallel';
import { ResolvedSiteOptions } from './site-options';
import { ScanAccumulator, ScanResult, scanReadOptions } from './scan-accumulator';

export { REMAINDER_LIBRARY_SHARE } from './scan-accumulator';
export type { ScanCounts, ScanResult } from './scan-accumulator';

/**
 * Reads the BAM once: in parts on worker threads when it is large, indexed and `threads` > 1
 * (bam-scan-parallel.ts), else as one stream.
 */
export async function scanBam(o: ResolvedSiteOptions): Promise<ScanResult> {
  const started = Date.now();
  const parallel = await scanInParts(o, started);
  if (parallel !== null) return parallel;
  const acc = new ScanAccumulator(o);
  const result = await readBam(
    o.bam,
    {
      ...scanReadOptions(o),
      source: o.reader,
      threads: o.threads,
      onProgress: (n) => o.onProgress(`site_analysis: ${(n / 1e6).toFixed(0)}M records read`),
    },
    (refs) => acc.setReferences(refs),
    acc.visit,
  );
  return acc.finish(result.references, result.records, started);
}
