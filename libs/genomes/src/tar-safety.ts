// Safe extraction of a downloaded genome tarball: check every member first, extract only a
// clean archive.
//
// The members are read from the headers by tar-headers.ts (see there why not from `tar -tv`)
// and judged by ArchivePolicy, which refuses, naming the member: absolute paths, `..`
// components, device and FIFO members, sparse or unknown types, non-regular members carrying
// data, symbolic links whose target is absolute or resolves (lexically, from the link's
// directory) outside the destination, hard links whose target is absolute, has `..`, or is a
// symbolic link (a hard link to a symlink inode is a symlink re-rooted elsewhere), and - because
// lexical resolution is only sound when no symlink is followed on the way - any member written
// through a symlink of the archive and any link target that passes through one. Symlinks
// already in the destination on a member's path are refused as well. Then, as a guard against
// any difference between this header reader and GNU tar, `tar -t` must list exactly the same
// members (names compared byte for byte in tar's escape quoting); it runs concurrently with the
// header reader, so the check costs one extra decompression in parallel, not in series.
// Only then is the archive extracted by GNU tar, without the archive's owners and permissions.

import { createReadStream } from 'node:fs';
import { lstat, mkdir, open } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createGunzip } from 'node:zlib';
import { ArchiveFormatError, UnsafeArchiveError } from './errors';
import { displayName, readTarMembers, TarMember } from './tar-headers';
import { ArchiveCompression, runTar, tarExtractArgv, tarListArgv } from './tar-program';

export interface ArchiveSummary {
  compression: ArchiveCompression;
  /** All members, directories and links included. */
  members: number;
  /** Regular files and their total size. */
  files: number;
  bytes: number;
}

/** Thrown inside the policy; carries the member for UnsafeArchiveError. */
class Refusal extends Error {
  constructor(
    readonly member: string,
    reason: string,
  ) {
    super(reason);
  }
}

interface LinkCheck {
  member: string;
  /** Directories the target walks through, to be checked against the archive's symlinks. */
  via: string[];
  /** Normalized target of a hard link (archive-root relative). */
  hardTarget?: string;
}

/** Path components without '' and '.'. */
function components(path: string): string[] {
  return path.split('/').filter((c) => c !== '' && c !== '.');
}

/** Every proper prefix of a normalized path: 'a/b/c' → ['a', 'a/b']. */
function parents(path: string): string[] {
  const parts = components(path);
  return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join('/'));
}

/** The member rules of the module comment; feed members with `add`, then call `finish`. */
export class ArchivePolicy {
  private readonly paths: string[] = [];
  private readonly symlinks = new Set<string>();
  private readonly hardlinks = new Map<string, string>();
  private readonly links: LinkCheck[] = [];
  members = 0;
  files = 0;
  bytes = 0;

  /** Checks one member on its own; throws Refusal. Returns its normalized path. */
  add(m: TarMember): string {
    const path = this.checkName(m);
    this.checkType(m, path);
    this.members++;
    this.paths.push(path);
    if (m.type === 'file') {
      this.files++;
      this.bytes += m.size;
    } else if (m.type === 'symlink') {
      this.symlinks.add(path);
      this.links.push({ member: path, via: this.symlinkWalk(path, m.linkName) });
    } else if (m.type === 'hardlink') {
      const target = this.hardlinkTarget(path, m.linkName);
      this.hardlinks.set(path, target);
      this.links.push({ member: path, via: parents(target), hardTarget: target });
    }
    return path;
  }

  /** Checks what needs the whole archive: writes and link targets through symlinks. */
  finish(): void {
    for (const path of this.paths) {
      const link = parents(path).find((dir) => this.symlinks.has(dir));
      if (link !== undefined)
        throw new Refusal(path, `is written through the symbolic link '${link}'`);
    }
    for (const { member, via, hardTarget } of this.links) {
      const link = via.find((dir) => this.symlinks.has(dir));
      if (link !== undefined) {
        throw new Refusal(
          member,
          `has a link target that passes through the symbolic link '${link}'`,
        );
      }
      if (hardTarget !== undefined && this.symlinks.has(this.hardlinkRoot(hardTarget))) {
        throw new Refusal(member, `is a hard link to the symbolic link '${hardTarget}'`);
      }
    }
  }

  /** Paths that must not be symlinks already in the destination: parents, hard link targets. */
  pathsToCheckOnDisk(): string[] {
    const dirs = new Set<string>();
    for (const path of this.paths) for (const dir of parents(path)) dirs.add(dir);
    for (const target of this.hardlinks.values()) dirs.add(target);
    return [...dirs].sort();
  }

  private checkName(m: TarMember): string {
    if (m.name.includes('\0')) throw new Refusal(m.name, 'has a NUL byte in its name');
    if (m.name.startsWith('/')) throw new Refusal(m.name, 'has an absolute path');
    const parts = components(m.name);
    if (parts.includes('..')) throw new Refusal(m.name, "has a '..' component in its path");
    if (parts.length === 0 && m.type !== 'directory') throw new Refusal(m.name, 'has no name');
    return parts.join('/');
  }

  private checkType(m: TarMember, path: string): void {
    const refused: Partial<Record<TarMember['type'], string>> = {
      'character-device': 'is a character device',
      'block-device': 'is a block device',
      fifo: 'is a FIFO',
      sparse: 'is a sparse file (not supported; archive it without --sparse)',
      other: `has the unsupported type '${m.typeflag.replace('\0', '\\0')}'`,
    };
    const reason = refused[m.type];
    if (reason !== undefined) throw new Refusal(path, reason);
    if (m.type !== 'file' && m.size > 0) {
      throw new Refusal(path, `is a ${m.type} with ${m.size} bytes of data`);
    }
  }

  /** Resolves a symlink target from the link's directory; returns the directories walked. */
  private symlinkWalk(path: string, target: string): string[] {
    const outside = `is a symbolic link to '${target}', outside the destination`;
    if (target === '') throw new Refusal(path, 'is a symbolic link with an empty target');
    if (target.includes('\0')) throw new Refusal(path, 'has a NUL byte in its link target');
    if (target.startsWith('/')) throw new Refusal(path, outside);
    const stack = components(path).slice(0, -1);
    const via: string[] = [];
    const steps = components(target);
    steps.forEach((step, i) => {
      if (step === '..') {
        if (stack.length === 0) throw new Refusal(path, outside);
        stack.pop();
        return;
      }
      stack.push(step);
      if (i < steps.length - 1) via.push(stack.join('/'));
    });
    return via;
  }

  private hardlinkTarget(path: string, target: string): string {
    if (target.startsWith('/')) {
      throw new Refusal(path, `is a hard link to the absolute path '${target}'`);
    }
    const parts = components(target);
    if (parts.includes('..') || parts.length === 0 || target.includes('\0')) {
      throw new Refusal(path, `is a hard link to '${target}', outside the destination`);
    }
    return parts.join('/');
  }

  /** Follows hard links to hard links back to the first member. */
  private hardlinkRoot(target: string): string {
    let current = target;
    for (let hops = 0; hops <= this.hardlinks.size; hops++) {
      const next = this.hardlinks.get(current);
      if (next === undefined) return current;
      current = next;
    }
    return current;
  }
}

/** gzip by its magic bytes; bzip2, xz and zstd are refused; anything else is read as tar. */
export async function detectCompression(archive: string): Promise<ArchiveCompression> {
  const handle = await open(archive, 'r').catch((err: Error) => {
    throw new ArchiveFormatError(archive, err.message);
  });
  const head = Buffer.alloc(6);
  try {
    await handle.read(head, 0, head.length, 0);
  } finally {
    await handle.close();
  }
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  const other = [
    ['bzip2', 'BZh'],
    ['xz', '\xfd7zXZ'],
    ['zstd', '\x28\xb5\x2f\xfd'],
  ].find(([, magic]) => head.subarray(0, magic.length).toString('latin1') === magic);
  if (other !== undefined) {
    throw new ArchiveFormatError(archive, `${other[0]} compression is not supported; use gzip`);
  }
  return 'none';
}

/** GNU tar's escape quoting of a name (C locale), as printed by `tar -t`. */
export function tarEscape(name: string): string {
  const named: Record<number, string> = {
    7: 'a',
    8: 'b',
    9: 't',
    10: 'n',
    11: 'v',
    12: 'f',
    13: 'r',
  };
  let out = '';
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (code === 0x5c) out += '\\\\';
    else if (code >= 0x20 && code < 0x7f) out += name[i];
    else if (named[code] !== undefined) out += `\\${named[code]}`;
    else out += `\\${code.toString(8).padStart(3, '0')}`;
  }
  return out;
}

function memberStream(archive: string, compression: ArchiveCompression): AsyncIterable<Buffer> {
  const file = createReadStream(archive, { highWaterMark: 1 << 20 });
  if (compression === 'none') return file;
  const gunzip = createGunzip();
  file.on('error', (err) => gunzip.destroy(err));
  // The reader may stop early (a refused member): closing gunzip must close the file too.
  gunzip.on('close', () => file.destroy());
  return file.pipe(gunzip);
}

/** Runs every member of `file` through the policy; `archive` names it in messages. */
async function readPolicy(
  file: string,
  archive: string,
  compression: ArchiveCompression,
): Promise<{ policy: ArchivePolicy; names: string[] }> {
  const policy = new ArchivePolicy();
  const names: string[] = [];
  try {
    for await (const member of readTarMembers(memberStream(file, compression), archive)) {
      policy.add(member);
      names.push(member.name);
    }
    policy.finish();
  } catch (err) {
    if (err instanceof Refusal) {
      throw new UnsafeArchiveError(archive, displayName(err.member), err.message);
    }
    throw err;
  }
  return { policy, names };
}

function compareListings(archive: string, names: string[], listing: string): void {
  const lines = listing.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const count = Math.max(names.length, lines.length);
  for (let i = 0; i < count; i++) {
    const ours = names[i] === undefined ? '(none)' : tarEscape(names[i]);
    if (ours !== lines[i]) {
      throw new ArchiveFormatError(
        archive,
        `GNU tar reads member ${i + 1} as '${lines[i] ?? '(none)'}', the header reader as ` +
          `'${ours}'; refusing an archive that two readers see differently`,
      );
    }
  }
}

async function checkDestination(archive: string, dest: string, paths: string[]): Promise<void> {
  for (const path of paths) {
    const stats = await lstat(join(dest, path)).catch(() => null);
    if (stats?.isSymbolicLink()) {
      throw new UnsafeArchiveError(
        archive,
        displayName(path),
        'is already a symbolic link in the destination (members would be written through it)',
      );
    }
  }
}

/** Reads and judges every member (see the module comment) without writing anything. */
export async function checkArchive(archive: string, dest: string): Promise<ArchiveSummary> {
  const file = resolve(archive);
  const compression = await detectCompression(file);
  const abort = new AbortController();
  const listing = runTar(tarListArgv(file, compression), abort.signal);
  listing.catch(() => undefined);
  let checked: Awaited<ReturnType<typeof readPolicy>>;
  try {
    checked = await readPolicy(file, archive, compression);
  } catch (err) {
    abort.abort();
    throw err;
  }
  if (checked.names.length === 0) throw new ArchiveFormatError(archive, 'the archive is empty');
  compareListings(archive, checked.names, (await listing).stdout);
  await checkDestination(archive, resolve(dest), checked.policy.pathsToCheckOnDisk());
  const { members, files, bytes } = checked.policy;
  return { compression, members, files, bytes };
}

/** Checks the archive and, when every member is safe, extracts it into `dest` (created). */
export async function safeExtract(archive: string, dest: string): Promise<ArchiveSummary> {
  const summary = await checkArchive(archive, dest);
  await mkdir(dest, { recursive: true });
  await runTar(tarExtractArgv(resolve(archive), resolve(dest), summary.compression));
  return summary;
}
