// findIndexFiles on directory layouts of real index tarballs (files made empty or not as needed).

import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { findIndexFiles, INDEX_SUFFIXES, IndexKind } from './index-files';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'index-files-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function touch(rel: string, content = 'x'): string {
  const path = join(dir, rel);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  return path;
}

function index(prefix: string, kind: IndexKind): void {
  for (const suffix of INDEX_SUFFIXES[kind]) touch(prefix + suffix);
}

describe('findIndexFiles', () => {
  it('finds a BWA index named after its FASTA', async () => {
    touch('genome.fa');
    index('genome.fa', 'bwa');
    expect(await findIndexFiles(dir)).toEqual({
      kind: 'bwa',
      kinds: ['bwa'],
      prefix: join(dir, 'genome.fa'),
      fasta: join(dir, 'genome.fa'),
    });
  });

  it('finds a nested bwa-mem2 index and the FASTA that shares its name', async () => {
    touch('GRCh38/GRCh38.fa.gz');
    touch('GRCh38/other/annotation.gtf');
    index('GRCh38/bwa-mem2/GRCh38', 'bwa-mem2');
    touch('GRCh38/bwa-mem2/GRCh38.fasta');
    expect(await findIndexFiles(dir)).toEqual({
      kind: 'bwa-mem2',
      kinds: ['bwa-mem2'],
      prefix: join(dir, 'GRCh38/bwa-mem2/GRCh38'),
      fasta: join(dir, 'GRCh38/bwa-mem2/GRCh38.fasta'),
    });
  });

  it('prefers bwa-mem2 when one prefix has both kinds, and lists both', async () => {
    index('ref/hg19', 'bwa');
    index('ref/hg19', 'bwa-mem2');
    touch('ref/hg19.fa');
    const found = await findIndexFiles(dir);
    expect(found).toMatchObject({ kind: 'bwa-mem2', kinds: ['bwa-mem2', 'bwa'] });
    expect(found?.fasta).toBe(join(dir, 'ref/hg19.fa'));
  });

  it('takes the only FASTA when no name matches, and null when there are several', async () => {
    index('idx/mm10', 'bwa');
    touch('seq/mouse.fasta');
    expect((await findIndexFiles(dir))?.fasta).toBe(join(dir, 'seq/mouse.fasta'));
    touch('seq/other.fa');
    expect((await findIndexFiles(dir))?.fasta).toBeNull();
  });

  it('prefers the shallowest prefix, then the first by name', async () => {
    index('a/b/deep', 'bwa');
    index('z/top', 'bwa');
    index('m/top', 'bwa');
    expect((await findIndexFiles(dir))?.prefix).toBe(join(dir, 'm/top'));
  });

  it('follows symbolic links to files', async () => {
    index('real/genome.fa', 'bwa');
    touch('real/genome.fa');
    mkdirSync(join(dir, 'linked'));
    for (const suffix of ['', ...INDEX_SUFFIXES.bwa]) {
      symlinkSync(`../real/genome.fa${suffix}`, join(dir, 'linked', `genome.fa${suffix}`));
    }
    rmSync(join(dir, 'real/genome.fa.sa'));
    writeFileSync(join(dir, 'real/genome.fa.sa'), 'sa');
    expect((await findIndexFiles(dir))?.prefix).toBe(join(dir, 'linked/genome.fa'));
  });

  it('returns null for incomplete or empty indexes and for no index at all', async () => {
    touch('genome.fa');
    expect(await findIndexFiles(dir)).toBeNull();
    index('genome.fa', 'bwa');
    rmSync(join(dir, 'genome.fa.pac'));
    expect(await findIndexFiles(dir)).toBeNull();
    touch('genome.fa.pac', '');
    expect(await findIndexFiles(dir)).toBeNull();
    index('x/y/z/w/too-deep', 'bwa');
    expect(await findIndexFiles(dir)).toBeNull();
    expect(await findIndexFiles(dir, 4)).toMatchObject({ prefix: join(dir, 'x/y/z/w/too-deep') });
  });
});
