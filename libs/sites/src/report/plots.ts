// The site_analysis plots: genomic-region distribution, top-20 clones, sites along the
// chromosomes and the fragment-length distribution, each as SVG and as PNG.
//
// Charts are laid out as Scenes and written by the readlen chart code's SVG writer (which escapes
// every text, so contig and gene names from user files cannot inject markup). The PNG is the same
// SVG rendered by resvg with the system fonts (DejaVu Sans standing in for Helvetica), so both
// files show the same picture. Every file is written under a temporary name and renamed. Empty
// data gives valid charts that say "no sites".

import { renderAsync } from '@resvg/resvg-js';
import { mkdir } from 'fs/promises';
import { join } from 'path';
import { layoutLineChart } from '@qslam/preprocess/readlen/chart-layout';
import { Scene } from '@qslam/preprocess/readlen/chart-scene';
import { renderSvg } from '@qslam/preprocess/readlen/svg-writer';
import { writeFileAtomic } from '../site-files';
import { PlotData } from '../types';
import { layoutBarChart } from './bar-chart';
import { layoutSiteMap } from './site-map';

export const PLOT_NAMES = ['regions', 'top_clones', 'site_positions', 'fragment_lengths'] as const;
export type PlotName = (typeof PLOT_NAMES)[number];

const NO_SITES = 'no sites';
const FRAGMENTS_COLOR = '#0072b2';
const UMIS_COLOR = '#009e73';
const FALLBACK_FONT = 'DejaVu Sans';

/** Region order of DOMAIN.md; any other key (e.g. '' = not annotated) follows. */
const REGION_ORDER = ['promoter', 'enhancer', 'inside', 'upstream', 'downstream'];

function regionsChart(regions: PlotData['regions']): Scene {
  const known = REGION_ORDER.filter((r) => r in regions);
  const others = Object.keys(regions).filter((r) => !REGION_ORDER.includes(r));
  const categories = [...known, ...others].filter((r) => regions[r] > 0);
  return layoutBarChart({
    title: 'Sites by genomic region',
    valueLabel: 'sites',
    categories: categories.map((r) => (r === '' ? 'not annotated' : r)),
    series: [{ label: 'sites', color: FRAGMENTS_COLOR, values: categories.map((r) => regions[r]) }],
    emptyNote: NO_SITES,
  });
}

function topClonesChart(clones: PlotData['topClones']): Scene {
  const top = clones.slice(0, 20);
  const withUmis = top.some((c) => c.umis !== null);
  const series = [
    { label: 'fragments', color: FRAGMENTS_COLOR, values: top.map((c) => c.fragments) },
  ];
  if (withUmis)
    series.push({ label: 'UMIs', color: UMIS_COLOR, values: top.map((c) => c.umis ?? 0) });
  return layoutBarChart({
    title: `Top ${top.length || 20} clones`,
    valueLabel: withUmis ? 'fragments and UMIs' : 'fragments',
    categories: top.map((c) => c.label),
    series,
    emptyNote: NO_SITES,
  });
}

/** Histogram drawn as a step outline, one step per length, like the read-length histogram. */
function fragmentLengthsChart(histogram: PlotData['fragmentLengths']): Scene {
  const bins = [...histogram].filter((b) => b.count > 0).sort((a, b) => a.length - b.length);
  const points: Array<[number, number]> = [];
  for (const { length, count } of bins) {
    const last = points[points.length - 1];
    if (!last || last[0] < length - 0.5) points.push([length - 0.5, 0]);
    points.push([length - 0.5, count], [length + 0.5, count], [length + 0.5, 0]);
  }
  const lo = bins.length ? bins[0].length : 0;
  const hi = bins.length ? bins[bins.length - 1].length : 1000;
  const total = bins.reduce((s, b) => s + b.count, 0);
  return layoutLineChart({
    title: 'Fragment lengths',
    xLabel: 'fragment length (bp)',
    yLabel: 'distinct fragments',
    series: [
      {
        name: 'fragments',
        label: `${total} distinct fragments`,
        points,
        stroke: { color: FRAGMENTS_COLOR, width: 1.2 },
      },
    ],
    xRange: [Math.min(lo, hi - 10), Math.max(hi, lo + 10)],
    yRange: [0, Math.max(1, ...bins.map((b) => b.count))],
    xInteger: true,
    yInteger: true,
    emptyNote: NO_SITES,
  });
}

/** The four charts as scenes, by file name stem. */
export function plotScenes(data: PlotData): Record<PlotName, Scene> {
  return {
    regions: regionsChart(data.regions),
    top_clones: topClonesChart(data.topClones),
    site_positions: layoutSiteMap(data, 'Sites along the chromosomes'),
    fragment_lengths: fragmentLengthsChart(data.fragmentLengths),
  };
}

const RENDER_OPTIONS = {
  background: '#ffffff',
  font: { loadSystemFonts: true, defaultFontFamily: FALLBACK_FONT, sansSerifFamily: FALLBACK_FONT },
};

/**
 * The SVG rendered to PNG with the system fonts, on the libuv thread pool: the main thread goes
 * on (with the workbook) meanwhile.
 */
export async function svgToPng(svg: string): Promise<Buffer> {
  return (await renderAsync(svg, RENDER_OPTIONS)).asPng();
}

/** Writes every plot as `{name}.svg` and `{name}.png` into `dir`; returns the file names. */
export async function writePlots(dir: string, data: PlotData): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const scenes = plotScenes(data);
  await Promise.all(
    PLOT_NAMES.map(async (name) => {
      const svg = renderSvg(scenes[name]);
      await writeFileAtomic(join(dir, `${name}.svg`), svg);
      await writeFileAtomic(join(dir, `${name}.png`), await svgToPng(svg));
    }),
  );
  return PLOT_NAMES.flatMap((name) => [`${name}.svg`, `${name}.png`]);
}
