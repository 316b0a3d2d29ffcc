// Lays out a line chart (title, legend, framed plot area with grid, ticks and axis labels, one
// polyline per series) as a Scene of primitives for the SVG and PDF writers.
//
// The legend sits in its own rows between the title and the plot, one row per series, so it can
// never hide data (read-length histograms peak at the right edge, fraction curves at the left).
// As in ggplot2, the plot area reaches a little beyond the first and last ticks (EXPAND), so a
// curve running along the axis limits (a fraction of 1, a bar at the longest length) is never
// hidden under the frame.

import { Scene, Shape, Stroke, TextShape } from './chart-scene';
import { AxisTicks, formatTick, niceTicks } from './chart-ticks';

export interface ChartSeries {
  name: string;
  /** Legend text. */
  label: string;
  /** Data points [x, y], drawn in order as one polyline. */
  points: Array<[number, number]>;
  stroke: Stroke;
}

export interface LineChart {
  title: string;
  xLabel: string;
  yLabel: string;
  series: ChartSeries[];
  /** Data range that must be visible; widened to whole ticks. */
  xRange: [number, number];
  yRange: [number, number];
  /** Ticks of the x axis when the caller needs them first (to draw up to the axis ends). */
  xTicks?: AxisTicks;
  /** Axes whose ticks must be integers. */
  xInteger?: boolean;
  yInteger?: boolean;
  /** Written in the middle of the plot when no series has points (e.g. 'no reads'). */
  emptyNote?: string;
}

export const CHART_WIDTH = 720;
export const CHART_HEIGHT = 480;

const MARGIN = { left: 80, right: 30, bottom: 58 };
const LEGEND_TOP = 52;
const LEGEND_ROW = 17;
const TEXT_COLOR = '#222222';
const GRID: Stroke = { color: '#e3e3e3', width: 0.6 };
const FRAME: Stroke = { color: '#555555', width: 0.8 };
const TICK_LENGTH = 4;
/** Fraction of the tick range added beyond the outer ticks on each side. */
const EXPAND = 0.03;

interface PlotArea {
  left: number;
  top: number;
  right: number;
  bottom: number;
  x: AxisTicks;
  y: AxisTicks;
}

function expanded([lo, hi]: [number, number]): [number, number] {
  const pad = (hi - lo) * EXPAND;
  return [lo - pad, hi + pad];
}

function toPixel(area: PlotArea, [x, y]: [number, number]): [number, number] {
  const [x0, x1] = expanded(area.x.domain);
  const [y0, y1] = expanded(area.y.domain);
  const px = area.left + ((x - x0) / (x1 - x0)) * (area.right - area.left);
  const py = area.bottom - ((y - y0) / (y1 - y0)) * (area.bottom - area.top);
  return [px, py];
}

type TextOptions = Partial<Pick<TextShape, 'anchor' | 'vertical'>>;

function text(x: number, y: number, content: string, size: number, opts: TextOptions = {}): Shape {
  return { kind: 'text', x, y, text: content, size, anchor: 'middle', color: TEXT_COLOR, ...opts };
}

function gridAndTicks(area: PlotArea): Shape[] {
  const shapes: Shape[] = [];
  const { left, right, top, bottom } = area;
  for (const value of area.x.ticks) {
    const [px] = toPixel(area, [value, area.y.domain[0]]);
    shapes.push({ kind: 'line', x1: px, y1: top, x2: px, y2: bottom, stroke: GRID });
    shapes.push({
      kind: 'line',
      x1: px,
      y1: bottom,
      x2: px,
      y2: bottom + TICK_LENGTH,
      stroke: FRAME,
    });
    const label = formatTick(value, area.x.step, area.x.domain[1]);
    shapes.push(text(px, bottom + TICK_LENGTH + 12, label, 10));
  }
  for (const value of area.y.ticks) {
    const [, py] = toPixel(area, [area.x.domain[0], value]);
    shapes.push({ kind: 'line', x1: left, y1: py, x2: right, y2: py, stroke: GRID });
    shapes.push({ kind: 'line', x1: left - TICK_LENGTH, y1: py, x2: left, y2: py, stroke: FRAME });
    const label = formatTick(value, area.y.step, area.y.domain[1]);
    shapes.push(text(left - TICK_LENGTH - 4, py + 3.5, label, 10, { anchor: 'end' }));
  }
  return shapes;
}

function legend(series: ChartSeries[], left: number): Shape[] {
  return series.flatMap((s, i): Shape[] => {
    const y = LEGEND_TOP + i * LEGEND_ROW;
    return [
      { kind: 'line', x1: left, y1: y - 4, x2: left + 30, y2: y - 4, stroke: s.stroke },
      text(left + 38, y, s.label, 11, { anchor: 'start' }),
    ];
  });
}

/** The x-axis ticks layoutLineChart uses for a range. */
export function xAxisTicks([lo, hi]: [number, number], integer = false): AxisTicks {
  return niceTicks(lo, hi, 8, integer);
}

/** The chart as drawing primitives on a CHART_WIDTH × CHART_HEIGHT page. */
export function layoutLineChart(chart: LineChart): Scene {
  const area: PlotArea = {
    left: MARGIN.left,
    top: LEGEND_TOP + Math.max(1, chart.series.length) * LEGEND_ROW,
    right: CHART_WIDTH - MARGIN.right,
    bottom: CHART_HEIGHT - MARGIN.bottom,
    x: chart.xTicks ?? xAxisTicks(chart.xRange, chart.xInteger),
    y: niceTicks(chart.yRange[0], chart.yRange[1], 5, chart.yInteger),
  };
  const { left, top, right, bottom } = area;
  const shapes: Shape[] = [
    { kind: 'rect', x: 0, y: 0, width: CHART_WIDTH, height: CHART_HEIGHT, fill: '#ffffff' },
    text(CHART_WIDTH / 2, 30, chart.title, 16),
    ...legend(chart.series, left),
    ...gridAndTicks(area),
  ];
  for (const s of chart.series) {
    if (s.points.length === 0) continue;
    const points = s.points.map((p) => toPixel(area, p));
    shapes.push({ kind: 'polyline', points, stroke: s.stroke, series: s.name });
  }
  if (chart.series.every((s) => s.points.length === 0) && chart.emptyNote) {
    shapes.push(text((left + right) / 2, (top + bottom) / 2, chart.emptyNote, 14));
  }
  shapes.push(
    { kind: 'rect', x: left, y: top, width: right - left, height: bottom - top, stroke: FRAME },
    text((left + right) / 2, CHART_HEIGHT - 16, chart.xLabel, 12),
    text(24, (top + bottom) / 2, chart.yLabel, 12, { vertical: true }),
  );
  return { width: CHART_WIDTH, height: CHART_HEIGHT, title: chart.title, shapes };
}
