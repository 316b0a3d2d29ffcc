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
// Segmental duplications (4 by default, 2-5 kb each) copy a chromosome segment exactly over
// another place, so that reads from them map equally well to both copies (MAPQ 0): the
// simulator places multimapping sites there, and duplications.bed lists every copy.
// Everything is drawn from one seed, a separate random stream per part (chromosomes, genes,
// vector, duplications), so changing the gene density does not change the chromosome
// sequences. Files are written under a temporary name and renamed, so a file that exists is
// complete.

import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  Contig,
  ContigSpec,
  createRng,
  DEFAULT_LTR_REMAINDER,
  DEFAULT_R1_SEQ,
  randomBases,
  Region,
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
  /** Segmental duplications to make (fewer when the chromosomes are too small). */
  duplications?: number;
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
  duplications: 4,
} as const;

/** Length range of a segmental duplication, and the gap kept between any two copies. */
export const DUPLICATION_LENGTH = { min: 2000, max: 5000, gap: 1000 } as const;

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

/** An exact copy of `source` over `copy` (1-based inclusive, same length). */
export interface DemoDuplication {
  name: string;
  source: Region;
  copy: Region;
}

export interface DemoGenome {
  /** Chromosomes, then the vector contig. */
  contigs: Contig[];
  genes: DemoGene[];
  vectorContigs: string[];
  duplications: DemoDuplication[];
}

export interface DemoGenomeFiles {
  fasta: string;
  gtf: string;
  vectorContigs: string;
  /** BED (0-based half-open) of every copy of every duplication; name = the duplication. */
  duplications: string;
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

function overlaps(a: Region, b: Region, gap: number): boolean {
  return a.chrom === b.chrom && a.start <= b.end + gap && b.start <= a.end + gap;
}

function drawRegion(rng: Rng, chromosomes: Contig[], length: number): Region | undefined {
  const chrom = chromosomes[rng.int(0, chromosomes.length - 1)];
  if (chrom.seq.length < length) return undefined;
  const start = rng.int(1, chrom.seq.length - length + 1);
  return { chrom: chrom.name, start, end: start + length - 1 };
}

/** Copies segments over other places of the chromosomes (in place); returns what was copied. */
function duplicateSegments(rng: Rng, chromosomes: Contig[], count: number): DemoDuplication[] {
  const out: DemoDuplication[] = [];
  const taken: Region[] = [];
  const free = (r: Region | undefined): r is Region =>
    r !== undefined && !taken.some((t) => overlaps(t, r, DUPLICATION_LENGTH.gap));
  for (let attempt = 0; out.length < count && attempt < 100 * count; attempt++) {
    const length = rng.int(DUPLICATION_LENGTH.min, DUPLICATION_LENGTH.max);
    const source = drawRegion(rng, chromosomes, length);
    const copy = drawRegion(rng, chromosomes, length);
    if (!free(source) || !free(copy) || overlaps(source, copy, DUPLICATION_LENGTH.gap)) continue;
    const from = chromosomes.find((c) => c.name === source.chrom) as Contig;
    const to = chromosomes.find((c) => c.name === copy.chrom) as Contig;
    const segment = from.seq.slice(source.start - 1, source.end);
    to.seq = to.seq.slice(0, copy.start - 1) + segment + to.seq.slice(copy.end);
    taken.push(source, copy);
    out.push({ name: `dup${out.length + 1}`, source, copy });
  }
  return out;
}

/** The duplications as BED lines (both copies of each). */
export function formatDuplicationsBed(duplications: DemoDuplication[]): string {
  return duplications
    .flatMap((d) =>
      [d.source, d.copy].map((r) => `${r.chrom}\t${r.start - 1}\t${r.end}\t${d.name}\n`),
    )
    .join('');
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
    duplications: options.duplications ?? d.duplications,
  };
  if (!(o.genesPerMb >= 0)) throw new RangeError('genesPerMb must be >= 0');
  if (o.chromosomes.some((c) => c.name === o.vectorName)) {
    throw new RangeError(`a chromosome is named like the vector contig '${o.vectorName}'`);
  }
  const root = createRng(o.seed);
  const chromosomes = simulateGenome(root.fork('chromosomes'), { contigs: [...o.chromosomes] });
  const duplications = duplicateSegments(root.fork('duplications'), chromosomes, o.duplications);
  const geneRng = root.fork('genes');
  const genes: DemoGene[] = [];
  for (const chrom of o.chromosomes) {
    genes.push(...genesOn(geneRng, chrom, o.genesPerMb, genes.length + 1));
  }
  const vector = vectorContig(root.fork('vector'), o.vectorName, o.vectorLength, o.ltrEnd);
  return {
    contigs: [...chromosomes, vector],
    genes,
    vectorContigs: [vector.name],
    duplications,
  };
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

/** Writes genome.fa, genes.gtf, vector_contigs.txt and duplications.bed into `dir` (created). */
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
    duplications: join(dir, 'duplications.bed'),
  };
  const build = `qslam-demo-seed-${String(options.seed ?? DEMO_GENOME_DEFAULTS.seed)}`;
  await writeAtomically(files.fasta, (tmp) => writeFasta(tmp, genome.contigs));
  await writeAtomically(files.gtf, (tmp) => writeFile(tmp, formatGtf(genome.genes, build)));
  await writeAtomically(files.vectorContigs, (tmp) =>
    writeFile(tmp, genome.vectorContigs.join('\n') + '\n'),
  );
  await writeAtomically(files.duplications, (tmp) =>
    writeFile(tmp, formatDuplicationsBed(genome.duplications)),
  );
  return { files, genome };
}
