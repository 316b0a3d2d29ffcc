// Safe extraction with real archives: malicious ones written header by header (testing/
// tar-writer.ts) must be refused, naming the member, with nothing written outside the
// destination; normal ones made by GNU tar from real directories must extract intact.

import { spawnSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  linkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ArchiveFormatError, UnsafeArchiveError } from './errors';
import { parseSafeExtractArgs } from './safe-extract-cli';
import { ArchivePolicy, checkArchive, safeExtract, tarEscape } from './tar-safety';
import { TarMember } from './tar-headers';
import { buildTar, TarEntry, writeTarGz } from './testing/tar-writer';

let root: string;
let dest: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'tar-safety-'));
  dest = join(root, 'dest');
  writeFileSync(join(root, 'outside.txt'), 'precious\n');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function tar(args: string[]): void {
  const result = spawnSync('tar', args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`tar ${args.join(' ')}: ${result.stderr}`);
}

/** Every path under `dir`, relative, sorted; directories end with '/'. */
function tree(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => {
      const rel = prefix + e.name;
      return e.isDirectory() ? [rel + '/', ...tree(join(dir, e.name), rel + '/')] : [rel];
    })
    .sort();
}

async function refusal(archive: string): Promise<UnsafeArchiveError> {
  try {
    await safeExtract(archive, dest);
  } catch (err) {
    if (err instanceof UnsafeArchiveError) return err;
    throw err;
  }
  throw new Error('expected the archive to be refused');
}

const FILE: TarEntry = { name: 'genome.fa', data: '>chr1\nACGT\n' };

describe('safeExtract refuses', () => {
  const cases: [string, TarEntry[], string, string][] = [
    ['a ../ path', [FILE, { name: '../x', data: 'evil' }], '../x', "has a '..' component"],
    ['a .. in the middle', [{ name: 'a/../../x', data: 'evil' }], 'a/../../x', "'..' component"],
    ['an absolute path', [{ name: '/ROOT/abs/x', data: 'evil' }], '/ROOT/abs/x', 'absolute path'],
    ['a symlink to /etc', [{ name: 'etc', typeflag: '2', linkName: '/etc' }], 'etc', "'/etc'"],
    ['a symlink a -> ../..', [{ name: 'a', typeflag: '2', linkName: '../..' }], 'a', 'outside'],
    [
      'a nested symlink climbing out',
      [{ name: 'x/y/link', typeflag: '2', linkName: '../../../outside.txt' }],
      'x/y/link',
      'outside the destination',
    ],
    ['a hard link out', [{ name: 'h', typeflag: '1', linkName: '../outside.txt' }], 'h', 'outside'],
    [
      'an absolute hard link',
      [{ name: 'h', typeflag: '1', linkName: '/ROOT/outside.txt' }],
      'h',
      'hard link to the absolute path',
    ],
    ['a FIFO', [FILE, { name: 'pipe', typeflag: '6' }], 'pipe', 'is a FIFO'],
    ['a character device', [{ name: 'null', typeflag: '3' }], 'null', 'character device'],
    ['a block device', [{ name: 'sda', typeflag: '4' }], 'sda', 'block device'],
    ['an unknown type', [{ name: 'v', typeflag: 'V' }], 'v', "unsupported type 'V'"],
    [
      'a file written through an archive symlink',
      [
        { name: 'sub', typeflag: '2', linkName: '.' },
        { name: 'sub/x', data: 'x' },
      ],
      'sub/x',
      "through the symbolic link 'sub'",
    ],
    [
      'a symlink whose target walks through another (l -> ., s -> l/..)',
      [
        { name: 'l', typeflag: '2', linkName: '.' },
        { name: 's', typeflag: '2', linkName: 'l/..' },
      ],
      's',
      "passes through the symbolic link 'l'",
    ],
    [
      'a hard link to a symlink (re-rooted relative target)',
      [
        { name: 'deep/dir/s', typeflag: '2', linkName: '../../genome.fa' },
        { name: 'h', typeflag: '1', linkName: 'deep/dir/s' },
      ],
      'h',
      'hard link to the symbolic link',
    ],
    [
      'a symlink carrying data',
      [{ name: 's', typeflag: '2', linkName: 'genome.fa', data: 'hidden' }],
      's',
      'symlink with 6 bytes of data',
    ],
    [
      'a pax path hiding ../',
      [{ name: 'innocent.txt', data: 'evil', pax: { path: '../pax-evil' } }],
      '../pax-evil',
      "'..'",
    ],
    [
      'a GNU long name hiding ../',
      [{ name: `../${'n'.repeat(120)}`, data: 'evil' }],
      `../${'n'.repeat(120)}`,
      "'..'",
    ],
    [
      'a pax long name that is absolute',
      [{ name: `/ROOT/${'p'.repeat(120)}`, data: 'evil', longNames: 'pax' }],
      `/ROOT/${'p'.repeat(120)}`,
      'absolute path',
    ],
  ];

  it.each(cases)('%s, naming the member, writing nothing', async (_label, entries, member, why) => {
    const fix = (s: string) => s.replaceAll('/ROOT', root);
    const archive = join(root, 'bad.tar.gz');
    writeTarGz(
      archive,
      entries.map((e) => ({ ...e, name: fix(e.name), linkName: e.linkName && fix(e.linkName) })),
    );
    const before = tree(root);
    const err = await refusal(archive);
    expect(err.member).toBe(fix(member));
    expect(err.message).toContain(why);
    expect(err.message).toContain(archive);
    expect(tree(root)).toEqual(before);
    expect(existsSync(dest)).toBe(false);
    expect(readFileSync(join(root, 'outside.txt'), 'utf8')).toBe('precious\n');
    expect(statSync(join(root, 'outside.txt')).nlink).toBe(1);
  });

  it('a member through a symlink already in the destination', async () => {
    mkdirSync(join(root, 'elsewhere'));
    mkdirSync(dest);
    symlinkSync(join(root, 'elsewhere'), join(dest, 'sub'));
    const archive = join(root, 'a.tar.gz');
    writeTarGz(archive, [{ name: 'sub/file', data: 'x' }]);
    const err = await refusal(archive);
    expect(err.member).toBe('sub');
    expect(err.reason).toContain('already a symbolic link in the destination');
    expect(readdirSync(join(root, 'elsewhere'))).toEqual([]);
  });

  it('corrupt, truncated and non-gzip archives with ArchiveFormatError', async () => {
    const good = buildTar([FILE, { name: 'b.txt', data: 'b'.repeat(2000) }]);
    const corrupt = Buffer.from(good);
    corrupt[10] ^= 0xff;
    const cases: [string, Buffer, string][] = [
      ['corrupt.tar.gz', gzipSync(corrupt), 'checksum'],
      ['short.tar.gz', gzipSync(good.subarray(0, 1024 + 700)), 'unexpected end of archive'],
      ['gzip-broken.tar.gz', gzipSync(good).subarray(0, 40), 'unexpected end of file'],
      ['index.tar.bz2', Buffer.from('BZh91AY&SY'), 'bzip2 compression is not supported'],
      ['empty.tar.gz', gzipSync(Buffer.alloc(1024)), 'the archive is empty'],
    ];
    for (const [name, bytes, why] of cases) {
      const archive = join(root, name);
      writeFileSync(archive, bytes);
      await expect(safeExtract(archive, dest)).rejects.toThrow(ArchiveFormatError);
      await expect(safeExtract(archive, dest)).rejects.toThrow(why);
    }
    expect(existsSync(dest)).toBe(false);
  });
});

describe('safeExtract accepts', () => {
  /** A genome directory with nested dirs, an internal relative symlink and a hard link. */
  function makeGenomeDir(): string {
    const src = join(root, 'src');
    mkdirSync(join(src, 'GRCh38', 'fasta'), { recursive: true });
    mkdirSync(join(src, 'GRCh38', 'bwa', 'deep', 'deeper'), { recursive: true });
    writeFileSync(join(src, 'GRCh38', 'fasta', 'genome.fa'), '>chr1\nACGTACGT\n');
    symlinkSync('../fasta/genome.fa', join(src, 'GRCh38', 'bwa', 'genome.fa'));
    for (const ext of ['amb', 'ann', 'bwt', 'pac', 'sa']) {
      writeFileSync(join(src, 'GRCh38', 'bwa', `genome.fa.${ext}`), `${ext}\n`);
    }
    linkSync(join(src, 'GRCh38', 'bwa', 'genome.fa.sa'), join(src, 'GRCh38', 'copy.sa'));
    writeFileSync(join(src, 'GRCh38', 'bwa', 'deep', 'deeper', `${'long'.repeat(30)}.txt`), 'l');
    return src;
  }

  it.each(['gnu', 'pax'])('a normal %s tarball with nested dirs and relative links', async (f) => {
    const src = makeGenomeDir();
    const archive = join(root, 'genome.tar.gz');
    tar([`--format=${f}`, '-czf', archive, '-C', src, 'GRCh38']);
    const summary = await safeExtract(archive, dest);
    expect(summary).toEqual({ compression: 'gzip', members: 14, files: 7, bytes: 35 });
    expect(tree(dest)).toEqual(tree(src));
    const link = join(dest, 'GRCh38', 'bwa', 'genome.fa');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe('../fasta/genome.fa');
    expect(readFileSync(link, 'utf8')).toBe('>chr1\nACGTACGT\n');
    expect(statSync(join(dest, 'GRCh38', 'copy.sa')).nlink).toBe(2);
  });

  it('an uncompressed tarball, "./" entries and names tar must escape', async () => {
    const src = join(root, 'src');
    mkdirSync(src);
    const names = ['a\\b', 'new\nline', 'caf\u00e9 space', 'q"u?o\'te', 'tab\there'];
    for (const name of names) writeFileSync(join(src, name), name);
    const archive = join(root, 'plain.tar');
    tar(['-cf', archive, '-C', src, '.']);
    const summary = await safeExtract(archive, dest);
    expect(summary).toMatchObject({ compression: 'none', members: names.length + 1 });
    expect(tree(dest)).toEqual([...names].sort());
  });

  it('extracts without the archive owner and with the umask applied', async () => {
    const archive = join(root, 'modes.tar.gz');
    writeTarGz(archive, [{ name: 'x.sh', data: '#!/bin/sh\n', mode: 0o6777 }]);
    await safeExtract(archive, dest);
    const mode = statSync(join(dest, 'x.sh')).mode & 0o7777;
    expect(mode & 0o6000).toBe(0);
    expect(mode & 0o022).toBe(0);
  });
});

describe('checkArchive', () => {
  it('writes nothing, not even the destination directory', async () => {
    const archive = join(root, 'ok.tar.gz');
    writeTarGz(archive, [FILE]);
    expect(await checkArchive(archive, dest)).toEqual({
      compression: 'gzip',
      members: 1,
      files: 1,
      bytes: FILE.data?.length,
    });
    expect(existsSync(dest)).toBe(false);
  });
});

describe('ArchivePolicy', () => {
  const member = (m: Partial<TarMember> & { name: string }): TarMember => ({
    type: 'file',
    typeflag: '0',
    size: 0,
    linkName: '',
    mode: 0o644,
    ...m,
  });

  it('accepts links that stay inside, lexically and without passing through symlinks', () => {
    const policy = new ArchivePolicy();
    policy.add(member({ name: './', type: 'directory', typeflag: '5' }));
    policy.add(member({ name: './a/b/file', size: 3 }));
    policy.add(member({ name: 'a/up', type: 'symlink', typeflag: '2', linkName: '../a/b/file' }));
    policy.add(member({ name: 'a/b/c', type: 'symlink', typeflag: '2', linkName: '../../a/up' }));
    policy.add(member({ name: 'hard', type: 'hardlink', typeflag: '1', linkName: './a/b/file' }));
    expect(() => policy.finish()).not.toThrow();
    expect(policy.pathsToCheckOnDisk()).toEqual(['a', 'a/b', 'a/b/file']);
    expect(policy).toMatchObject({ members: 5, files: 1, bytes: 3 });
  });
});

describe('tarEscape', () => {
  it('matches the escapes GNU tar prints in the C locale', () => {
    expect(tarEscape('plain name.txt')).toBe('plain name.txt');
    expect(tarEscape('a\\b')).toBe('a\\\\b');
    expect(tarEscape('x\ny\tz\u0001')).toBe('x\\ny\\tz\\001');
    expect(tarEscape(Buffer.from('café').toString('latin1'))).toBe('caf\\303\\251');
  });
});

describe('safe-extract-cli', () => {
  const run = (args: string[]) =>
    spawnSync(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        '-r',
        'tsconfig-paths/register',
        join(__dirname, 'safe-extract-cli.ts'),
        ...args,
      ],
      { cwd: resolve(__dirname, '../../..'), encoding: 'utf8', timeout: 60_000 },
    );

  it('parses the contract', () => {
    expect(parseSafeExtractArgs(['--archive', 'a.tgz', '--dest', 'd'])).toEqual({
      archive: 'a.tgz',
      dest: 'd',
    });
    expect(() => parseSafeExtractArgs(['--archive', 'a.tgz'])).toThrow('--dest is required');
  });

  it('exits 0 after extracting, 1 naming the refused member, 2 on a bad command line', () => {
    const good = join(root, 'good.tar.gz');
    writeTarGz(good, [FILE]);
    const ok = run(['--archive', good, '--dest', dest]);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain(`1 members (1 files, 11 B) extracted into ${dest}`);
    expect(readFileSync(join(dest, 'genome.fa'), 'utf8')).toBe(FILE.data);

    const bad = join(root, 'bad.tar.gz');
    writeTarGz(bad, [FILE, { name: 'link', typeflag: '2', linkName: '/etc' }]);
    const refused = run(['--archive', bad, '--dest', join(root, 'other')]);
    expect(refused.status).toBe(1);
    expect(refused.stderr.trim()).toBe(
      `safe-extract: refusing to extract ${bad}: member 'link' is a symbolic link to '/etc', ` +
        'outside the destination',
    );
    expect(existsSync(join(root, 'other'))).toBe(false);

    expect(run(['--archive', good]).status).toBe(2);
  }, 60_000);
});
