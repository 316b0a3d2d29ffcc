// SVG output: well-formed XML (checked by a small tag-balancing parser), the two series, escaping;
// and the chart data behind both the SVG and the PDF: histogram bars, binning, fraction steps.

import { layoutLineChart } from './chart-layout';
import { LengthHistogram } from './length-histogram';
import { binWidth, fractionGeChart, histogramChart, MAX_PLOTTED_BINS } from './readlen-charts';
import { escapeXml, renderSvg } from './svg-writer';

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  text: string;
}

const TAG =
  /^<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<&]*(?:&(?:amp|lt|gt|quot);[^"<&]*)*")*)\s*(\/?)>$/;
const TEXT = /^(?:[^<>&]|&(?:amp|lt|gt|quot|apos);)*$/;

/** Parses well-formed XML of the simple kind we write; throws on anything unbalanced. */
function parseXml(xml: string): XmlElement[] {
  const body = xml.replace(/^<\?xml [^?]*\?>\n/, '');
  const elements: XmlElement[] = [];
  const open: XmlElement[] = [];
  let roots = 0;
  for (const token of body.match(/<[^>]*>|[^<]+/g) ?? []) {
    if (!token.startsWith('<')) {
      if (!TEXT.test(token)) throw new Error(`bad text ${token}`);
      if (open.length === 0 && token.trim() !== '') throw new Error('text outside the root');
      if (open.length > 0) open[open.length - 1].text += token;
      continue;
    }
    const tag = TAG.exec(token);
    if (!tag) throw new Error(`malformed tag ${token}`);
    const [, closing, name, attributeText, selfClosing] = tag;
    if (closing) {
      if (open.pop()?.name !== name) throw new Error(`unbalanced </${name}>`);
      continue;
    }
    if (open.length === 0) roots++;
    const attributes: Record<string, string> = {};
    for (const [, key, value] of attributeText.matchAll(/([\w:-]+)="([^"]*)"/g)) {
      if (key in attributes) throw new Error(`duplicate attribute ${key}`);
      attributes[key] = value;
    }
    const element = { name, attributes, text: '' };
    elements.push(element);
    if (!selfClosing) open.push(element);
  }
  if (open.length > 0 || roots !== 1) throw new Error('document is not one closed root element');
  return elements;
}

const PAIR = {
  R1: LengthHistogram.of([30, 31, 31, 80, 150, 150, 150]),
  R2: LengthHistogram.of([50, 90, 90, 150]),
};

describe('renderSvg', () => {
  for (const [name, chart] of [
    ['histogram', histogramChart(PAIR)],
    ['fraction_ge', fractionGeChart(PAIR)],
  ] as const) {
    it(`writes the ${name} chart as well-formed SVG with the R1 and R2 series`, () => {
      const svg = renderSvg(layoutLineChart(chart));
      const elements = parseXml(svg);
      expect(elements[0].name).toBe('svg');
      expect(elements[0].attributes.xmlns).toBe('http://www.w3.org/2000/svg');
      expect(elements[0].attributes.viewBox).toBe('0 0 720 480');
      const series = elements.filter((e) => e.attributes.class === 'series');
      expect(series.map((e) => e.attributes['data-series'])).toEqual(['R1', 'R2']);
      expect(series[1].attributes['stroke-dasharray']).toBe('6 3');
      for (const polyline of series) {
        for (const point of polyline.attributes.points.split(' ')) {
          const [x, y] = point.split(',').map(Number);
          expect(x >= 0 && x <= 720 && y >= 0 && y <= 480).toBe(true);
        }
      }
      const texts = elements.filter((e) => e.name === 'text').map((e) => e.text);
      expect(texts).toContain(chart.title);
      expect(texts.filter((t) => /^R[12]: /.test(t))).toHaveLength(2);
    });
  }

  it('escapes markup characters in text', () => {
    expect(escapeXml('a < b & "c" > d')).toBe('a &lt; b &amp; &quot;c&quot; &gt; d');
    const chart = { ...histogramChart(PAIR), title: 'R1 & R2 <raw>' };
    const elements = parseXml(renderSvg(layoutLineChart(chart)));
    expect(elements.find((e) => e.name === 'title')?.text).toBe('R1 &amp; R2 &lt;raw&gt;');
  });
});

describe('chart data', () => {
  it('draws one bar per length with the read count as its height', () => {
    const [r1, r2] = histogramChart(PAIR).series;
    expect(r1.points).toContainEqual([30.5, 1]);
    expect(r1.points).toContainEqual([30.5, 2]);
    expect(r1.points).toContainEqual([149.5, 3]);
    expect(r1.points[0]).toEqual([29.5, 0]);
    expect(r1.points[r1.points.length - 1]).toEqual([150.5, 0]);
    expect(Math.max(...r2.points.map(([, y]) => y))).toBe(2);
  });

  it('groups very wide length ranges into at most MAX_PLOTTED_BINS bins', () => {
    const lengths = Array.from({ length: 1000 }, (_, i) => 1 + i * 10);
    const pair = { R1: LengthHistogram.of(lengths), R2: LengthHistogram.of([5000]) };
    const chart = histogramChart(pair);
    expect(chart.yLabel).toBe('reads per 20-bp bin');
    const heights = chart.series[0].points.filter((_, i) => i % 2 === 1).map(([, y]) => y);
    expect(heights.length).toBeLessThanOrEqual(MAX_PLOTTED_BINS + 1);
    expect(heights.reduce((a, b) => a + b, 0)).toBe(1000);
  });

  it('draws fraction_ge as steps from 1 at the shortest read to 0 after the longest', () => {
    const chart = fractionGeChart(PAIR);
    const [r1, r2] = chart.series;
    expect(chart.xTicks?.domain).toEqual([20, 160]);
    expect(r1.points.slice(0, 3)).toEqual([
      [20, 1],
      [30, 1],
      [31, 1],
    ]);
    expect(r1.points).toContainEqual([31, 6 / 7]);
    expect(r1.points).toContainEqual([150, 3 / 7]);
    expect(r1.points.slice(-3)).toEqual([
      [151, 3 / 7],
      [151, 0],
      [160, 0],
    ]);
    expect(r2.points).toContainEqual([90, 3 / 4]);
  });

  it('shows a single read length with some context, never below length 0', () => {
    const single = { R1: LengthHistogram.of([150, 150]), R2: LengthHistogram.of([150]) };
    expect(histogramChart(single).xRange).toEqual([145, 155]);
    expect(fractionGeChart(single).xRange).toEqual([145.5, 155.5]);
    const short = { R1: LengthHistogram.of([2]), R2: LengthHistogram.of([0]) };
    expect(histogramChart(short).xRange).toEqual([0, 9.5]);
    expect(histogramChart(short).xTicks).toBeUndefined();
  });

  it('uses bins 1, 2 or 5 times a power of ten wide', () => {
    expect(binWidth(30, 150)).toBe(1);
    expect(binWidth(1, 500)).toBe(1);
    expect(binWidth(1, 501)).toBe(2);
    expect(binWidth(4, 20197)).toBe(50);
  });

  it('writes "no reads" instead of curves when both files are empty', () => {
    const empty = { R1: new LengthHistogram(), R2: new LengthHistogram() };
    for (const chart of [histogramChart(empty), fractionGeChart(empty)]) {
      const elements = parseXml(renderSvg(layoutLineChart(chart)));
      expect(elements.filter((e) => e.name === 'polyline')).toHaveLength(0);
      expect(elements.map((e) => e.text)).toContain('no reads');
      expect(elements.map((e) => e.text)).toContain('R1: no reads');
    }
  });
});
