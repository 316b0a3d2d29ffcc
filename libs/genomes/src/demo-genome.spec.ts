// The demo genome: FASTA and GTF well-formed and consistent, deterministic per seed, and usable
// by the real tools: `bwa index`, `samtools faidx`, and `bwa mem` mapping simulated reads.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { simulateLibrary, writeFastqPairGz } from '@qslam/fastq';
import {
  buildDemoGenome,
  DEMO_GENOME_DEFAULTS,
  DemoGenome,
  formatGtf,
  writeDemoGenome,
} from './demo-genome';
import { parseDemoGenomeArgs } from './demo-genome-cli';
import { findIndexFiles } from './index-files';

const TOOL_TIMEOUT = 120_000;
let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'demo-genome-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(argv: string[], cwd = dir) {
  const result = spawnSync(argv[0], argv.slice(1), {
    cwd,
    encoding: 'utf8',
    timeout: TOOL_TIMEOUT,
    maxBuffer: 64 << 20,
  });
  if (result.status !== 0) throw new Error(`${argv.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

function parseFasta(text: string): Map<string, string> {
  const contigs = new Map<string, string>();
  let name = '';
  for (const line of text.split('\n')) {
    if (line.startsWith('>')) {
      name = line.slice(1);
      expect(contigs.has(name)).toBe(false);
      contigs.set(name, '');
    } else if (line !== '') {
      expect(line).toMatch(/^[ACGT]{1,60}$/);
      contigs.set(name, contigs.get(name) + line);
    }
  }
  return contigs;
}

/** Checks every GTF line and returns the gene lines' fields. */
function checkGtf(text: string, lengths: Map<string, number>): string[][] {
  const lines = text.split('\n');
  expect(lines.pop()).toBe('');
  const genes: string[][] = [];
  for (const line of lines.filter((l) => !l.startsWith('#'))) {
    const f = line.split('\t');
    expect(f).toHaveLength(9);
    const [chrom, , feature, start, end, score, strand, frame, attrs] = f;
    expect(['gene', 'transcript', 'exon']).toContain(feature);
    expect(start).toMatch(/^[1-9]\d*$/);
    expect(end).toMatch(/^[1-9]\d*$/);
    expect(Number(start)).toBeLessThanOrEqual(Number(end));
    expect(Number(end)).toBeLessThanOrEqual(lengths.get(chrom) ?? 0);
    expect([score, frame]).toEqual(['.', '.']);
    expect(['+', '-']).toContain(strand);
    expect(attrs).toMatch(/^(\w+ "[^"]*";)( \w+ "[^"]*";)*$/);
    expect(attrs).toMatch(/gene_id "DEMOG\d{5}"; gene_name "DEMO\d+";/);
    if (feature !== 'gene') expect(attrs).toMatch(/transcript_id "DEMOT\d{5}"/);
    if (feature === 'gene') genes.push(f);
  }
  return genes;
}

describe('buildDemoGenome', () => {
  const genome = buildDemoGenome();

  it('has the default chromosomes and a vector contig carrying the LTR end', () => {
    expect(genome.contigs.map((c) => [c.name, c.seq.length])).toEqual([
      ['chr1', 300_000],
      ['chr2', 200_000],
      ['chr3', 100_000],
      ['vector', 4000],
    ]);
    expect(genome.vectorContigs).toEqual(['vector']);
    const ltr = 'ATCCCTCAGACCCTTTTAGTCAGTGTGGAAAATCTCTAGCA';
    expect(DEMO_GENOME_DEFAULTS.ltrEnd).toBe(ltr);
    const vector = genome.contigs[3].seq;
    expect(vector.endsWith(ltr)).toBe(true);
    expect(vector.split(ltr)).toHaveLength(3);
    expect(vector.indexOf(ltr)).toBe(600 - ltr.length);
  });

  it('copies 2-5 kb segments exactly to another place, none overlapping', () => {
    expect(genome.duplications).toHaveLength(DEMO_GENOME_DEFAULTS.duplications);
    const seq = (r: { chrom: string; start: number; end: number }) =>
      genome.contigs.find((c) => c.name === r.chrom)!.seq.slice(r.start - 1, r.end);
    const regions = genome.duplications.flatMap((d) => [d.source, d.copy]);
    for (const d of genome.duplications) {
      const length = d.source.end - d.source.start + 1;
      expect(length).toBeGreaterThanOrEqual(2000);
      expect(length).toBeLessThanOrEqual(5000);
      expect(d.copy.end - d.copy.start + 1).toBe(length);
      expect(seq(d.copy)).toBe(seq(d.source));
    }
    for (const a of regions) {
      for (const b of regions) {
        if (a !== b && a.chrom === b.chrom) expect(a.end < b.start || b.end < a.start).toBe(true);
      }
    }
    // Chromosomes too small for any copy: none, and no error.
    const tiny = buildDemoGenome({ chromosomes: [{ name: 'c1', length: 3000 }], genesPerMb: 0 });
    expect(tiny.duplications).toEqual([]);
  });

  it('places ~30 genes per Mb, on both strands, inside their chromosome, not overlapping', () => {
    expect(genome.genes).toHaveLength(18);
    expect(new Set(genome.genes.map((g) => g.strand))).toEqual(new Set(['+', '-']));
    const lengths = new Map(genome.contigs.map((c) => [c.name, c.seq.length]));
    let previous = { chrom: '', end: 0 };
    for (const g of genome.genes) {
      expect(g.start).toBeGreaterThanOrEqual(1);
      expect(g.end).toBeLessThanOrEqual(lengths.get(g.chrom) ?? 0);
      if (g.chrom === previous.chrom) expect(g.start).toBeGreaterThan(previous.end);
      previous = g;
      const ordered = g.strand === '+' ? g.exons : [...g.exons].reverse();
      expect(ordered[0][0]).toBe(g.start);
      expect(ordered.at(-1)?.[1]).toBe(g.end);
      ordered.forEach(([s, e], i) => {
        expect(e - s + 1).toBeGreaterThanOrEqual(50);
        if (i > 0) expect(s - ordered[i - 1][1] - 1).toBeGreaterThanOrEqual(50);
      });
    }
  });

  it('is deterministic per seed, and the gene density does not change the sequences', () => {
    const same = buildDemoGenome({ seed: 1 });
    expect(same).toEqual(genome);
    const other = buildDemoGenome({ seed: 2 });
    expect(other.contigs[0].seq).not.toBe(genome.contigs[0].seq);
    const sparse = buildDemoGenome({ genesPerMb: 10 });
    expect(sparse.contigs).toEqual(genome.contigs);
    expect(sparse.genes).toHaveLength(6);
  });

  it('takes chromosome sizes and refuses impossible options', () => {
    const small = buildDemoGenome({ chromosomes: [{ name: 'c1', length: 20_000 }] });
    expect(small.contigs.map((c) => c.name)).toEqual(['c1', 'vector']);
    expect(small.genes).toHaveLength(1);
    expect(() => buildDemoGenome({ chromosomes: [{ name: 'vector', length: 1000 }] })).toThrow(
      'named like the vector',
    );
    expect(() => buildDemoGenome({ chromosomes: [{ name: 'c', length: 60 }] })).toThrow(
      'too short',
    );
  });
});

describe('formatGtf', () => {
  it('writes gene, transcript and exon lines with numbered exons in transcript order', () => {
    const genome: DemoGenome = {
      contigs: [],
      vectorContigs: [],
      duplications: [],
      genes: [
        {
          chrom: 'chr1',
          geneId: 'DEMOG00001',
          geneName: 'DEMO1',
          transcriptId: 'DEMOT00001',
          strand: '-',
          start: 101,
          end: 900,
          exons: [
            [801, 900],
            [101, 300],
          ],
        },
      ],
    };
    const ids = 'gene_id "DEMOG00001"; gene_name "DEMO1"; transcript_id "DEMOT00001";';
    expect(formatGtf(genome.genes).split('\n')).toEqual([
      '#!genome-build qslam-demo',
      'chr1\tqslam_demo\tgene\t101\t900\t.\t-\t.\t' +
        'gene_id "DEMOG00001"; gene_name "DEMO1"; gene_biotype "protein_coding";',
      `chr1\tqslam_demo\ttranscript\t101\t900\t.\t-\t.\t${ids}`,
      `chr1\tqslam_demo\texon\t801\t900\t.\t-\t.\t${ids} exon_number "1";`,
      `chr1\tqslam_demo\texon\t101\t300\t.\t-\t.\t${ids} exon_number "2";`,
      '',
    ]);
  });
});

describe('writeDemoGenome with the real tools', () => {
  it('writes files that bwa index and samtools faidx accept, and reads map to it', async () => {
    const out = join(dir, 'demo');
    const { files, genome } = await writeDemoGenome(out, { seed: 7 });
    expect(readdirSync(out).sort()).toEqual([
      'duplications.bed',
      'genes.gtf',
      'genome.fa',
      'vector_contigs.txt',
    ]);
    const bed = readFileSync(files.duplications, 'utf8').trim().split('\n');
    expect(bed).toHaveLength(2 * genome.duplications.length);
    const [first] = genome.duplications;
    expect(bed[0]).toBe(
      `${first.source.chrom}\t${first.source.start - 1}\t${first.source.end}\tdup1`,
    );
    expect(readFileSync(files.vectorContigs, 'utf8')).toBe('vector\n');

    const fasta = parseFasta(readFileSync(files.fasta, 'latin1'));
    expect([...fasta.keys()]).toEqual(['chr1', 'chr2', 'chr3', 'vector']);
    expect(fasta.get('chr2')).toBe(genome.contigs[1].seq);
    const lengths = new Map([...fasta].map(([name, seq]) => [name, seq.length]));
    const genes = checkGtf(readFileSync(files.gtf, 'utf8'), lengths);
    expect(genes).toHaveLength(18);
    expect(new Set(genes.map((g) => g[6]))).toEqual(new Set(['+', '-']));
    expect(genes.some((g) => g[0] === 'vector')).toBe(false);

    run(['bwa', 'index', files.fasta]);
    run(['samtools', 'faidx', files.fasta]);
    const fai = readFileSync(`${files.fasta}.fai`, 'utf8').trim().split('\n');
    expect(fai.map((l) => l.split('\t').slice(0, 2).join(':'))).toEqual([
      'chr1:300000',
      'chr2:200000',
      'chr3:100000',
      'vector:4000',
    ]);
    expect(await findIndexFiles(out)).toEqual({
      kind: 'bwa',
      kinds: ['bwa'],
      prefix: files.fasta,
      fasta: files.fasta,
    });

    // A small simulated library from the chromosomes maps with bwa mem.
    const library = simulateLibrary({ seed: 7, genome: genome.contigs.slice(0, 3), pairs: 300 });
    const [r1, r2] = [join(dir, 'R1.fq.gz'), join(dir, 'R2.fq.gz')];
    await writeFastqPairGz(r1, r2, library.pairs);
    const sam = join(dir, 'out.sam');
    const alignments = run(['bwa', 'mem', '-t', '2', files.fasta, r1, r2]);
    writeFileSync(sam, alignments);
    const mappedPrimaryR1 = run(['samtools', 'view', '-c', '-F', '0x904', '-f', '0x40', sam]);
    expect(Number(mappedPrimaryR1)).toBeGreaterThanOrEqual(0.95 * 300);
  }, 180_000);
});

describe('demo-genome-cli', () => {
  it('parses the contract', () => {
    expect(parseDemoGenomeArgs(['--out', 'd'])).toEqual({ out: 'd', genome: {} });
    expect(
      parseDemoGenomeArgs([
        '--out',
        'd',
        '--seed',
        '9',
        '--sizes',
        '5000,3000',
        '--genes-per-mb',
        '0',
      ]),
    ).toEqual({
      out: 'd',
      genome: {
        seed: 9,
        chromosomes: [
          { name: 'chr1', length: 5000 },
          { name: 'chr2', length: 3000 },
        ],
        genesPerMb: 0,
      },
    });
    expect(parseDemoGenomeArgs(['--out', 'd', '--seed', 'lab']).genome.seed).toBe('lab');
    expect(() => parseDemoGenomeArgs(['--out', 'd', '--sizes', '10,-1'])).toThrow('--sizes');
    expect(() => parseDemoGenomeArgs(['--seed', '1'])).toThrow('--out is required');
  });

  it('writes the files from the command line, the same for the same seed', () => {
    const cli = join(__dirname, 'demo-genome-cli.ts');
    const node = [process.execPath, '-r', 'ts-node/register/transpile-only'];
    const args = [...node, '-r', 'tsconfig-paths/register', cli];
    const repo = resolve(__dirname, '../../..');
    const a = join(dir, 'cli-a');
    const b = join(dir, 'cli-b');
    const stdout = run([...args, '--out', a, '--seed', '5', '--sizes', '50000,30000'], repo);
    expect(stdout).toContain('demo-genome: 3 contigs (84000 bp), 3 genes');
    run([...args, '--out', b, '--seed', '5', '--sizes', '50000,30000'], repo);
    for (const file of ['genome.fa', 'genes.gtf', 'vector_contigs.txt', 'duplications.bed']) {
      expect(readFileSync(join(a, file)).equals(readFileSync(join(b, file)))).toBe(true);
    }
    const bad = spawnSync(args[0], [...args.slice(1), '--out', a, '--sizes', 'x'], { cwd: repo });
    expect(bad.status).toBe(2);
    expect(existsSync(join(a, 'genome.fa.tmp'))).toBe(false);
  }, 120_000);
});
