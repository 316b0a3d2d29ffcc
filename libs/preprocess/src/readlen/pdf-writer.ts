// Scene → PDF page content (path and text operators), and scenes → a multi-page PDF file.
//
// Scenes have their origin at the top left with y down; PDF user space has it at the bottom left
// with y up, so every y becomes height - y. Text is positioned with a text matrix: identity for
// horizontal text, a quarter turn for vertical text. PDF has no text-anchor, so centred and
// right-aligned text is shifted by its width computed from the font metrics.

import { formatCoordinate as f, Scene, Shape, Stroke, TextShape } from './chart-scene';
import { buildPdf, PDF_FONT_RESOURCES, pdfString, PdfInfo } from './pdf-document';
import { fontRuns, textWidth } from './font-metrics';

/** '#rrggbb' → 'r g b' with components in 0..1. */
export function pdfColor(hex: string): string {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!match) throw new Error(`colour must be #rrggbb, got ${hex}`);
  return match
    .slice(1)
    .map((h) => String(Math.round((parseInt(h, 16) / 255) * 1000) / 1000))
    .join(' ');
}

function strokeState(stroke: Stroke): string {
  const dash = stroke.dash ? stroke.dash.map(f).join(' ') : '';
  return `${pdfColor(stroke.color)} RG ${f(stroke.width)} w [${dash}] 0 d`;
}

function textOperators(shape: TextShape, pageHeight: number): string {
  const width = textWidth(shape.text, shape.size);
  const shift = shape.anchor === 'end' ? width : shape.anchor === 'middle' ? width / 2 : 0;
  const y = pageHeight - shape.y;
  const matrix = shape.vertical
    ? `0 1 -1 0 ${f(shape.x)} ${f(y - shift)} Tm`
    : `1 0 0 1 ${f(shape.x - shift)} ${f(y)} Tm`;
  const runs = fontRuns(shape.text).map(
    (run) => `/${PDF_FONT_RESOURCES[run.font]} ${f(shape.size)} Tf ${pdfString(run.bytes)} Tj`,
  );
  return `BT ${pdfColor(shape.color)} rg ${matrix} ${runs.join(' ')} ET`;
}

function shapeOperators(shape: Shape, pageHeight: number): string {
  const y = (value: number): string => f(pageHeight - value);
  switch (shape.kind) {
    case 'line':
      return (
        `${strokeState(shape.stroke)} ` +
        `${f(shape.x1)} ${y(shape.y1)} m ${f(shape.x2)} ${y(shape.y2)} l S`
      );
    case 'polyline': {
      const path = shape.points.map(([px, py], i) => `${f(px)} ${y(py)} ${i === 0 ? 'm' : 'l'}`);
      return `${strokeState(shape.stroke)} ${path.join(' ')} S`;
    }
    case 'rect': {
      const corner = `${f(shape.x)} ${y(shape.y + shape.height)}`;
      const box = `${corner} ${f(shape.width)} ${f(shape.height)} re`;
      const ops: string[] = [];
      if (shape.fill) ops.push(`${pdfColor(shape.fill)} rg ${box} f`);
      if (shape.stroke) ops.push(`${strokeState(shape.stroke)} ${box} S`);
      return ops.join('\n');
    }
    case 'text':
      return textOperators(shape, pageHeight);
  }
}

/** The content stream of one page showing `scene`. */
export function sceneContent(scene: Scene): string {
  // Round joins, as the SVG polylines have, so that both files draw the step corners alike.
  const lines = ['1 j'];
  for (const shape of scene.shapes) lines.push(shapeOperators(shape, scene.height));
  return lines.join('\n');
}

/** A PDF file with one page per scene, each page the size of its scene. */
export function renderPdf(scenes: Scene[], info: PdfInfo = {}): Buffer {
  const pages = scenes.map((scene) => ({
    width: scene.width,
    height: scene.height,
    content: sceneContent(scene),
  }));
  return buildPdf(pages, info);
}
