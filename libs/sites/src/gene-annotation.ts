// Gene annotation of sites from a GTF or GFF3 file (plain or gzip): nearest gene by TSS, signed
// TSS distance and gene region (DOMAIN.md).
//
// Genes are the `gene` lines; a file without any is read from its transcripts (`transcript` /
// `mRNA`, grouped by gene id or Parent), and failing those from its exons. Name = gene_name / Name,
// else gene_id / ID. TSS = start for `+` genes, end for `-` genes. Per contig the TSSs are sorted
// (nearest by binary search) and the gene bodies sorted by start with a running maximum of their
// ends (is a position inside any gene: one binary search). Signed distance = position − TSS for
// `+` genes, TSS − position for `-` genes; genes at the same |distance| are all named (sorted,
// comma-joined) and the first of them by name gives the sign. A site on a contig without genes
// gets gene '', distance null and region '' (nothing to be near to).

import * as fs from 'node:fs';
import * as readline from 'node:readline';
import * as zlib from 'node:zlib';
import { SiteInputError } from './errors';
import { GeneRegion, Strand } from './types';

export interface Gene {
  chrom: string;
  name: string;
  strand: Strand;
  /** 1-based inclusive. */
  start: number;
  end: number;
}

export interface RegionBounds {
  promoterLeft: number;
  promoterRight: number;
  enhancerLeft: number;
}

export interface SiteAnnotation {
  gene: string;
  tss_distance: number | null;
  gene_region: GeneRegion;
}

const NO_ANNOTATION: SiteAnnotation = { gene: '', tss_distance: null, gene_region: '' };

interface ContigIndex {
  tss: number[];
  /** Genes at each TSS. */
  tssGenes: Gene[][];
  bodyStarts: number[];
  /** Running maximum of gene ends, in body-start order. */
  bodyMaxEnd: number[];
}

/** Gene index of a set of genes. */
export class GeneIndex {
  private readonly contigs = new Map<string, ContigIndex>();

  constructor(genes: readonly Gene[]) {
    const byChrom = new Map<string, Gene[]>();
    for (const g of genes) {
      const list = byChrom.get(g.chrom) ?? [];
      list.push(g);
      byChrom.set(g.chrom, list);
    }
    for (const [chrom, list] of byChrom) this.contigs.set(chrom, buildContig(list));
  }

  annotate(chrom: string, position: number, bounds: RegionBounds): SiteAnnotation {
    const c = this.contigs.get(chrom);
    if (c === undefined) return NO_ANNOTATION;
    const nearest = nearestGenes(c, position);
    const names = [...new Set(nearest.map((g) => g.name))].sort();
    const first = [...nearest].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))[0];
    const tss = tssOf(first);
    const distance = first.strand === '+' ? position - tss : tss - position;
    return {
      gene: names.join(','),
      tss_distance: distance,
      gene_region: regionOf(distance, insideGene(c, position), bounds),
    };
  }
}

function tssOf(g: Gene): number {
  return g.strand === '+' ? g.start : g.end;
}

function buildContig(genes: Gene[]): ContigIndex {
  const byTss = [...genes].sort((a, b) => tssOf(a) - tssOf(b));
  const tss: number[] = [];
  const tssGenes: Gene[][] = [];
  for (const g of byTss) {
    const t = tssOf(g);
    if (tss.length > 0 && tss[tss.length - 1] === t) tssGenes[tssGenes.length - 1].push(g);
    else {
      tss.push(t);
      tssGenes.push([g]);
    }
  }
  const byStart = [...genes].sort((a, b) => a.start - b.start);
  const bodyStarts = byStart.map((g) => g.start);
  const bodyMaxEnd: number[] = [];
  let max = -Infinity;
  for (const g of byStart) {
    max = Math.max(max, g.end);
    bodyMaxEnd.push(max);
  }
  return { tss, tssGenes, bodyStarts, bodyMaxEnd };
}

/** Index of the last element ≤ x in a sorted array, −1 if none. */
function lastAtMost(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

function nearestGenes(c: ContigIndex, position: number): Gene[] {
  const left = lastAtMost(c.tss, position);
  const right = left + 1;
  const dl = left >= 0 ? position - c.tss[left] : Infinity;
  const dr = right < c.tss.length ? c.tss[right] - position : Infinity;
  if (dl < dr) return c.tssGenes[left];
  if (dr < dl) return c.tssGenes[right];
  return [...c.tssGenes[left], ...c.tssGenes[right]];
}

function insideGene(c: ContigIndex, position: number): boolean {
  const i = lastAtMost(c.bodyStarts, position);
  return i >= 0 && c.bodyMaxEnd[i] >= position;
}

/** Gene region of a signed TSS distance (DOMAIN.md). */
export function regionOf(distance: number, inside: boolean, b: RegionBounds): GeneRegion {
  if (-b.promoterLeft <= distance && distance < b.promoterRight) return 'promoter';
  if (-b.enhancerLeft <= distance && distance < -b.promoterLeft) return 'enhancer';
  if (inside) return 'inside';
  return distance < 0 ? 'upstream' : 'downstream';
}

interface RawFeature {
  chrom: string;
  type: string;
  start: number;
  end: number;
  strand: Strand;
  attrs: Map<string, string>;
}

const GTF_ATTR = /\s*([^\s;]+)\s+"([^"]*)"\s*;?/g;

function parseAttributes(text: string): Map<string, string> {
  const attrs = new Map<string, string>();
  if (text.includes('"')) {
    for (const m of text.matchAll(GTF_ATTR)) if (!attrs.has(m[1])) attrs.set(m[1], m[2]);
    return attrs;
  }
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) attrs.set(part.slice(0, eq).trim(), decodeURIComponent(part.slice(eq + 1).trim()));
    else {
      // GTF without quotes: `gene_id X`
      const m = /^\s*(\S+)\s+(\S+)\s*$/.exec(part);
      if (m) attrs.set(m[1], m[2]);
    }
  }
  return attrs;
}

function parseFeature(line: string, file: string, lineNo: number): RawFeature | null {
  const cols = line.split('\t');
  if (cols.length < 9)
    throw new SiteInputError(
      file,
      `expected 9 tab-separated columns, found ${cols.length}`,
      lineNo,
    );
  const type = cols[2];
  if (type !== 'gene' && type !== 'transcript' && type !== 'mRNA' && type !== 'exon') return null;
  const start = Number(cols[3]);
  const end = Number(cols[4]);
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 1 || end < start) {
    throw new SiteInputError(file, `bad start/end '${cols[3]}' '${cols[4]}'`, lineNo);
  }
  const strand = cols[6];
  if (strand !== '+' && strand !== '-') return null; // unstranded features have no TSS
  return { chrom: cols[0], type, start, end, strand, attrs: parseAttributes(cols[8]) };
}

/** Reads the genes of a GTF / GFF3 file (gzip detected from the content). */
export async function readGenes(file: string): Promise<Gene[]> {
  let stream: NodeJS.ReadableStream;
  try {
    const fd = await fs.promises.open(file, 'r');
    const head = Buffer.alloc(2);
    await fd.read(head, 0, 2, 0);
    await fd.close();
    const raw = fs.createReadStream(file);
    stream = head[0] === 0x1f && head[1] === 0x8b ? raw.pipe(zlib.createGunzip()) : raw;
  } catch (err) {
    throw new SiteInputError(file, `cannot read: ${(err as Error).message}`);
  }
  const genes: Gene[] = [];
  const groups = { transcript: new Map<string, Gene>(), exon: new Map<string, Gene>() };
  let lineNo = 0;
  try {
    for await (const line of readline.createInterface({ input: stream, crlfDelay: Infinity })) {
      lineNo++;
      if (line === '' || line.startsWith('#')) {
        if (line.startsWith('##FASTA')) break;
        continue;
      }
      const f = parseFeature(line, file, lineNo);
      if (f === null) continue;
      if (f.type === 'gene')
        genes.push(geneOf(f, f.attrs.get('gene_id') ?? f.attrs.get('ID') ?? ''));
      else extendGroup(groups[f.type === 'exon' ? 'exon' : 'transcript'], f);
    }
  } catch (err) {
    if (err instanceof SiteInputError) throw err;
    throw new SiteInputError(file, `cannot read: ${(err as Error).message}`, lineNo || undefined);
  }
  if (genes.length > 0) return genes;
  if (groups.transcript.size > 0) return [...groups.transcript.values()];
  return [...groups.exon.values()];
}

function geneOf(f: RawFeature, id: string): Gene {
  const name =
    f.attrs.get('gene_name') ?? f.attrs.get('Name') ?? (id || f.attrs.get('gene_id') || '?');
  return { chrom: f.chrom, name, strand: f.strand, start: f.start, end: f.end };
}

/** Grows the gene span of a transcript / exon's gene (by gene_id, or Parent in GFF3). */
function extendGroup(groups: Map<string, Gene>, f: RawFeature): void {
  const id = f.attrs.get('gene_id') ?? f.attrs.get('Parent') ?? f.attrs.get('ID');
  if (id === undefined) return;
  const key = `${f.chrom}\t${f.strand}\t${id}`;
  const g = groups.get(key);
  // A transcript's own Name is not its gene's: name the gene by gene_name, else its id.
  if (g === undefined) {
    groups.set(key, {
      chrom: f.chrom,
      name: f.attrs.get('gene_name') ?? id,
      strand: f.strand,
      start: f.start,
      end: f.end,
    });
  } else {
    g.start = Math.min(g.start, f.start);
    g.end = Math.max(g.end, f.end);
  }
}
