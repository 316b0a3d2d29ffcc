import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { parseSiteCliArgs } from './site-cli';
import { PairSpec, writeBam } from './testing/sam-fixture';

const run = promisify(execFile);
const CLI = path.join(__dirname, 'site-cli.ts');
const ROOT = path.resolve(__dirname, '..', '..', '..');

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const argv = [
    '-r',
    'ts-node/register/transpile-only',
    '-r',
    'tsconfig-paths/register',
    CLI,
    ...args,
  ];
  try {
    const { stdout, stderr } = await run(process.execPath, argv, { cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** `+` R1 at 1-based `pos` with its breakpoint at `bp` (mate 150M ending there). */
function plus(name: string, pos: number, bp: number, chrom = 'chr1'): PairSpec {
  return { name, chrom, pos, cigar: '150M', reverse: false, matePos: bp - 149, mateCigar: '150M' };
}

/** `-` R1 whose alignment ends at `site`, breakpoint `bp` (mate 150M starting there). */
function minus(name: string, site: number, bp: number): PairSpec {
  return {
    name,
    chrom: 'chr1',
    pos: site - 149,
    cigar: '150M',
    reverse: true,
    matePos: bp,
    mateCigar: '150M',
  };
}

const HEADER =
  'chrom\tstart\tend\tposition\tstrand\tfragments\tumis\treads\testimated_cells\tknown_sites\tgene\ttss_distance\tgene_region\tfragments_pct\treads_pct\tumis_pct';

describe('site-cli', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sites-cli-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes every file; keep rule, merging, UMIs, known sites and annotation as computed by hand', async () => {
    const pairs = [
      // site A: + 1001, breakpoints 1600 (2 reads), 1500, 1400; UMIs AAAA AAAA CCCC AAAT
      plus('a1_AAAA', 1001, 1600),
      plus('a2_AAAA', 1001, 1600),
      plus('a3_CCCC', 1001, 1500),
      plus('a4_AAAT', 1001, 1400),
      // site B: + 1003, one read (merged into A from d = 2)
      plus('b1_TTTT', 1003, 1700),
      // site C: - 5000, 6 reads of one fragment: kept by reads > 5
      ...['GGGG', 'GGGG', 'GGGG', 'GGGG', 'GGGG', 'GGGT'].map((u, i) =>
        minus(`c${i}_${u}`, 5000, 4401),
      ),
      // site D: one read, removed by the keep rule
      plus('d1_ACGT', 9001, 9600),
      plus('v1_ACGT', 101, 700, 'vector'),
    ];
    const bam = writeBam(
      dir,
      'run',
      [
        { name: 'chr1', length: 20000 },
        { name: 'vector', length: 1000 },
      ],
      pairs,
    );
    const gtf = path.join(dir, 'genes.gtf');
    fs.writeFileSync(
      gtf,
      ['chr1', 't', 'gene', 1501, 3000, '.', '+', '.', 'gene_id "E1"; gene_name "G1";'].join('\t') +
        '\n',
    );
    const known = path.join(dir, 'known.bed');
    fs.writeFileSync(known, 'chr1\t1000\t1001\tk\t0\t+\n');
    const out = path.join(dir, 'out');
    const args = [
      '--bam',
      bam,
      '--out-dir',
      out,
      '--annotation',
      gtf,
      '--known-sites',
      known,
      '--umi',
    ];
    const { code, stderr } = await cli([
      ...args,
      '--merge-distance',
      '2',
      '--max-merge-distance',
      '3',
    ]);
    expect(stderr).not.toMatch(/Error/);
    expect(code).toBe(0);

    const read = (f: string) => fs.readFileSync(path.join(out, f), 'utf8');
    const rows = (f: string) =>
      read(f)
        .trimEnd()
        .split('\n')
        .map((l) => l.split('\t'));
    for (const d of [0, 1, 2, 3])
      expect(read(`bed2peak/sites.d${d}.tsv`).split('\n')[0]).toBe(HEADER);
    expect(read('bed2peak/sites.tsv')).toBe(read('bed2peak/sites.d2.tsv'));

    const cols = (r: string[]) => [
      r[0],
      r[1],
      r[2],
      r[3],
      r[4],
      r[5],
      r[6],
      r[7],
      r[9],
      r[10],
      r[11],
      r[12],
      r[13],
      r[14],
      r[15],
    ];
    // d=0: A (3 fragments, 4 reads, 2 UMIs) and C (1, 6, 1); B and D removed
    expect(rows('bed2peak/sites.d0.tsv').slice(1).map(cols)).toEqual([
      [
        'chr1',
        '1000',
        '1001',
        '1001',
        '+',
        '3',
        '2',
        '4',
        '1',
        'G1',
        '-500',
        'promoter',
        '75',
        '40',
        '66.6667',
      ],
      [
        'chr1',
        '4999',
        '5000',
        '5000',
        '-',
        '1',
        '1',
        '6',
        '0',
        'G1',
        '3499',
        'downstream',
        '25',
        '60',
        '33.3333',
      ],
    ]);
    // d=2: A+B at 1001, span [1000,1003), 4 fragments, 5 reads, UMIs AAAA:2 AAAT CCCC TTTT → 3
    expect(rows('bed2peak/sites.d2.tsv').slice(1).map(cols)).toEqual([
      [
        'chr1',
        '1000',
        '1003',
        '1001',
        '+',
        '4',
        '3',
        '5',
        '1',
        'G1',
        '-500',
        'promoter',
        '80',
        '45.4545',
        '75',
      ],
      [
        'chr1',
        '4999',
        '5000',
        '5000',
        '-',
        '1',
        '1',
        '6',
        '0',
        'G1',
        '3499',
        'downstream',
        '20',
        '54.5455',
        '25',
      ],
    ]);
    for (const r of rows('bed2peak/sites.tsv').slice(1))
      expect(Number(r[8])).toBeGreaterThanOrEqual(Number(r[5]));

    const bed = rows('bam2bed/fragments.bed');
    expect(bed[0].join('\t')).toBe(
      '#chrom\tstart\tend\tname\tscore\tstrand\tposition\tbreakpoint\treads\tumis',
    );
    expect(bed.slice(1)).toEqual([
      ['chr1', '1000', '1400', '1001+', '1', '+', '1001', '1400', '1', '1'],
      ['chr1', '1000', '1500', '1001+', '1', '+', '1001', '1500', '1', '1'],
      ['chr1', '1000', '1600', '1001+', '2', '+', '1001', '1600', '2', '1'],
      ['chr1', '1002', '1700', '1003+', '1', '+', '1003', '1700', '1', '1'],
      ['chr1', '9000', '9600', '9001+', '1', '+', '9001', '9600', '1', '1'],
      ['chr1', '4400', '5000', '5000-', '6', '-', '5000', '4401', '6', '1'],
    ]);

    const summary = JSON.parse(read('bed2peak/summary.json'));
    expect(summary.r1_records).toBe(pairs.length);
    expect(summary.attrition.map((a: { removed: number }) => a.removed)).toEqual([
      0, 0, 0, 0, 0, 1, 0, 1,
    ]);
    expect(summary.vector_sites).toBe(1);
    expect(summary.per_d.map((p: { kept_sites: number }) => p.kept_sites)).toEqual([2, 2, 2, 2]);
    expect(
      summary.per_d.map((p: { removed_by_keep_rule: number }) => p.removed_by_keep_rule),
    ).toEqual([2, 2, 1, 1]);
    expect(summary.region_distribution).toEqual({ promoter: 1, downstream: 1 });
    expect(summary.clone_statistics.fragments.sites).toBe(2);
    expect(summary.clone_statistics.umis.sites).toBe(2);
    expect(summary.top_clones).toHaveLength(2);
    for (const f of summary.files) expect(fs.existsSync(path.join(out, f))).toBe(true);
    expect(summary.files).toEqual(
      expect.arrayContaining([
        'bam2bed/fragments.bed',
        'bed2peak/sites.tsv',
        'bed2peak/summary.json',
      ]),
    );
  });

  it('exits 1 naming a bad input, 2 on a usage error', async () => {
    const bad = path.join(dir, 'bad.bam');
    fs.writeFileSync(bad, 'x');
    const r = await cli(['--bam', bad, '--out-dir', path.join(dir, 'o2')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${bad}: not a BAM file`);
    expect(() => parseSiteCliArgs(['--bam', 'x'])).toThrow('missing --out-dir');
    expect(() => parseSiteCliArgs(['--bam', 'x', '--out-dir', 'o', '--min-mapq', '-1'])).toThrow(
      /non-negative/,
    );
    expect(() => parseSiteCliArgs(['--bam', 'x', '--out-dir', 'o', '--bogus', '1'])).toThrow(
      'unknown argument --bogus',
    );
    expect(
      parseSiteCliArgs([
        '--bam',
        'x',
        '--out-dir',
        'o',
        '--vector-contig',
        'v1',
        '--vector-contig',
        'v2',
        '--umi',
      ]),
    ).toEqual({
      bam: 'x',
      outDir: 'o',
      vectorContigs: ['v1', 'v2'],
      umi: true,
    });
  });
});
