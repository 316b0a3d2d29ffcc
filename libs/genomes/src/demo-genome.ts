// The demo genome: a small simulated reference that lets a new user run the whole pipeline
// offline in minutes, built from the project's read simulator so that simulated reads map to it.
//
// Three random chromosomes (300, 200 and 100 kb by default), a `vector` contig, and a GTF with
// about 30 genes per Mb on both strands. Genes sit one per equal slot of their chromosome, so they
// never overlap and always lie inside it; each has one transcript of 1-6 exons separated by
// introns. Coordinates are 1-based and inclusive, exons are numbered and listed in transcript
// order (as in GENCODE). The vector stands for an integrated provirus: 5' LTR, internal region,
// 3' LTR, each LTR ending with the default LTR primer (r1_seq) and the remaining LTR bases
// (TAGCA) - so reads that run from the 5' LTR into the vector body map to the vector contig.
// Everything is drawn from one seed, a separate random stream per part (chromosomes, genes,
// vector), so changing the gene density does not change the chromosome sequences. Files are
// written under a temporary name and renamed, so a file that exists is complete.

import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  Contig,
  ContigSpec,
  createRng,
  DEFAULT_LTR_REMAINDER,
  DEFAULT_R1_SEQ,
  randomBases,
  Rng,
  Seed,
  simulateGenome,
  Strand,
  writeFasta,
} from '@qslam/fastq';

export interface DemoGenomeOptions {
  seed?: Seed;
  chromosomes?: ContigSpec[];
  genesPerMb?: number;
  vectorName?: string;
  /** Length of the vector contig, both LTRs included. */
  vectorLength?: number;
  /** The LTR end the reads start with: r1_seq followed by the remaining LTR bases. */
  ltrEnd?: string;
}

export const DEMO_GENOME_DEFAULTS = {
  seed: 1,
  chromosomes: [
    { name: 'chr1', length: 300_000 },
    { name: 'chr2', length: 200_000 },
    { name: 'chr3', length: 100_000 },
  ],
  genesPerMb: 30,
  vectorName: 'vector',
  vectorLength: 4000,
  ltrEnd: DEFAULT_R1_SEQ + DEFAULT_LTR_REMAINDER,
} as const;

/** Length of each LTR copy in the vector (U3 and R stand-ins plus the LTR end). */
const LTR_LENGTH = 600;
const MIN_SEGMENT = 50;
const MAX_GENE_LENGTH = 30_000;

export interface DemoGene {
  chrom: string;
  geneId: string;
  geneName: string;
  transcriptId: string;
  strand: Strand;
  /** 1-based inclusive. */
  start: number;
  end: number;
  /** 1-based inclusive exon intervals in transcript order (exon 1 first). */
  exons: [number, number][];
}

export interface DemoGenome {
  /** Chromosomes, then the vector contig. */
  contigs: Contig[];
  genes: DemoGene[];
  vectorContigs: string[];
}

export interface DemoGenomeFiles {
  fasta: string;
  gtf: string;
  vectorContigs: string;
}

/** Segment lengths summing to `total`, each >= MIN_SEGMENT, the rest shared by weight. */
function segmentLengths(total: number, weights: number[]): number[] {
  const spare = total - MIN_SEGMENT * weights.length;
  const sum = weights.reduce((a, b) => a + b, 0);
  const lengths = weights.map((w) => MIN_SEGMENT + Math.floor((spare * w) / sum));
  lengths[lengths.length - 1] += total - lengths.reduce((a, b) => a + b, 0);
  return lengths;
}

/** Exon intervals of a gene spanning [start, end], in genome order. */
function drawExons(rng: Rng, start: number, end: number): [number, number][] {
  const length = end - start + 1;
  const maxExons = Math.max(1, Math.min(6, Math.floor((length / MIN_SEGMENT + 1) / 2)));
  const exons = rng.int(1, maxExons);
  // Segments alternate exon, intron, exon, ...; introns take most of the length, as in real genes.
  const weights = Array.from({ length: 2 * exons - 1 }, (_, i) =>
    i % 2 === 0 ? 0.1 + 0.2 * rng.next() : 0.5 + rng.next(),
  );
  const out: [number, number][] = [];
  let at = start;
  segmentLengths(length, weights).forEach((segment, i) => {
    if (i % 2 === 0) out.push([at, at + segment - 1]);
    at += segment;
  });
  return out;
}

function genesOn(rng: Rng, chrom: ContigSpec, genesPerMb: number, first: number): DemoGene[] {
  const count = genesPerMb > 0 ? Math.max(1, Math.round((chrom.length / 1e6) * genesPerMb)) : 0;
  if (count === 0) return [];
  const slot = Math.floor(chrom.length / count);
  const maxLength = Math.min(MAX_GENE_LENGTH, Math.floor(slot * 0.7));
  if (maxLength < MIN_SEGMENT) {
    throw new RangeError(`${chrom.name}: ${chrom.length} bp is too short for ${count} genes`);
  }
  return Array.from({ length: count }, (_, i) => {
    const length = rng.int(Math.min(2000, maxLength), maxLength);
    const start = i * slot + 1 + rng.int(0, slot - length);
    const end = start + length - 1;
    const strand: Strand = rng.bool() ? '+' : '-';
    const exons = drawExons(rng, start, end);
    const number = String(first + i).padStart(5, '0');
    return {
      chrom: chrom.name,
      geneId: `DEMOG${number}`,
      geneName: `DEMO${first + i}`,
      transcriptId: `DEMOT${number}`,
      strand,
      start,
      end,
      exons: strand === '+' ? exons : exons.reverse(),
    };
  });
}

function vectorContig(rng: Rng, name: string, length: number, ltrEnd: string): Contig {
  const ltr = randomBases(rng, LTR_LENGTH - ltrEnd.length) + ltrEnd;
  if (length < 2 * LTR_LENGTH + MIN_SEGMENT) {
    throw new RangeError(`the vector must be at least ${2 * LTR_LENGTH + MIN_SEGMENT} bp`);
  }
  return { name, seq: ltr + randomBases(rng, length - 2 * LTR_LENGTH) + ltr };
}

/** Builds the demo genome in memory (deterministic per seed). */
export function buildDemoGenome(options: DemoGenomeOptions = {}): DemoGenome {
  const d = DEMO_GENOME_DEFAULTS;
  const o = {
    seed: options.seed ?? d.seed,
    chromosomes: options.chromosomes ?? d.chromosomes,
    genesPerMb: options.genesPerMb ?? d.genesPerMb,
    vectorName: options.vectorName ?? d.vectorName,
    vectorLength: options.vectorLength ?? d.vectorLength,
    ltrEnd: options.ltrEnd ?? d.ltrEnd,
  };
  if (!(o.genesPerMb >= 0)) throw new RangeError('genesPerMb must be >= 0');
  if (o.chromosomes.some((c) => c.name === o.vectorName)) {
    throw new RangeError(`a chromosome is named like the vector contig '${o.vectorName}'`);
  }
  const root = createRng(o.seed);
  const chromosomes = simulateGenome(root.fork('chromosomes'), { contigs: [...o.chromosomes] });
  const geneRng = root.fork('genes');
  const genes: DemoGene[] = [];
  for (const chrom of o.chromosomes) {
    genes.push(...genesOn(geneRng, chrom, o.genesPerMb, genes.length + 1));
  }
  const vector = vectorContig(root.fork('vector'), o.vectorName, o.vectorLength, o.ltrEnd);
  return { contigs: [...chromosomes, vector], genes, vectorContigs: [vector.name] };
}

function attributes(pairs: [string, string][]): string {
  return pairs.map(([key, value]) => `${key} "${value}";`).join(' ');
}

/** The genes as GTF text (gene, transcript and exon lines; 9 tab-separated columns). */
export function formatGtf(genes: DemoGene[], build = 'qslam-demo'): string {
  const lines = [`#!genome-build ${build}`];
  const row = (g: DemoGene, feature: string, start: number, end: number, attrs: string) =>
    [g.chrom, 'qslam_demo', feature, start, end, '.', g.strand, '.', attrs].join('\t');
  for (const g of genes) {
    const gene: [string, string][] = [
      ['gene_id', g.geneId],
      ['gene_name', g.geneName],
    ];
    const transcript: [string, string][] = [...gene, ['transcript_id', g.transcriptId]];
    lines.push(
      row(g, 'gene', g.start, g.end, attributes([...gene, ['gene_biotype', 'protein_coding']])),
    );
    lines.push(row(g, 'transcript', g.start, g.end, attributes(transcript)));
    g.exons.forEach(([start, end], i) => {
      lines.push(
        row(g, 'exon', start, end, attributes([...transcript, ['exon_number', `${i + 1}`]])),
      );
    });
  }
  return lines.join('\n') + '\n';
}

async function writeAtomically(path: string, write: (tmp: string) => Promise<void>): Promise<void> {
  const tmp = `${path}.tmp`;
  await write(tmp);
  await rename(tmp, path);
}

/** Writes genome.fa, genes.gtf and vector_contigs.txt into `dir` (created). */
export async function writeDemoGenome(
  dir: string,
  options: DemoGenomeOptions = {},
): Promise<{ files: DemoGenomeFiles; genome: DemoGenome }> {
  const genome = buildDemoGenome(options);
  await mkdir(dir, { recursive: true });
  const files: DemoGenomeFiles = {
    fasta: join(dir, 'genome.fa'),
    gtf: join(dir, 'genes.gtf'),
    vectorContigs: join(dir, 'vector_contigs.txt'),
  };
  const build = `qslam-demo-seed-${String(options.seed ?? DEMO_GENOME_DEFAULTS.seed)}`;
  await writeAtomically(files.fasta, (tmp) => writeFasta(tmp, genome.contigs));
  await writeAtomically(files.gtf, (tmp) => writeFile(tmp, formatGtf(genome.genes, build)));
  await writeAtomically(files.vectorContigs, (tmp) =>
    writeFile(tmp, genome.vectorContigs.join('\n') + '\n'),
  );
  return { files, genome };
}
