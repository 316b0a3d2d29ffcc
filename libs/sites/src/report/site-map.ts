// Sites along the chromosomes as a Scene: one horizontal track per contig, drawn to a common
// scale so that each track's length is proportional to its contig's length. Each site is a tick
// at its position, upwards for `+` strand sites (blue) and downwards for `-` (vermillion), its
// height growing with log(fragments) so that a dominant clone stands out without hiding the rest.
//
// Genomes with many contigs (unplaced scaffolds) would give unreadable tracks: at most
// MAX_TRACKS are drawn, all contigs when they fit, otherwise the contigs holding sites (genome
// order kept); a note says how many sites fell on contigs not drawn.

import { Scene, Shape, Stroke } from '@qslam/preprocess/readlen/chart-scene';
import { formatCount } from '@qslam/preprocess/readlen/chart-ticks';
import { PlotData } from '../types';
import { fitText } from './bar-chart';

export const SITE_MAP_WIDTH = 900;
const MAX_TRACKS = 40;
const LEFT = 120;
const RIGHT = 30;
const TOP = 70;
const TRACK = 30;
const BOTTOM = 50;
const MIN_TICK = 3;
const MAX_TICK = 12;
const TEXT = '#222222';
const AXIS: Stroke = { color: '#888888', width: 1.2 };
const STRAND_STROKES: Record<'+' | '-', Stroke> = {
  '+': { color: '#0072b2', width: 1.2 },
  '-': { color: '#d55e00', width: 1.2 },
};

function text(
  x: number,
  y: number,
  content: string,
  size: number,
  anchor: 'start' | 'middle' | 'end',
): Shape {
  return { kind: 'text', x, y, text: content, size, anchor, color: TEXT };
}

/** Contigs drawn as tracks: all when they fit, else those with sites, at most MAX_TRACKS. */
export function trackContigs(data: Pick<PlotData, 'contigs' | 'sites'>): PlotData['contigs'] {
  if (data.contigs.length <= MAX_TRACKS) return data.contigs;
  const withSites = new Set(data.sites.map((s) => s.chrom));
  return data.contigs.filter((c) => withSites.has(c.name)).slice(0, MAX_TRACKS);
}

function legend(maxFragments: number): Shape[] {
  const y = 50;
  return [
    { kind: 'line', x1: LEFT, y1: y, x2: LEFT, y2: y - MAX_TICK, stroke: STRAND_STROKES['+'] },
    text(LEFT + 8, y, '+ strand (up)', 11, 'start'),
    {
      kind: 'line',
      x1: LEFT + 120,
      y1: y - MAX_TICK,
      x2: LEFT + 120,
      y2: y,
      stroke: STRAND_STROKES['-'],
    },
    text(LEFT + 128, y, '− strand (down)', 11, 'start'),
    text(
      LEFT + 250,
      y,
      `tick height ∝ log fragments (largest ${formatCount(maxFragments)})`,
      11,
      'start',
    ),
  ];
}

/** The site map as drawing primitives; the height grows with the number of tracks. */
export function layoutSiteMap(data: Pick<PlotData, 'contigs' | 'sites'>, title: string): Scene {
  const tracks = trackContigs(data);
  const height = TOP + Math.max(tracks.length, 3) * TRACK + BOTTOM;
  const longest = Math.max(1, ...tracks.map((c) => c.length));
  const scale = (SITE_MAP_WIDTH - LEFT - RIGHT) / longest;
  const row = new Map(tracks.map((c, i) => [c.name, i]));
  const drawn = data.sites.filter((s) => row.has(s.chrom));
  const maxFragments = Math.max(1, ...drawn.map((s) => s.fragments));
  const tickHeight = (f: number) =>
    MIN_TICK +
    ((MAX_TICK - MIN_TICK) * Math.log(Math.max(1, f))) / Math.log(Math.max(2, maxFragments));
  const baseline = (i: number) => TOP + i * TRACK + TRACK / 2;
  const shapes: Shape[] = [
    { kind: 'rect', x: 0, y: 0, width: SITE_MAP_WIDTH, height, fill: '#ffffff' },
    text(SITE_MAP_WIDTH / 2, 28, title, 16, 'middle'),
  ];
  if (drawn.length > 0) shapes.push(...legend(maxFragments));
  tracks.forEach((contig, i) => {
    const y = baseline(i);
    shapes.push(text(LEFT - 10, y + 4, fitText(contig.name, LEFT - 20, 11), 11, 'end'));
    shapes.push({
      kind: 'line',
      x1: LEFT,
      y1: y,
      x2: LEFT + contig.length * scale,
      y2: y,
      stroke: AXIS,
    });
  });
  // Small clones first, so the ticks of large clones are drawn on top.
  for (const site of [...drawn].sort((a, b) => a.fragments - b.fragments)) {
    const y = baseline(row.get(site.chrom)!);
    const x = LEFT + (site.position - 0.5) * scale;
    const h = tickHeight(site.fragments) * (site.strand === '+' ? -1 : 1);
    shapes.push({
      kind: 'line',
      x1: x,
      y1: y,
      x2: x,
      y2: y + h,
      stroke: STRAND_STROKES[site.strand],
    });
  }
  const hidden = data.sites.length - drawn.length;
  const notes: string[] = [];
  if (data.sites.length === 0) notes.push('no sites');
  if (hidden > 0) notes.push(`${formatCount(hidden)} sites on contigs not drawn`);
  shapes.push(
    text(
      SITE_MAP_WIDTH / 2,
      height - 18,
      notes.join(' · ') || `${formatCount(drawn.length)} sites`,
      12,
      'middle',
    ),
  );
  return { width: SITE_MAP_WIDTH, height, title, shapes };
}
