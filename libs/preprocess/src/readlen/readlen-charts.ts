// The two read-length charts the lab uses, R1 and R2 overlaid with a legend:
// 1. the read-length histogram, drawn as a step outline (one bar width per length), and
// 2. the fraction of reads with length >= L, drawn as a falling staircase.
// R1 is solid blue and R2 dashed vermillion (Okabe-Ito colours, distinguishable with colour
// blindness and in greyscale); when both files have the same lengths the dashes show both.
// Very wide length ranges (long reads) are grouped into at most MAX_PLOTTED_BINS equal bins so
// the files stay small; the axis label then says how wide a bin is. Exact values are in the TSV.

import { ChartSeries, LineChart, xAxisTicks } from './chart-layout';
import { Stroke } from './chart-scene';
import { formatCount } from './chart-ticks';
import { LengthHistogram } from './length-histogram';
import { readsAtLeast, summarizeLengths } from './length-stats';
import { pairLengthRange, PairHistograms, READ_FILES, ReadFile } from './readlen-table';

export const MAX_PLOTTED_BINS = 500;
/** Narrowest length axis, so that a single read length is shown with some context. */
export const MIN_LENGTH_SPAN = 10;

export const SERIES_STROKES: Record<ReadFile, Stroke> = {
  R1: { color: '#0072b2', width: 1.8 },
  R2: { color: '#d55e00', width: 1.8, dash: [6, 3] },
};

const X_LABEL = 'read length (bp)';
const NO_READS = 'no reads';

/** Legend text: the file with its read count and length statistics. */
export function legendLabel(file: ReadFile, histogram: LengthHistogram): string {
  const s = summarizeLengths(histogram);
  if (s.reads === 0 || s.mean === null) return `${file}: no reads`;
  const reads = `${formatCount(s.reads)} ${s.reads === 1 ? 'read' : 'reads'}`;
  return (
    `${file}: ${reads}, length ${s.min}–${s.max}, ` +
    `mean ${s.mean.toFixed(1)}, median ${s.median}, N50 ${s.n50}`
  );
}

/** Widens [lo, hi] symmetrically to at least MIN_LENGTH_SPAN. */
export function lengthAxisRange(lo: number, hi: number): [number, number] {
  const pad = Math.max(0, (MIN_LENGTH_SPAN - (hi - lo)) / 2);
  // Lengths are never negative: padding that would cross 0 goes to the right instead.
  const below = Math.max(0, pad - Math.max(0, lo));
  return [Math.max(0, lo - pad), hi + pad + below];
}

/**
 * Lengths per plotted bin for a length range: 1 unless the range is very wide, then the smallest
 * 1, 2 or 5 times a power of ten that keeps the bins within MAX_PLOTTED_BINS.
 */
export function binWidth(from: number, to: number): number {
  const needed = (to - from + 1) / MAX_PLOTTED_BINS;
  if (needed <= 1) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(needed));
  return [1, 2, 5, 10].map((m) => m * magnitude).find((w) => w >= needed) ?? 10 * magnitude;
}

function binCount(histogram: LengthHistogram, start: number, width: number): number {
  let count = 0;
  for (let length = start; length < start + width; length++) count += histogram.count(length);
  return count;
}

/** Step outline of the histogram: bars [start - 0.5, start + width - 0.5] of height count. */
function histogramOutline(
  histogram: LengthHistogram,
  first: number,
  last: number,
  width: number,
): Array<[number, number]> {
  const points: Array<[number, number]> = [[first - 0.5, 0]];
  for (let start = first; start <= last; start += width) {
    const count = binCount(histogram, start, width);
    points.push([start - 0.5, count], [start + width - 0.5, count]);
  }
  points.push([points[points.length - 1][0], 0]);
  return points;
}

type Curve = (histogram: LengthHistogram) => Array<[number, number]>;

/** The series of one file; a file without reads keeps its legend entry but draws nothing. */
function series(file: ReadFile, pair: PairHistograms, curve: Curve): ChartSeries {
  const histogram = pair[file];
  return {
    name: file,
    label: legendLabel(file, histogram),
    points: histogram.reads === 0 ? [] : curve(histogram),
    stroke: SERIES_STROKES[file],
  };
}

const NOTHING: Curve = () => [];

/** Chart 1: read-length histogram of R1 and R2. */
export function histogramChart(pair: PairHistograms): LineChart {
  const chart: LineChart = {
    title: 'Read-length histogram',
    xLabel: X_LABEL,
    yLabel: 'reads',
    series: READ_FILES.map((file) => series(file, pair, NOTHING)),
    xRange: [0, 1],
    yRange: [0, 1],
    xInteger: true,
    yInteger: true,
    emptyNote: NO_READS,
  };
  const range = pairLengthRange(pair);
  if (range === null) return chart;
  const width = binWidth(range[0], range[1]);
  // Bins start at multiples of the width so that their edges are round numbers.
  const first = Math.floor(range[0] / width) * width;
  const last = Math.floor(range[1] / width) * width;
  chart.series = READ_FILES.map((file) =>
    series(file, pair, (h) => histogramOutline(h, first, last, width)),
  );
  const highest = Math.max(...chart.series.flatMap((s) => s.points.map(([, y]) => y)));
  chart.xRange = lengthAxisRange(first - 0.5, last + width - 0.5);
  chart.yRange = [0, Math.max(1, highest)];
  if (width > 1) chart.yLabel = `reads per ${width}-bp bin`;
  return chart;
}

/**
 * Staircase of fraction_ge: value f(L) on [L, L + step). It runs from the left end of the axis
 * at 1 (every read is at least that long) to the right end at 0 (no read is longer than `to`).
 */
function fractionSteps(
  histogram: LengthHistogram,
  [from, to]: [number, number],
  [left, right]: [number, number],
  step: number,
): Array<[number, number]> {
  const atLeast = readsAtLeast(histogram, from, to);
  const points: Array<[number, number]> = [[left, 1]];
  for (let length = from; length <= to; length += step) {
    const fraction = atLeast[length - from] / histogram.reads;
    points.push([length, fraction], [Math.min(length + step, to + 1), fraction]);
  }
  points.push([to + 1, 0], [right, 0]);
  return points;
}

/** Chart 2: fraction of reads with length >= L, for R1 and R2. */
export function fractionGeChart(pair: PairHistograms): LineChart {
  const chart: LineChart = {
    title: 'Fraction of reads with length ≥ L',
    xLabel: 'read length L (bp)',
    yLabel: 'fraction of reads ≥ L',
    series: READ_FILES.map((file) => series(file, pair, NOTHING)),
    xRange: [0, 1],
    yRange: [0, 1],
    xInteger: true,
    emptyNote: NO_READS,
  };
  const range = pairLengthRange(pair);
  if (range === null) return chart;
  const [from, to] = range;
  const step = binWidth(from, to);
  chart.xRange = lengthAxisRange(from, to + 1);
  chart.xTicks = xAxisTicks(chart.xRange, true);
  const axis = chart.xTicks.domain;
  chart.series = READ_FILES.map((file) =>
    series(file, pair, (h) => fractionSteps(h, range, axis, step)),
  );
  return chart;
}
