// The site-analysis engine: read the BAM once (bam-scan.ts), fold R2 breakpoint jitter into its
// fragment (position-table.ts), merge positions into sites for every
// d from 0 to max_merge_distance (site-merger.ts), filter, annotate and count (site-tables.ts),
// and write fragments.bed, sites*.tsv, summary.json, sites.xlsx and the plots under the staging
// workspace root `outDir` (bam2bed/, bed2peak/).

import { mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import { scanBam } from './bam-scan';
import { partCount } from './bam-scan-parallel';
import { GeneIndex, readGenes } from './gene-annotation';
import { KnownSiteIndex, readKnownSites } from './known-sites';
import { PositionSupport, foldBreakpointJitter } from './position-table';
import { positionStats, mergeSites } from './site-merger';
import { sameSiteRows, siteTsv, writeFileAtomic, writeFragmentsBed } from './site-files';
import { ResolvedSiteOptions, SiteAnalysisOptions, resolveSiteOptions } from './site-options';
import { SiteSummary, buildPlotData, buildSummary } from './site-summary';
import { BuiltTable, CellEstimates, buildTable } from './site-tables';
import { writePlots } from './report/plots';
import { writeSitesWorkbook } from './report/xlsx';
import { WorkbookThread } from './report/xlsx-thread';
import { SiteRow, SiteTable } from './types';

export interface SiteAnalysisResult {
  summary: SiteSummary;
  tables: SiteTable[];
  /** Files written, relative to outDir. */
  files: string[];
}

/** Wall seconds per phase of the analysis (summary.json `seconds`). */
class PhaseClock {
  readonly seconds: Record<string, number> = {};
  private last = Date.now();

  lap(phase: string): void {
    const now = Date.now();
    this.seconds[phase] = (now - this.last) / 1000;
    this.last = now;
  }
}

export async function analyzeSites(options: SiteAnalysisOptions): Promise<SiteAnalysisResult> {
  const o = resolveSiteOptions(options);
  // A BAM big enough to be read in parts has a workbook big enough for a thread of its own.
  const workbook = partCount(o) >= 2 ? new WorkbookThread() : null;
  try {
    return await analyze(o, workbook);
  } finally {
    await workbook?.close();
  }
}

/** The text files, in the order of `files` in summary.json. */
async function writeTextFiles(
  bam2bed: string,
  bed2peak: string,
  positions: readonly PositionSupport[],
  refNames: readonly string[],
  built: readonly BuiltTable[],
  primary: BuiltTable,
): Promise<string[]> {
  await writeFragmentsBed(path.join(bam2bed, 'fragments.bed'), positions, refNames);
  const files = ['bam2bed/fragments.bed'];
  // Neighbouring merge distances often keep the very same sites: their text is made once.
  let last: { rows: readonly SiteRow[]; text: string } | null = null;
  const texts = new Map<BuiltTable, string>();
  for (const t of built) {
    if (last === null || !sameSiteRows(last.rows, t.rows))
      last = { rows: t.rows, text: siteTsv(t.rows) };
    texts.set(t, last.text);
    await writeFileAtomic(path.join(bed2peak, `sites.d${t.d}.tsv`), last.text);
    files.push(`bed2peak/sites.d${t.d}.tsv`);
  }
  await writeFileAtomic(
    path.join(bed2peak, 'sites.tsv'),
    texts.get(primary) ?? siteTsv(primary.rows),
  );
  files.push('bed2peak/sites.tsv');
  return files;
}

async function analyze(
  o: ResolvedSiteOptions,
  workbook: WorkbookThread | null,
): Promise<SiteAnalysisResult> {
  const started = Date.now();
  const clock = new PhaseClock();
  // The annotation and known sites are read while worker threads read the BAM.
  const scanning = scanBam(o);
  const inputs = Promise.all([
    o.annotation ? readGenes(o.annotation).then((g) => new GeneIndex(g)) : null,
    o.knownSites ? readKnownSites(o.knownSites).then((k) => new KnownSiteIndex(k)) : null,
  ]);
  const [scan, [genes, known]] = await Promise.all([scanning, inputs]).catch(async (err) => {
    // Both settle before the error leaves (no worker or file left running behind it).
    await Promise.allSettled([scanning, inputs]);
    throw err;
  });
  clock.lap('bam');
  o.onProgress(
    `site_analysis: ${scan.counts.records} records, ${scan.counts.outcomes.kept} R1 kept, ` +
      `${scan.table.size} positions in ${scan.seconds.toFixed(1)}s`,
  );
  const refNames = scan.references.map((r) => r.name);
  const positions = scan.table.sorted();
  for (const p of positions) foldBreakpointJitter(p, o.umi);
  const stats = positionStats(positions, o.umi);
  const ctx = {
    refNames,
    genes,
    bounds: {
      promoterLeft: o.promoterLeft,
      promoterRight: o.promoterRight,
      enhancerLeft: o.enhancerLeft,
    },
    known,
    withUmis: o.umi,
    cells: new CellEstimates(),
  };
  const rule = { minFragments: o.minFragments, minReads: o.minReads };
  const built: BuiltTable[] = [];
  for (let d = 0; d <= o.maxMergeDistance; d++)
    built.push(buildTable(mergeSites(stats, d, o.umi), d, rule, ctx));
  const primary = built[o.mergeDistance];
  clock.lap('tables');

  const bam2bed = path.join(o.outDir, 'bam2bed');
  const bed2peak = path.join(o.outDir, 'bed2peak');
  // Before the writers start side by side (the workbook thread writes into bed2peak/ too).
  await Promise.all([bam2bed, bed2peak].map((dir) => mkdir(dir, { recursive: true })));
  const distinctFragments = positions.reduce((n, p) => n + p.fragments.size, 0);
  const summary = buildSummary(
    o,
    scan.counts,
    positions.length,
    distinctFragments,
    built,
    clock.seconds,
  );
  const tables: SiteTable[] = built.map((t) => ({
    d: t.d,
    primary: t.d === o.mergeDistance,
    rows: t.rows,
  }));
  // The workbook (on its thread, or here) and the PNGs (on the thread pool) are made while the
  // text files are written.
  const xlsx = path.join(bed2peak, 'sites.xlsx');
  const writing = [
    workbook?.write({ file: xlsx, tables, summary: { ...summary } }) ??
      writeSitesWorkbook(xlsx, tables, { ...summary }),
    writePlots(
      path.join(bed2peak, 'plots'),
      buildPlotData(primary, scan.references, o.vectorContigs),
    ),
    writeTextFiles(bam2bed, bed2peak, positions, refNames, built, primary),
  ] as const;
  await Promise.allSettled(writing); // nothing is left running when one fails
  const [, plots, text] = await Promise.all(writing);
  const files = [...text, 'bed2peak/sites.xlsx', ...plots.map((name) => `bed2peak/plots/${name}`)];
  clock.lap('files');
  files.push('bed2peak/summary.json');
  summary.files = files;
  summary.seconds.total = (Date.now() - started) / 1000;
  await writeFileAtomic(
    path.join(bed2peak, 'summary.json'),
    JSON.stringify(summary, null, 2) + '\n',
  );
  return { summary, tables, files };
}
