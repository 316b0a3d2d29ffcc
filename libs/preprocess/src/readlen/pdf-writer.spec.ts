// PDF structure (header, objects at the offsets the xref table gives, trailer, stream lengths,
// %%EOF) checked by parsing the bytes, plus the operators drawn for text and shapes.

import { execFileSync } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Scene } from './chart-scene';
import { layoutLineChart } from './chart-layout';
import { fontRuns, textWidth } from './font-metrics';
import { LengthHistogram } from './length-histogram';
import { buildPdf, pdfString } from './pdf-document';
import { pdfColor, renderPdf, sceneContent } from './pdf-writer';
import { fractionGeChart, histogramChart } from './readlen-charts';

interface ParsedPdf {
  text: string;
  size: number;
  offsets: number[];
}

/** Checks the file-level structure and returns the xref offsets of objects 1..size-1. */
function parsePdf(pdf: Buffer): ParsedPdf {
  const text = pdf.toString('latin1');
  expect(text.startsWith('%PDF-1.4\n')).toBe(true);
  expect(text.endsWith('%%EOF\n')).toBe(true);
  const startxref = /startxref\n(\d+)\n%%EOF\n$/.exec(text);
  expect(startxref).not.toBeNull();
  const xrefAt = Number(startxref![1]);
  const header = /^xref\n0 (\d+)\n/.exec(text.slice(xrefAt));
  expect(header).not.toBeNull();
  const size = Number(header![1]);
  const entriesAt = xrefAt + header![0].length;
  const entries = Array.from({ length: size }, (_, i) =>
    text.slice(entriesAt + 20 * i, entriesAt + 20 * (i + 1)),
  );
  expect(entries[0]).toBe('0000000000 65535 f \n');
  const offsets = entries.slice(1).map((entry) => {
    expect(entry).toMatch(/^\d{10} 00000 n \n$/);
    return Number(entry.slice(0, 10));
  });
  const trailer = text.slice(entriesAt + 20 * size);
  expect(trailer.startsWith('trailer\n')).toBe(true);
  expect(/\/Size (\d+)/.exec(trailer)![1]).toBe(String(size));
  return { text, size, offsets };
}

function objectBody(parsed: ParsedPdf, number: number): string {
  const start = parsed.offsets[number - 1];
  const end = parsed.text.indexOf('endobj\n', start);
  return parsed.text.slice(start, end);
}

const PAIR = {
  R1: LengthHistogram.of([30, 31, 31, 80, 150, 150, 150]),
  R2: LengthHistogram.of([50, 90, 90, 150]),
};
const SCENES: Scene[] = [
  layoutLineChart(histogramChart(PAIR)),
  layoutLineChart(fractionGeChart(PAIR)),
];

describe('buildPdf / renderPdf structure', () => {
  const pdf = renderPdf(SCENES, { title: 'Read lengths', producer: 'test' });
  const parsed = parsePdf(pdf);

  it('has every xref offset pointing at "N 0 obj" and /Size = objects + 1', () => {
    expect(parsed.offsets).toHaveLength(parsed.size - 1);
    parsed.offsets.forEach((offset, i) => {
      expect(parsed.text.slice(offset, offset + 20)).toMatch(new RegExp(`^${i + 1} 0 obj\\n`));
    });
  });

  it('has stream /Length values equal to the bytes between stream and endstream', () => {
    const streams = [...parsed.text.matchAll(/<< \/Length (\d+) >>\nstream\n/g)];
    expect(streams).toHaveLength(2);
    for (const match of streams) {
      const start = match.index! + match[0].length;
      const length = Number(match[1]);
      expect(parsed.text.slice(start + length, start + length + 10)).toBe('\nendstream');
    }
  });

  it('has a catalog, a page tree of two pages and the standard fonts', () => {
    expect(objectBody(parsed, 1)).toContain('/Type /Catalog /Pages 2 0 R');
    expect(objectBody(parsed, 2)).toContain('/Count 2');
    expect(parsed.text.match(/\/Type \/Page /g)).toHaveLength(2);
    expect(objectBody(parsed, 3)).toContain('/BaseFont /Helvetica /Encoding /WinAnsiEncoding');
    expect(objectBody(parsed, 4)).toContain('/BaseFont /Symbol');
    expect(parsed.text).toContain('/MediaBox [0 0 720 480]');
    expect(objectBody(parsed, 5)).toContain('/Title (Read lengths)');
  });

  it('keeps text objects balanced and draws both series as stroked paths', () => {
    for (const scene of SCENES) {
      const content = sceneContent(scene);
      expect(content.match(/\bBT\b/g)!.length).toBe(content.match(/\bET\b/g)!.length);
      expect(content).toContain(`${pdfColor('#0072b2')} RG`);
      expect(content).toContain(`${pdfColor('#d55e00')} RG 1.8 w [6 3] 0 d`);
    }
  });

  it('is accepted by qpdf --check when qpdf is installed', () => {
    let qpdf = true;
    try {
      execFileSync('qpdf', ['--version'], { stdio: 'ignore' });
    } catch {
      qpdf = false;
    }
    if (!qpdf) return;
    const dir = mkdtempSync(join(tmpdir(), 'readlen-pdf-'));
    try {
      writeFileSync(join(dir, 'readlen.pdf'), pdf);
      const output = execFileSync('qpdf', ['--check', join(dir, 'readlen.pdf')]).toString();
      expect(output).toContain('No syntax or stream encoding errors');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a document without pages', () => {
    expect(() => buildPdf([])).toThrow('at least one page');
  });
});

describe('PDF text and strings', () => {
  it('escapes parentheses, backslashes and non-ASCII bytes in literal strings', () => {
    expect(pdfString(Buffer.from('a(b)\\c'))).toBe('(a\\(b\\)\\\\c)');
    expect(pdfString([0xb3, 0x0a])).toBe('(\\263\\012)');
  });

  it('takes ≥ from the Symbol font and measures text with the Helvetica metrics', () => {
    expect(fontRuns('L ≥ 5')).toEqual([
      { font: 'Helvetica', bytes: [0x4c, 0x20], width: 556 + 278 },
      { font: 'Symbol', bytes: [0xb3], width: 549 },
      { font: 'Helvetica', bytes: [0x20, 0x35], width: 278 + 556 },
    ]);
    expect(textWidth('10', 10)).toBeCloseTo(11.12, 10);
  });

  it('shifts right-aligned and centred text by its width and flips y', () => {
    const scene: Scene = {
      width: 200,
      height: 100,
      title: 't',
      shapes: [
        { kind: 'text', x: 100, y: 30, text: '10', size: 10, anchor: 'end', color: '#000000' },
        {
          kind: 'text',
          x: 20,
          y: 50,
          text: '10',
          size: 10,
          anchor: 'middle',
          color: '#ff0000',
          vertical: true,
        },
      ],
    };
    const content = sceneContent(scene);
    expect(content).toContain('BT 0 0 0 rg 1 0 0 1 88.88 70 Tm /F1 10 Tf (10) Tj ET');
    expect(content).toContain('BT 1 0 0 rg 0 1 -1 0 20 44.44 Tm /F1 10 Tf (10) Tj ET');
  });
});
