// A streaming reader of tar headers: what each member of an archive is, without extracting it.
//
// Why parse headers here instead of reading `tar --list --verbose`: the verbose listing is text
// for people. A name containing " -> " cannot be told from a symlink target, names are quoted
// by locale-dependent rules, and columns shift with the owner names and date format. The headers
// give the exact bytes tar will use. The reader understands what GNU tar writes and reads:
// POSIX ustar (name joined to the 155-byte prefix), GNU (`ustar  ` magic, no prefix), old V7,
// GNU long names and link names ('L', 'K'), pax extended headers ('x': path, linkpath, size,
// which override the ustar fields exactly as in GNU tar) and base-256 sizes. Every header's
// checksum is verified; where GNU tar would skip ahead to the next valid header, this refuses.
// It stops at the first zero block, as GNU tar does without --ignore-zeros. Member data is
// skipped without being buffered, so multi-GB members cost no memory. Old GNU sparse members
// ('S') carry extra header blocks this reader does not follow: it reports the member and stops.
// Names are decoded byte for byte (latin1) so that every check sees the bytes tar sees;
// `displayName` turns them back into UTF-8 for messages. tar-safety.ts decides what is allowed.

import { ArchiveFormatError } from './errors';

export type TarMemberType =
  | 'file'
  | 'directory'
  | 'symlink'
  | 'hardlink'
  | 'character-device'
  | 'block-device'
  | 'fifo'
  | 'sparse'
  | 'other';

export interface TarMember {
  /** Path as stored (after long-name and pax overrides), bytes as latin1 characters. */
  name: string;
  type: TarMemberType;
  /** The raw typeflag character ('0', '5', '2', ...; '\0' for old regular files). */
  typeflag: string;
  /** Bytes of data following the header. */
  size: number;
  /** Target of a symlink or hard link, '' for other types. */
  linkName: string;
  mode: number;
}

const BLOCK = 512;
/** Long names and pax headers are read into memory; real ones are a few hundred bytes. */
const MAX_META_SIZE = 1 << 20;

const TYPES: Record<string, TarMemberType> = {
  '0': 'file',
  '\0': 'file',
  '7': 'file',
  '1': 'hardlink',
  '2': 'symlink',
  '3': 'character-device',
  '4': 'block-device',
  '5': 'directory',
  D: 'directory',
  '6': 'fifo',
  S: 'sparse',
};

/** UTF-8 reading of a name decoded byte for byte, for messages. */
export function displayName(name: string): string {
  return Buffer.from(name, 'latin1').toString('utf8');
}

/** Reads exact byte counts from a stream of chunks. */
class ByteReader {
  private chunk: Buffer = Buffer.alloc(0);
  private readonly iterator: AsyncIterator<Buffer>;

  constructor(source: AsyncIterable<Buffer>) {
    this.iterator = source[Symbol.asyncIterator]();
  }

  private async more(): Promise<boolean> {
    const next = await this.iterator.next();
    if (next.done) return false;
    this.chunk = this.chunk.length === 0 ? next.value : Buffer.concat([this.chunk, next.value]);
    return true;
  }

  /** Exactly `n` bytes, or fewer at the end of the stream. */
  async read(n: number): Promise<Buffer> {
    while (this.chunk.length < n && (await this.more()));
    const out = this.chunk.subarray(0, n);
    this.chunk = this.chunk.subarray(out.length);
    return out;
  }

  /** Skips `n` bytes; returns false when the stream ended first. */
  async skip(n: number): Promise<boolean> {
    let left = n;
    for (;;) {
      const used = Math.min(left, this.chunk.length);
      this.chunk = this.chunk.subarray(used);
      left -= used;
      if (left === 0) return true;
      if (!(await this.more())) return false;
    }
  }
}

function text(block: Buffer, start: number, length: number): string {
  const field = block.subarray(start, start + length);
  const end = field.indexOf(0);
  return field.subarray(0, end < 0 ? field.length : end).toString('latin1');
}

/** A numeric field: octal text, or base-256 when the high bit of the first byte is set. */
function numeric(block: Buffer, start: number, length: number, what: string): number {
  const field = block.subarray(start, start + length);
  if (field[0] & 0x80) {
    if (field[0] === 0xff) throw new Error(`negative ${what}`);
    let value = field[0] & 0x7f;
    for (let i = 1; i < field.length; i++) value = value * 256 + field[i];
    if (!Number.isSafeInteger(value)) throw new Error(`${what} too large`);
    return value;
  }
  const digits = field
    .toString('latin1')
    .replace(/[\0 ]+$/, '')
    .replace(/^ +/, '');
  if (digits === '') return 0;
  if (!/^[0-7]+$/.test(digits)) throw new Error(`bad ${what} field '${digits}'`);
  return parseInt(digits, 8);
}

function checksumOk(block: Buffer): boolean {
  const stored = numeric(block, 148, 8, 'checksum');
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const byte = i >= 148 && i < 156 ? 0x20 : block[i];
    unsigned += byte;
    signed += byte > 127 ? byte - 256 : byte;
  }
  return stored === unsigned || stored === signed;
}

/** Pax records `LEN key=value\n`; values are kept as latin1 (bytes). */
export function parsePaxRecords(data: Buffer): Map<string, string> {
  const records = new Map<string, string>();
  let at = 0;
  while (at < data.length) {
    const space = data.indexOf(0x20, at);
    const length = space < 0 ? NaN : Number(data.subarray(at, space).toString('latin1'));
    if (!Number.isInteger(length) || length <= 0 || at + length > data.length) {
      throw new Error('malformed pax extended header');
    }
    const record = data.subarray(space + 1, at + length - 1).toString('latin1');
    const equals = record.indexOf('=');
    if (equals < 0 || data[at + length - 1] !== 0x0a) throw new Error('malformed pax record');
    records.set(record.slice(0, equals), record.slice(equals + 1));
    at += length;
  }
  return records;
}

interface Pending {
  longName?: string;
  longLink?: string;
  pax?: Map<string, string>;
}

function headerName(block: Buffer): string {
  const name = text(block, 0, 100);
  const posix = block.subarray(257, 263).toString('latin1') === 'ustar\0';
  const prefix = posix ? text(block, 345, 155) : '';
  return prefix === '' ? name : `${prefix}/${name}`;
}

function memberOf(block: Buffer, pending: Pending): TarMember {
  const typeflag = String.fromCharCode(block[156]);
  const pax = pending.pax ?? new Map<string, string>();
  const name = pax.get('path') ?? pending.longName ?? headerName(block);
  let type = TYPES[typeflag] ?? 'other';
  if ([...pax.keys()].some((key) => key.startsWith('GNU.sparse.'))) type = 'sparse';
  if ((typeflag === '0' || typeflag === '\0') && name.endsWith('/')) type = 'directory';
  const paxSize = pax.get('size');
  const size = paxSize === undefined ? numeric(block, 124, 12, 'size') : Number(paxSize);
  if (!Number.isSafeInteger(size) || size < 0) throw new Error(`bad pax size '${paxSize}'`);
  const linkName =
    type === 'symlink' || type === 'hardlink'
      ? (pax.get('linkpath') ?? pending.longLink ?? text(block, 157, 100))
      : '';
  return { name, type, typeflag, size, linkName, mode: numeric(block, 100, 8, 'mode') };
}

async function readMeta(reader: ByteReader, size: number): Promise<Buffer> {
  if (size > MAX_META_SIZE) throw new Error(`extended header of ${size} bytes`);
  const data = await reader.read(size);
  if (data.length < size || !(await reader.skip(padding(size)))) {
    throw new Error('unexpected end of archive');
  }
  return data;
}

function padding(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}

function cString(data: Buffer): string {
  const end = data.indexOf(0);
  return data.subarray(0, end < 0 ? data.length : end).toString('latin1');
}

async function* members(reader: ByteReader): AsyncGenerator<TarMember> {
  let pending: Pending = {};
  for (;;) {
    const block = await reader.read(BLOCK);
    if (block.length === 0 && Object.keys(pending).length === 0) return;
    if (block.length < BLOCK) throw new Error('unexpected end of archive in a header');
    if (block.every((byte) => byte === 0)) return;
    if (!checksumOk(block)) throw new Error('header checksum mismatch (corrupt archive)');
    const typeflag = String.fromCharCode(block[156]);
    const size = numeric(block, 124, 12, 'size');
    if (typeflag === 'L' || typeflag === 'K' || typeflag === 'x' || typeflag === 'g') {
      const data = await readMeta(reader, size);
      if (typeflag === 'L') pending.longName = cString(data);
      else if (typeflag === 'K') pending.longLink = cString(data);
      else if (typeflag === 'x') pending.pax = parsePaxRecords(data);
      else checkGlobalPax(parsePaxRecords(data));
      continue;
    }
    const member = memberOf(block, pending);
    pending = {};
    yield member;
    if (member.type === 'sparse') return;
    if (!(await reader.skip(member.size + padding(member.size)))) {
      throw new Error(`unexpected end of archive in the data of '${displayName(member.name)}'`);
    }
  }
}

/** Global pax headers would change how every later header reads; none of ours need them. */
function checkGlobalPax(records: Map<string, string>): void {
  for (const key of ['path', 'linkpath', 'size']) {
    if (records.has(key)) throw new Error(`global pax header sets '${key}'`);
  }
}

/** The members of a tar stream (uncompressed bytes), in archive order. */
export async function* readTarMembers(
  source: AsyncIterable<Buffer>,
  archive: string,
): AsyncGenerator<TarMember> {
  try {
    yield* members(new ByteReader(source));
  } catch (err) {
    if (err instanceof ArchiveFormatError) throw err;
    throw new ArchiveFormatError(archive, err instanceof Error ? err.message : String(err));
  }
}
