// Horizontal grouped bar chart as a Scene (the drawing primitives of the readlen charts), for the
// genomic-region distribution and the top-clone abundances.
//
// Bars run horizontally so that long category labels (a site with its gene) stay readable; one
// row per category, one bar per series within the row, values written at the bar ends. Labels
// wider than the label column are cut with an ellipsis (text widths from the Helvetica metrics the
// PDF writer uses; the SVG asks for Helvetica first).

import { Scene, Shape } from '@qslam/preprocess/readlen/chart-scene';
import { formatCount, formatTick, niceTicks } from '@qslam/preprocess/readlen/chart-ticks';
import { textWidth } from '@qslam/preprocess/readlen/font-metrics';

export interface BarSeries {
  label: string;
  color: string;
  /** One value per category (null = no bar). */
  values: (number | null)[];
}

export interface BarChart {
  title: string;
  valueLabel: string;
  categories: string[];
  series: BarSeries[];
  /** Written in the middle when there are no categories. */
  emptyNote: string;
}

export const BAR_CHART_WIDTH = 720;
const LABEL_COLUMN = 230;
const RIGHT = 70;
const TOP = 46;
const LEGEND_ROW = 16;
const BAR = 11;
const BAR_GAP = 2;
const ROW_GAP = 7;
const BOTTOM = 56;
const TEXT = '#222222';
const GRID = { color: '#e3e3e3', width: 0.6 };
const FRAME = { color: '#555555', width: 0.8 };

/** `text` cut with an ellipsis to fit `width` points at `size`. */
export function fitText(text: string, width: number, size: number): string {
  if (textWidth(text, size) <= width) return text;
  let cut = text;
  while (cut.length > 0 && textWidth(`${cut}…`, size) > width) cut = cut.slice(0, -1);
  return `${cut}…`;
}

function label(
  x: number,
  y: number,
  text: string,
  size: number,
  anchor: 'start' | 'middle' | 'end',
): Shape {
  return { kind: 'text', x, y, text, size, anchor, color: TEXT };
}

function legend(series: BarSeries[], left: number): Shape[] {
  if (series.length < 2) return [];
  return series.flatMap((s, i): Shape[] => {
    const y = TOP + i * LEGEND_ROW;
    return [
      { kind: 'rect', x: left, y: y - 9, width: 14, height: 9, fill: s.color },
      label(left + 20, y, s.label, 11, 'start'),
    ];
  });
}

/** The chart as drawing primitives; the height grows with the number of categories. */
export function layoutBarChart(chart: BarChart): Scene {
  const rowHeight = chart.series.length * (BAR + BAR_GAP) - BAR_GAP + ROW_GAP;
  const left = LABEL_COLUMN;
  const right = BAR_CHART_WIDTH - RIGHT;
  const top = TOP + (chart.series.length > 1 ? chart.series.length * LEGEND_ROW : 0);
  const rows = Math.max(chart.categories.length, 3);
  const bottom = top + rows * rowHeight + ROW_GAP;
  const height = bottom + BOTTOM;
  const max = Math.max(0, ...chart.series.flatMap((s) => s.values.map((v) => v ?? 0)));
  const axis = niceTicks(0, Math.max(max, 1), 5, true);
  const scale = (v: number) => left + (v / axis.domain[1]) * (right - left);
  const shapes: Shape[] = [
    { kind: 'rect', x: 0, y: 0, width: BAR_CHART_WIDTH, height, fill: '#ffffff' },
    label(BAR_CHART_WIDTH / 2, 28, chart.title, 16, 'middle'),
    ...legend(chart.series, left),
  ];
  for (const tick of axis.ticks) {
    const x = scale(tick);
    shapes.push({ kind: 'line', x1: x, y1: top, x2: x, y2: bottom, stroke: GRID });
    shapes.push(label(x, bottom + 16, formatTick(tick, axis.step, axis.domain[1]), 10, 'middle'));
  }
  chart.categories.forEach((category, row) => {
    const rowTop = top + ROW_GAP + row * rowHeight;
    const middle = rowTop + (rowHeight - ROW_GAP) / 2;
    shapes.push(label(left - 8, middle + 4, fitText(category, LABEL_COLUMN - 16, 11), 11, 'end'));
    chart.series.forEach((s, i) => {
      const value = s.values[row];
      if (value === null || value === undefined) return;
      const y = rowTop + i * (BAR + BAR_GAP);
      shapes.push({
        kind: 'rect',
        x: left,
        y,
        width: scale(value) - left,
        height: BAR,
        fill: s.color,
      });
      shapes.push(label(scale(value) + 4, y + BAR - 2, formatCount(value), 9, 'start'));
    });
  });
  if (chart.categories.length === 0) {
    shapes.push(label((left + right) / 2, (top + bottom) / 2, chart.emptyNote, 14, 'middle'));
  }
  shapes.push(
    { kind: 'rect', x: left, y: top, width: right - left, height: bottom - top, stroke: FRAME },
    label((left + right) / 2, height - 16, chart.valueLabel, 12, 'middle'),
  );
  return { width: BAR_CHART_WIDTH, height, title: chart.title, shapes };
}
