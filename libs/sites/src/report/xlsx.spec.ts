import ExcelJS from 'exceljs';
import { mkdtemp, readdir, rm } from 'fs/promises';
import { tmpdir } from 'os';
import { join } from 'path';
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
    ]);
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
