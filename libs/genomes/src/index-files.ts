// Finding the aligner index and the FASTA in an extracted genome directory.
//
// Index tarballs are laid out in many ways (files at the top, under `GRCh38/`, under
// `bwa_index/`), so the directory is searched a few levels deep. An index is named by its prefix:
// BWA writes `<prefix>.amb .ann .bwt .pac .sa`, bwa-mem2 `<prefix>.0123 .amb .ann .bwt.2bit.64
// .pac`; a prefix counts only when every file of its kind is present and non-empty (a truncated
// download or a half-extracted archive must not look ready). When one prefix has both kinds,
// `kind` is bwa-mem2 (faster when installed) and `kinds` lists both so the caller can fall back.
// Among several prefixes the shallowest wins, then the first by name, so the result does not
// depend on directory order. Symbolic links to files are followed (tar-safety.ts has checked that
// they stay inside); links to directories are not, so a loop cannot hang the search.

import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

export type IndexKind = 'bwa' | 'bwa-mem2';

export const INDEX_SUFFIXES: Readonly<Record<IndexKind, readonly string[]>> = {
  bwa: ['.amb', '.ann', '.bwt', '.pac', '.sa'],
  'bwa-mem2': ['.0123', '.amb', '.ann', '.bwt.2bit.64', '.pac'],
};

export const FASTA_SUFFIXES = ['.fa', '.fasta', '.fna', '.fa.gz', '.fasta.gz', '.fna.gz'];

export interface GenomeIndexFiles {
  /** The kind to use: bwa-mem2 when its index is complete, else bwa. */
  kind: IndexKind;
  /** Every complete kind for this prefix. */
  kinds: IndexKind[];
  /** Absolute path prefix to give to the aligner. */
  prefix: string;
  /** The genome FASTA, or null when the directory has none that belongs to the index. */
  fasta: string | null;
}

interface FoundFile {
  path: string;
  depth: number;
  size: number;
}

async function listFiles(dir: string, maxDepth: number, depth = 0): Promise<FoundFile[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const found: FoundFile[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (depth < maxDepth) found.push(...(await listFiles(path, maxDepth, depth + 1)));
    } else if (entry.isFile() || entry.isSymbolicLink()) {
      const stats = await stat(path).catch(() => null);
      if (stats?.isFile()) found.push({ path, depth, size: stats.size });
    }
  }
  return found;
}

function isFasta(path: string): boolean {
  return FASTA_SUFFIXES.some((suffix) => path.endsWith(suffix));
}

function stripFastaSuffix(path: string): string {
  const suffix = FASTA_SUFFIXES.filter((s) => path.endsWith(s)).sort((a, b) => b.length - a.length);
  return suffix.length === 0 ? path : path.slice(0, -suffix[0].length);
}

function candidatePrefixes(files: Map<string, FoundFile>): string[] {
  const prefixes = new Set<string>();
  for (const path of files.keys()) {
    for (const marker of ['.bwt.2bit.64', '.sa']) {
      if (path.endsWith(marker)) prefixes.add(path.slice(0, -marker.length));
    }
  }
  return [...prefixes];
}

function completeKinds(prefix: string, files: Map<string, FoundFile>): IndexKind[] {
  const kinds: IndexKind[] = ['bwa-mem2', 'bwa'];
  return kinds.filter((kind) =>
    INDEX_SUFFIXES[kind].every((suffix) => (files.get(prefix + suffix)?.size ?? 0) > 0),
  );
}

function fastaFor(prefix: string, files: FoundFile[]): string | null {
  const fastas = files.filter((f) => isFasta(f.path) && f.size > 0).map((f) => f.path);
  if (fastas.includes(prefix)) return prefix;
  const named = fastas.filter((path) => stripFastaSuffix(path) === prefix).sort();
  if (named.length > 0) return named[0];
  return fastas.length === 1 ? fastas[0] : null;
}

/** The index found under `dir` (see the module comment), or null when there is none. */
export async function findIndexFiles(dir: string, maxDepth = 3): Promise<GenomeIndexFiles | null> {
  const list = await listFiles(dir, maxDepth);
  const files = new Map(list.map((f) => [f.path, f]));
  const indexes = candidatePrefixes(files)
    .map((prefix) => ({ prefix, kinds: completeKinds(prefix, files) }))
    .filter((candidate) => candidate.kinds.length > 0)
    .sort((a, b) => {
      const depth = (p: string) => p.split('/').length;
      return depth(a.prefix) - depth(b.prefix) || (a.prefix < b.prefix ? -1 : 1);
    });
  if (indexes.length === 0) return null;
  const { prefix, kinds } = indexes[0];
  return { kind: kinds[0], kinds, prefix, fasta: fastaFor(prefix, list) };
}
