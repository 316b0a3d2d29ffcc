// Scene → standalone SVG 1.1 document (UTF-8 text).
//
// Every series polyline carries class="series" and data-series="<name>" so that tests and
// scripts can find the curves without knowing the layout.

import { formatCoordinate, Scene, Shape, Stroke } from './chart-scene';

const FONT_FAMILY = 'Helvetica, Arial, sans-serif';

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function strokeAttributes(stroke: Stroke): string {
  const dash = stroke.dash ? ` stroke-dasharray="${stroke.dash.join(' ')}"` : '';
  return `stroke="${stroke.color}" stroke-width="${stroke.width}"${dash}`;
}

const ANCHORS = { start: 'start', middle: 'middle', end: 'end' } as const;

function shapeElement(shape: Shape): string {
  const f = formatCoordinate;
  switch (shape.kind) {
    case 'line':
      return (
        `<line x1="${f(shape.x1)}" y1="${f(shape.y1)}" x2="${f(shape.x2)}" y2="${f(shape.y2)}" ` +
        `${strokeAttributes(shape.stroke)}/>`
      );
    case 'polyline': {
      const points = shape.points.map(([x, y]) => `${f(x)},${f(y)}`).join(' ');
      const series = shape.series ? ` class="series" data-series="${escapeXml(shape.series)}"` : '';
      return (
        `<polyline${series} fill="none" stroke-linejoin="round" ` +
        `${strokeAttributes(shape.stroke)} points="${points}"/>`
      );
    }
    case 'rect': {
      const fill = `fill="${shape.fill ?? 'none'}"`;
      const stroke = shape.stroke ? ` ${strokeAttributes(shape.stroke)}` : '';
      return (
        `<rect x="${f(shape.x)}" y="${f(shape.y)}" width="${f(shape.width)}" ` +
        `height="${f(shape.height)}" ${fill}${stroke}/>`
      );
    }
    case 'text': {
      const turn = shape.vertical ? ` transform="rotate(-90 ${f(shape.x)} ${f(shape.y)})"` : '';
      return (
        `<text x="${f(shape.x)}" y="${f(shape.y)}" font-size="${shape.size}" ` +
        `text-anchor="${ANCHORS[shape.anchor]}" fill="${shape.color}"${turn}>` +
        `${escapeXml(shape.text)}</text>`
      );
    }
  }
}

/** The scene as an SVG document. */
export function renderSvg(scene: Scene): string {
  const { width, height } = scene;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${width}" height="${height}" ` +
      `viewBox="0 0 ${width} ${height}" font-family="${FONT_FAMILY}">`,
    `<title>${escapeXml(scene.title)}</title>`,
    ...scene.shapes.map(shapeElement),
    '</svg>',
    '',
  ].join('\n');
}
