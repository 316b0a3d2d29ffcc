// A chart as a flat list of drawing primitives, independent of the output format.
//
// The layout code (chart-layout.ts) decides where everything goes once; the SVG and PDF writers
// only translate primitives, so both files show exactly the same picture. Coordinates are in
// points (1/72 inch, which SVG treats as px) with the origin at the top left and y pointing down,
// as in SVG; the PDF writer flips y. Text positions are baselines. Colours are '#rrggbb'.

export interface Stroke {
  color: string;
  width: number;
  /** Dash pattern (on, off, ...) in points; solid when absent. */
  dash?: number[];
}

export type TextAnchor = 'start' | 'middle' | 'end';

export interface LineShape {
  kind: 'line';
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  stroke: Stroke;
}

export interface PolylineShape {
  kind: 'polyline';
  points: Array<[number, number]>;
  stroke: Stroke;
  /** Name of the data series drawn, kept as metadata in the SVG. */
  series?: string;
}

export interface RectShape {
  kind: 'rect';
  x: number;
  y: number;
  width: number;
  height: number;
  fill?: string;
  stroke?: Stroke;
}

export interface TextShape {
  kind: 'text';
  x: number;
  y: number;
  text: string;
  size: number;
  anchor: TextAnchor;
  color: string;
  /** Text turned 90° counter-clockwise (reads bottom to top), as for a y-axis label. */
  vertical?: boolean;
}

export type Shape = LineShape | PolylineShape | RectShape | TextShape;

export interface Scene {
  width: number;
  height: number;
  title: string;
  shapes: Shape[];
}

/** A coordinate for SVG or PDF: at most 2 decimals, no trailing zeros, never an exponent. */
export function formatCoordinate(value: number): string {
  const rounded = Math.round(value * 100) / 100;
  return rounded === 0 ? '0' : String(rounded);
}
