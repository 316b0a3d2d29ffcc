// The readlen tool's work: count the read lengths of R1 and R2, then write the five outputs.
//
// Both files are counted before anything is written, so a malformed input leaves no partial
// report behind. They are read one after the other: the gunzip threads and the parser already
// keep two cores busy, and interleaving two files was measured slower. Rendering is pure
// (renderReadlenOutputs) so tests can check every output without touching the disk.

import { mkdir, stat, writeFile } from 'fs/promises';
import { join } from 'path';
import { layoutLineChart } from './chart-layout';
import { ReadlenInputError } from './errors';
import { countReadLengths } from './length-histogram';
import { ReadLengthStats } from './length-stats';
import { renderPdf } from './pdf-writer';
import { fractionGeChart, histogramChart } from './readlen-charts';
import {
  formatReadlenJson,
  formatReadlenTsv,
  PairHistograms,
  ReadFile,
  summarizePair,
} from './readlen-table';
import { renderSvg } from './svg-writer';

/** File names written into the output directory (the step definition relies on them). */
export const READLEN_OUTPUTS = {
  tsv: 'readlen.tsv',
  json: 'readlen.json',
  histogramSvg: 'readlen_histogram.svg',
  fractionSvg: 'readlen_fraction_ge.svg',
  pdf: 'readlen.pdf',
} as const;
export type ReadlenOutput = keyof typeof READLEN_OUTPUTS;

export interface ReadlenInputs {
  r1: string;
  r2: string;
  outDir: string;
}

export interface ReadlenResult {
  stats: Record<ReadFile, ReadLengthStats>;
  /** Paths of the written files (outDir joined with the file name), by output. */
  files: Record<ReadlenOutput, string>;
}

/** Checks that `path` is a readable regular file before streaming it. */
async function checkInput(file: ReadFile, path: string): Promise<void> {
  let isFile: boolean;
  try {
    isFile = (await stat(path)).isFile();
  } catch (err) {
    throw new ReadlenInputError(file, path, (err as Error).message);
  }
  if (!isFile) throw new ReadlenInputError(file, path, 'not a regular file');
}

/** Counts the read lengths of both files; errors name the file as `R1 (path)`. */
export async function countPair(r1: string, r2: string): Promise<PairHistograms> {
  await checkInput('R1', r1);
  await checkInput('R2', r2);
  const R1 = await countReadLengths(r1, `R1 (${r1})`);
  const R2 = await countReadLengths(r2, `R2 (${r2})`);
  return { R1, R2 };
}

/** The content of every output file, from the histograms alone. */
export function renderReadlenOutputs(pair: PairHistograms): Record<ReadlenOutput, string | Buffer> {
  const histogram = layoutLineChart(histogramChart(pair));
  const fractionGe = layoutLineChart(fractionGeChart(pair));
  return {
    tsv: formatReadlenTsv(pair),
    json: formatReadlenJson(summarizePair(pair)),
    histogramSvg: renderSvg(histogram),
    fractionSvg: renderSvg(fractionGe),
    pdf: renderPdf([histogram, fractionGe], {
      title: 'Read lengths of R1 and R2',
      producer: 'qsLAM PCR Server readlen',
    }),
  };
}

/** Runs the whole tool: count, render, write. */
export async function runReadlen(inputs: ReadlenInputs): Promise<ReadlenResult> {
  const pair = await countPair(inputs.r1, inputs.r2);
  const contents = renderReadlenOutputs(pair);
  await mkdir(inputs.outDir, { recursive: true });
  const files = {} as Record<ReadlenOutput, string>;
  for (const key of Object.keys(READLEN_OUTPUTS) as ReadlenOutput[]) {
    files[key] = join(inputs.outDir, READLEN_OUTPUTS[key]);
    await writeFile(files[key], contents[key]);
  }
  return { stats: summarizePair(pair), files };
}
