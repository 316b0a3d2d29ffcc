// What makes a directory a usable genome, checked by the last command of every build and
// install job before the genome may turn `ready`.
//
// The aligner index must be complete (index-files.ts: every file of its kind, non-empty). The
// contigs and their lengths are read from the index's `.ann` file, which BWA and bwa-mem2 both
// write (header `l_pac n_seqs seed`, then per contig a line `gi name [anno]` and a line
// `offset length n_ambs`), so they describe exactly what reads will be aligned to, with or
// without a FASTA. The annotation is the shallowest GTF/GFF3 file (gzip allowed). Vector
// contigs are, in order of preference: the list given (a build's `vector` upload), a
// `vector_contigs.txt` in the directory (the demo genome writes one), else a contig named
// `vector` (DOMAIN.md's default). The result is a manifest with paths relative to the directory.

import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { findIndexFiles, IndexKind, INDEX_SUFFIXES } from './index-files';

export interface ContigLength {
  name: string;
  length: number;
}

export interface GenomeManifest {
  index_kind: IndexKind;
  index_kinds: IndexKind[];
  index_prefix: string;
  fasta: string | null;
  annotation: string | null;
  vector_contigs: string[];
  contigs: ContigLength[];
  total_length: number;
  warnings: string[];
}

export interface VerifyOptions {
  vectorContigs?: string[];
  /** Whether the bwa-mem2 binary is installed (its index is used only then). */
  bwaMem2Available: boolean;
}

export const ANNOTATION_SUFFIXES = ['.gtf', '.gff', '.gff3', '.gtf.gz', '.gff.gz', '.gff3.gz'];
export const VECTOR_LIST_FILE = 'vector_contigs.txt';
export const DEFAULT_VECTOR_CONTIG = 'vector';

/** Contigs of a BWA `.ann` file. */
export function parseBwaAnn(text: string): ContigLength[] {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const header = lines[0]?.trim().split(/\s+/) ?? [];
  const count = Number(header[1]);
  if (header.length < 3 || !Number.isInteger(count) || count < 1) {
    throw new Error(`not a BWA .ann file: header '${lines[0] ?? ''}'`);
  }
  if (lines.length < 1 + 2 * count) {
    throw new Error(
      `truncated BWA .ann file: ${count} contigs announced, ${(lines.length - 1) / 2} found`,
    );
  }
  const contigs: ContigLength[] = [];
  for (let i = 0; i < count; i++) {
    const name = lines[1 + 2 * i].trim().split(/\s+/)[1];
    const length = Number(lines[2 + 2 * i].trim().split(/\s+/)[1]);
    if (!name || !Number.isInteger(length) || length < 0) {
      throw new Error(`malformed BWA .ann record ${i + 1}: '${lines[1 + 2 * i]}'`);
    }
    contigs.push({ name, length });
  }
  return contigs;
}

async function filesByDepth(dir: string, maxDepth = 3, depth = 0): Promise<string[][]> {
  const levels: string[][] = [[]];
  const entries = await readdir(dir, { withFileTypes: true });
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, e.name);
    if (e.isFile()) levels[0].push(path);
    else if (e.isDirectory() && depth < maxDepth) {
      const sub = await filesByDepth(path, maxDepth, depth + 1);
      sub.forEach((files, i) => (levels[i + 1] = [...(levels[i + 1] ?? []), ...files]));
    }
  }
  return levels;
}

function firstMatching(levels: string[][], test: (path: string) => boolean): string | null {
  for (const files of levels) {
    const hit = (files ?? []).find(test);
    if (hit) return hit;
  }
  return null;
}

function chooseKind(kinds: IndexKind[], bwaMem2: boolean, warnings: string[]): IndexKind {
  if (kinds.includes('bwa-mem2') && bwaMem2) return 'bwa-mem2';
  if (kinds.includes('bwa')) return 'bwa';
  warnings.push('the index is for bwa-mem2 only, and bwa-mem2 is not installed on this host');
  return 'bwa-mem2';
}

async function vectorContigsOf(
  levels: string[][],
  contigs: ContigLength[],
  given: string[] | undefined,
  warnings: string[],
): Promise<string[]> {
  const names = new Set(contigs.map((c) => c.name));
  if (given && given.length > 0) {
    const missing = given.filter((n) => !names.has(n));
    if (missing.length > 0) {
      throw new Error(`vector contig(s) ${missing.join(', ')} not in the index`);
    }
    return given;
  }
  const listFile = firstMatching(levels, (p) => p.endsWith(`/${VECTOR_LIST_FILE}`));
  if (listFile) {
    const listed = (await readFile(listFile, 'utf8'))
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'));
    const unknown = listed.filter((n) => !names.has(n));
    if (unknown.length > 0)
      warnings.push(`${VECTOR_LIST_FILE} names unknown contigs: ${unknown.join(', ')}`);
    return listed.filter((n) => names.has(n));
  }
  return names.has(DEFAULT_VECTOR_CONTIG) ? [DEFAULT_VECTOR_CONTIG] : [];
}

/** Checks `dir` and describes it; throws when it holds no complete index. */
export async function verifyGenomeDir(
  dir: string,
  options: VerifyOptions,
): Promise<GenomeManifest> {
  const index = await findIndexFiles(dir);
  if (!index) {
    const expected = Object.entries(INDEX_SUFFIXES)
      .map(([kind, suffixes]) => `${kind}: <prefix>${suffixes.join(' ')}`)
      .join('; ');
    throw new Error(`no complete aligner index found (expected ${expected})`);
  }
  const warnings: string[] = [];
  const kind = chooseKind(index.kinds, options.bwaMem2Available, warnings);
  const contigs = parseBwaAnn(await readFile(`${index.prefix}.ann`, 'utf8'));
  const levels = await filesByDepth(dir);
  const annotation = firstMatching(levels, (p) => ANNOTATION_SUFFIXES.some((s) => p.endsWith(s)));
  const vector = await vectorContigsOf(levels, contigs, options.vectorContigs, warnings);
  if (!annotation) warnings.push('no gene annotation (GTF/GFF3): sites will not be annotated');
  const rel = (p: string) => relative(dir, p);
  return {
    index_kind: kind,
    index_kinds: index.kinds,
    index_prefix: rel(index.prefix),
    fasta: index.fasta ? rel(index.fasta) : null,
    annotation: annotation ? rel(annotation) : null,
    vector_contigs: vector,
    contigs,
    total_length: contigs.reduce((sum, c) => sum + c.length, 0),
    warnings,
  };
}
