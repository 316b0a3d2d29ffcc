import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { GeneIndex, readGenes } from './gene-annotation';

const BOUNDS = { promoterLeft: 100, promoterRight: 50, enhancerLeft: 1000 };

function gtf(
  chrom: string,
  type: string,
  start: number,
  end: number,
  strand: string,
  attrs: string,
): string {
  return [chrom, 'test', type, start, end, '.', strand, '.', attrs].join('\t');
}

const GTF = [
  '#!genome-build test',
  gtf('chr1', 'gene', 10001, 20000, '+', 'gene_id "E1"; gene_name "G1";'),
  gtf('chr1', 'transcript', 10001, 20000, '+', 'gene_id "E1"; transcript_id "T1"; gene_name "G1";'),
  gtf('chr1', 'gene', 30001, 40000, '-', 'gene_id "E2"; gene_name "G2";'),
  gtf('chr1', 'gene', 60001, 61000, '+', 'gene_id "E3"; gene_name "G3";'),
  gtf('chr1', 'gene', 58001, 59001, '-', 'gene_id "E4"; gene_name "G4";'),
  gtf('chr1', 'gene', 80001, 80500, '+', 'gene_id "E5"; gene_name "Zeta";'),
  gtf('chr1', 'gene', 81001, 82000, '+', 'gene_id "E6";'),
].join('\n');

describe('gene annotation', () => {
  let dir: string;
  let index: GeneIndex;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sites-genes-'));
    fs.writeFileSync(path.join(dir, 'genes.gtf'), GTF + '\n');
    index = new GeneIndex(await readGenes(path.join(dir, 'genes.gtf')));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  // [position, gene, signed distance, region], all computed by hand
  it.each([
    [10001, 'G1', 0, 'promoter'],
    [9901, 'G1', -100, 'promoter'], // -promoter_left is inside the promoter
    [9900, 'G1', -101, 'enhancer'],
    [10050, 'G1', 49, 'promoter'],
    [10051, 'G1', 50, 'inside'], // promoter_right is excluded
    [9001, 'G1', -1000, 'enhancer'],
    [9000, 'G1', -1001, 'upstream'],
    [20000, 'G1', 9999, 'inside'],
    [25000, 'G1', 14999, 'downstream'],
    [40100, 'G2', -100, 'promoter'], // - gene: distance = TSS - position
    [40101, 'G2', -101, 'enhancer'],
    [39951, 'G2', 49, 'promoter'],
    [39950, 'G2', 50, 'inside'],
    [41001, 'G2', -1001, 'upstream'],
    [59501, 'G3,G4', -500, 'enhancer'], // tie, same sign
    [80501, 'E6,Zeta', -500, 'enhancer'], // tie of signs: the first by name (E6, no gene_name) wins
  ])('position %d → %s, %d, %s', (position, gene, distance, region) => {
    expect(index.annotate('chr1', position, BOUNDS)).toEqual({
      gene,
      tss_distance: distance,
      gene_region: region,
    });
  });

  it('gives nothing on a contig without genes', () => {
    expect(index.annotate('chr9', 100, BOUNDS)).toEqual({
      gene: '',
      tss_distance: null,
      gene_region: '',
    });
  });

  it('reads gzip GFF3, and derives genes from mRNAs when there are no gene lines', async () => {
    const gff = [
      '##gff-version 3',
      ['chr2', 'x', 'mRNA', 101, 500, '.', '-', '.', 'ID=t1;Parent=gene:A;Name=A-201'].join('\t'),
      ['chr2', 'x', 'mRNA', 201, 900, '.', '-', '.', 'ID=t2;Parent=gene:A;Name=A-202'].join('\t'),
      ['chr2', 'x', 'exon', 101, 200, '.', '-', '.', 'Parent=t1'].join('\t'),
    ].join('\n');
    const file = path.join(dir, 'genes.gff3.gz');
    fs.writeFileSync(file, zlib.gzipSync(gff));
    const genes = await readGenes(file);
    expect(genes).toEqual([{ chrom: 'chr2', name: 'gene:A', strand: '-', start: 101, end: 900 }]);
    const gffGenes = path.join(dir, 'genes.gff3');
    fs.writeFileSync(
      gffGenes,
      ['chr3', 'x', 'gene', 5, 50, '.', '+', '.', 'ID=gene:B;Name=BRCA%2C2'].join('\t') + '\n',
    );
    expect(await readGenes(gffGenes)).toEqual([
      { chrom: 'chr3', name: 'BRCA,2', strand: '+', start: 5, end: 50 },
    ]);
  });

  it('names the file and line of a malformed record', async () => {
    const file = path.join(dir, 'bad.gtf');
    fs.writeFileSync(file, GTF + '\n' + gtf('chr1', 'gene', 500, 100, '+', 'gene_id "X";') + '\n');
    await expect(readGenes(file)).rejects.toThrow(/bad\.gtf:9: bad start\/end/);
  });
});
