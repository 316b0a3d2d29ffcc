import { execFileSync } from 'child_process';
import ExcelJS from 'exceljs';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'fs/promises';
import { tmpdir } from 'os';
import { join } from 'path';
import { unzip } from '../testing/unzip';
import { SITE_COLUMNS, SiteRow, SiteTable } from '../types';
import { summaryRows, writeSitesWorkbook } from './xlsx';

function site(overrides: Partial<SiteRow>): SiteRow {
  return {
    chrom: 'chr1',
    start: 99,
    end: 100,
    position: 100,
    strand: '+',
    fragments: 10,
    umis: 8,
    reads: 50,
    estimated_cells: 11,
    known_sites: 0,
    gene: 'GENE1',
    tss_distance: -1200,
    gene_region: 'promoter',
    fragments_pct: 62.5,
    reads_pct: 55.25,
    umis_pct: 61.54,
    ...overrides,
  };
}

const tables: SiteTable[] = [
  { d: 5, primary: true, rows: [site({}), site({ chrom: 'chrX', strand: '-', gene: 'A<&>"B' })] },
  {
    d: 0,
    primary: false,
    rows: [site({ umis: null, umis_pct: null, tss_distance: null, gene: 'bad\u0001name' })],
  },
  { d: 10, primary: false, rows: [] },
];

const summary = {
  run_id: 'r1',
  filters: { mapq: { in: 1000, kept: 950 }, clip: { kept: 940 } },
  merge_distances: [0, 5, 10],
  top_clones: [
    { chrom: 'chr1', position: 100, fragments: 10 },
    { chrom: 'chrX', position: 7, fragments: 3, umis: 2 },
  ],
  nothing: null,
  flags: { paired: true, trimmed: false },
};

describe('writeSitesWorkbook', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'qslam-xlsx-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  async function readBack(): Promise<ExcelJS.Workbook> {
    const file = join(dir, 'sites.xlsx');
    await writeSitesWorkbook(file, tables, summary);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    return book;
  }

  it('writes the summary first, then d sheets in order, and nothing else in the directory', async () => {
    const book = await readBack();
    expect(book.worksheets.map((s) => s.name)).toEqual(['summary', 'd0', 'd5', 'd10']);
    expect(await readdir(dir)).toEqual(['sites.xlsx']);
  });

  it('gives every site sheet a bold, frozen, filtered header of SITE_COLUMNS', async () => {
    const book = await readBack();
    for (const name of ['d0', 'd5', 'd10']) {
      const sheet = book.getWorksheet(name)!;
      const header = (sheet.getRow(1).values as unknown[]).slice(1);
      expect(header).toEqual([...SITE_COLUMNS]);
      expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true);
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(sheet.autoFilter).toBeTruthy();
      expect(sheet.getColumn(1).width).toBeGreaterThan(0);
    }
    expect(book.getWorksheet('d10')!.rowCount).toBe(1);
  });

  it('stores numbers as numbers, missing values as empty cells, text verbatim', async () => {
    const book = await readBack();
    const d5 = book.getWorksheet('d5')!;
    const col = (name: string) => SITE_COLUMNS.indexOf(name as keyof SiteRow) + 1;
    expect(d5.getRow(2).getCell(col('position')).value).toBe(100);
    expect(d5.getRow(2).getCell(col('tss_distance')).value).toBe(-1200);
    expect(d5.getRow(2).getCell(col('reads_pct')).value).toBe(55.25);
    expect(d5.getRow(3).getCell(col('chrom')).value).toBe('chrX');
    expect(d5.getRow(3).getCell(col('strand')).value).toBe('-');
    expect(d5.getRow(3).getCell(col('gene')).value).toBe('A<&>"B');
    const d0 = book.getWorksheet('d0')!;
    expect(d0.getRow(2).getCell(col('umis')).value).toBeNull();
    expect(d0.getRow(2).getCell(col('tss_distance')).value).toBeNull();
    expect(d0.getRow(2).getCell(col('gene')).value).toBe('badname');
  });

  it('writes sheets of equal content (neighbouring d) each in full, whatever the reuse', async () => {
    const a = [site({}), site({ position: 200, gene: 'GENE2' })];
    const b = [site({ position: 300 })];
    const copy = () => a.map((r) => ({ ...r }));
    const same: SiteTable[] = [
      { d: 0, primary: false, rows: copy() },
      { d: 1, primary: false, rows: copy() },
      { d: 2, primary: true, rows: copy() },
      { d: 3, primary: false, rows: b },
      { d: 4, primary: false, rows: copy() },
    ];
    const file = join(dir, 'same.xlsx');
    await writeSitesWorkbook(file, same, {});
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    const col = SITE_COLUMNS.indexOf('position') + 1;
    const positions = (name: string) => {
      const sheet = book.getWorksheet(name)!;
      return Array.from(
        { length: sheet.rowCount - 1 },
        (_, i) => sheet.getRow(i + 2).getCell(col).value,
      );
    };
    expect(['d0', 'd1', 'd2', 'd3', 'd4'].map(positions)).toEqual([
      [100, 200],
      [100, 200],
      [100, 200],
      [300],
      [100, 200],
    ]);
    expect(book.getWorksheet('d2')!.properties.tabColor).toBeTruthy();
    expect(book.getWorksheet('d1')!.properties.tabColor).toBeFalsy();
    expect(book.views[0].activeTab).toBe(3);
    const gene = SITE_COLUMNS.indexOf('gene') + 1;
    expect(book.getWorksheet('d4')!.getRow(3).getCell(gene).value).toBe('GENE2');
    expect(execFileSync('unzip', ['-t', file], { encoding: 'utf8' })).toContain('No errors');
  });

  it('marks the primary sheet and opens on it', async () => {
    const book = await readBack();
    expect(book.getWorksheet('d5')!.properties.tabColor).toBeTruthy();
    expect(book.getWorksheet('d0')!.properties.tabColor).toBeFalsy();
    expect(book.views[0].activeTab).toBe(2);
  });

  it('lists the summary as flattened key/value rows with small tables', async () => {
    const book = await readBack();
    const rows = book
      .getWorksheet('summary')!
      .getSheetValues()
      .filter(Boolean)
      .map((v) => (v as unknown[]).slice(1));
    expect(rows).toEqual([
      ['key', 'value'],
      ['primary_sheet', 'd5'],
      ['run_id', 'r1'],
      ['filters.mapq.in', 1000],
      ['filters.mapq.kept', 950],
      ['filters.clip.kept', 940],
      ['merge_distances', 0, 5, 10],
      ['top_clones'],
      [undefined, 'chrom', 'position', 'fragments', 'umis'],
      [undefined, 'chr1', 100, 10],
      [undefined, 'chrX', 7, 3, 2],
      ['nothing'],
      ['flags.paired', true],
      ['flags.trimmed', false],
    ]);
  });

  it('freezes the header row, filters it and formats the percent columns 0.00', async () => {
    const book = await readBack();
    const d5 = book.getWorksheet('d5')!;
    expect(d5.views[0]).toMatchObject({ state: 'frozen', ySplit: 1, topLeftCell: 'A2' });
    expect(d5.autoFilter).toBe('A1:P1');
    const col = (name: keyof SiteRow) => SITE_COLUMNS.indexOf(name) + 1;
    for (const name of ['fragments_pct', 'reads_pct', 'umis_pct'] as const) {
      expect(d5.getRow(2).getCell(col(name)).numFmt).toBe('0.00');
      expect(d5.getColumn(col(name)).numFmt).toBe('0.00');
    }
    expect(d5.getRow(2).getCell(col('reads')).numFmt).toBeUndefined();
    expect(d5.getRow(1).getCell(col('reads_pct')).font?.bold).toBe(true);
    expect(book.getWorksheet('summary')!.getRow(1).getCell(2).font?.bold).toBe(true);
    expect(book.getWorksheet('summary')!.getRow(2).getCell(1).font?.bold).toBeFalsy();
  });

  it('bolds the header rows of the summary tables', async () => {
    const sheet = (await readBack()).getWorksheet('summary')!;
    const bold = (r: number) => Boolean(sheet.getRow(r).getCell(2).font?.bold);
    expect([8, 9, 10].map(bold)).toEqual([false, true, false]); // top_clones, its header, a row
  });

  describe('the parts of the package', () => {
    let parts: Map<string, string>;
    beforeAll(async () => {
      const dir = await mkdtemp(join(tmpdir(), 'qslam-xlsx-'));
      const file = join(dir, 'sites.xlsx');
      await writeSitesWorkbook(file, tables, summary);
      expect(execFileSync('unzip', ['-t', file], { encoding: 'utf8' })).toContain('No errors');
      parts = new Map(unzip(await readFile(file)).map((e) => [e.name, e.data.toString('utf8')]));
      await rm(dir, { recursive: true, force: true });
    });
    const part = (name: string) => parts.get(name) ?? '';
    const sheetPart = (i: number) => part(`xl/worksheets/sheet${i}.xml`);

    it('declares a content type for every part and points relationships at existing parts', () => {
      const types = part('[Content_Types].xml');
      for (const name of parts.keys()) {
        if (!/\.rels$|^\[Content_Types\]\.xml$/.test(name)) {
          expect(types).toContain(`PartName="/${name}"`);
        }
      }
      for (const [rels, base] of [
        ['_rels/.rels', ''],
        ['xl/_rels/workbook.xml.rels', 'xl/'],
      ]) {
        const targets = [...part(rels).matchAll(/Target="([^"]+)"/g)].map((m) => base + m[1]);
        expect(targets.length).toBeGreaterThan(2);
        for (const target of targets) expect(parts.has(target)).toBe(true);
      }
      expect(part('docProps/core.xml')).toContain(
        '<dc:creator>qsLAM PCR Server site_analysis</dc:creator>',
      );
    });

    it('opens on the primary sheet, which alone has the coloured, selected tab', () => {
      expect(part('xl/workbook.xml')).toContain('activeTab="2"');
      expect(sheetPart(3)).toContain('<sheetPr><tabColor rgb="FF0072B2"/></sheetPr>');
      expect(sheetPart(3)).toContain('tabSelected="1"');
      for (const i of [1, 2, 4]) expect(sheetPart(i)).not.toMatch(/tabColor|tabSelected/);
    });

    it('names each autofilter range _xlnm._FilterDatabase, local to its sheet', () => {
      const names = [...part('xl/workbook.xml').matchAll(/<definedName [^>]*>[^<]*/g)].map(
        (m) => m[0],
      );
      expect(names).toEqual(
        ['d0', 'd5', 'd10'].map(
          (name, i) =>
            `<definedName name="_xlnm._FilterDatabase" localSheetId="${i + 1}" hidden="1">` +
            `'${name}'!$A$1:$P$1`,
        ),
      );
      for (const i of [2, 3, 4]) expect(sheetPart(i)).toContain('<autoFilter ref="A1:P1"/>');
      expect(sheetPart(1)).not.toContain('autoFilter');
    });

    it('formats with a custom number format 0.00', () => {
      const styles = part('xl/styles.xml');
      const id = Number(/<numFmt numFmtId="(\d+)" formatCode="0.00"\/>/.exec(styles)?.[1]);
      expect(id).toBeGreaterThanOrEqual(164);
      expect(styles).toContain(`<xf numFmtId="${id}"`);
    });

    it('writes no cell for a missing value, numbers as values, booleans as t="b"', () => {
      const d0 = sheetPart(2);
      const letter = (name: keyof SiteRow) => String.fromCharCode(65 + SITE_COLUMNS.indexOf(name));
      for (const name of ['umis', 'tss_distance', 'umis_pct'] as const) {
        expect(d0).not.toContain(`<c r="${letter(name)}2"`);
      }
      expect(d0).toContain(`<c r="${letter('position')}2"><v>100</v></c>`);
      expect(sheetPart(1)).toMatch(/<c r="B\d+" t="b"><v>1<\/v><\/c>/);
      expect(d0).toContain('<dimension ref="A1:P2"/>');
    });

    it('escapes markup and drops characters XML forbids', () => {
      expect(part('xl/sharedStrings.xml')).toContain('>A&lt;&amp;&gt;&quot;B</t>');
      expect(part('xl/sharedStrings.xml')).toContain('>badname</t>');
      for (const text of parts.values()) expect(text).not.toContain('\u0001');
    });
  });

  it('renames into place: a failed rename leaves no temporary file', async () => {
    const file = join(dir, 'sites.xlsx');
    await mkdir(file); // a directory where the workbook should go
    await expect(writeSitesWorkbook(file, tables, summary)).rejects.toThrow();
    expect(await readdir(dir)).toEqual(['sites.xlsx']);
    expect(await readdir(file)).toEqual([]);
  });

  it('rejects duplicate distances and leaves no file', async () => {
    const file = join(dir, 'sites.xlsx');
    const twice = [tables[0], { ...tables[0], primary: false }];
    await expect(writeSitesWorkbook(file, twice, {})).rejects.toThrow(/d = 5/);
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('summaryRows', () => {
  it('marks table headers bold', () => {
    const { rows, bold } = summaryRows({ t: [{ a: 1 }] });
    expect(rows).toEqual([['t'], [null, 'a'], [null, 1]]);
    expect([...bold]).toEqual([1]);
  });
});
