// Test support: tar archives written header by header, including malicious ones.
//
// GNU tar will not create most of the archives a safe extractor must refuse (it strips leading
// '/' and '../', it cannot store a FIFO with data), so tests build them here, byte by byte, in
// the ustar layout GNU tar reads: 512-byte headers with octal fields and a checksum, data padded
// to 512 bytes, two zero blocks at the end. Long names can be stored as a GNU 'L' header or a pax
// 'x' header, which is how an attacker would hide a path from a reader that ignores them.
// Used by the unit tests of this library and available to end-to-end tests
// (`@qslam/genomes/testing/tar-writer`); not part of the library's public API.

import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

export interface TarEntry {
  name: string;
  /** Raw typeflag: '0' file, '1' hard link, '2' symlink, '3' char device, '5' dir, '6' FIFO. */
  typeflag?: string;
  data?: Buffer | string;
  linkName?: string;
  mode?: number;
  /** Where a name longer than 100 bytes goes. Default 'gnu'. */
  longNames?: 'gnu' | 'pax';
  /** Extra pax records placed in an 'x' header before this entry. */
  pax?: Record<string, string>;
  /** Overrides the size field (to make a header that lies about its data). */
  size?: number;
}

const BLOCK = 512;

function octal(value: number, length: number): string {
  return value.toString(8).padStart(length - 1, '0') + '\0';
}

function header(name: string, typeflag: string, size: number, linkName = '', mode = 0o644): Buffer {
  const block = Buffer.alloc(BLOCK);
  block.write(name, 0, 100, 'latin1');
  block.write(octal(mode, 8), 100, 'latin1');
  block.write(octal(0, 8), 108, 'latin1');
  block.write(octal(0, 8), 116, 'latin1');
  block.write(octal(size, 12), 124, 'latin1');
  block.write(octal(1_700_000_000, 12), 136, 'latin1');
  block.write(typeflag, 156, 'latin1');
  block.write(linkName, 157, 100, 'latin1');
  block.write('ustar\0', 257, 'latin1');
  block.write('00', 263, 'latin1');
  block.write('root', 265, 'latin1');
  block.write('root', 297, 'latin1');
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(octal(sum, 7) + ' ', 148, 'latin1');
  return block;
}

function padded(data: Buffer): Buffer[] {
  const pad = (BLOCK - (data.length % BLOCK)) % BLOCK;
  return [data, Buffer.alloc(pad)];
}

/** One pax record `LEN key=value\n`, where LEN counts its own digits. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(body) + 1;
  while (String(length).length + Buffer.byteLength(body) !== length) length++;
  return `${length}${body}`;
}

function entryBlocks(e: TarEntry): Buffer[] {
  const data = Buffer.from(e.data ?? '');
  const typeflag = e.typeflag ?? '0';
  const blocks: Buffer[] = [];
  const pax = { ...e.pax };
  let name = e.name;
  if (Buffer.byteLength(name) > 100) {
    if (e.longNames === 'pax') {
      pax.path = name;
    } else {
      const long = Buffer.from(name + '\0');
      blocks.push(header('././@LongLink', 'L', long.length), ...padded(long));
    }
    name = name.slice(0, 100);
  }
  if (Object.keys(pax).length > 0) {
    const records = Buffer.from(
      Object.entries(pax)
        .map(([k, v]) => paxRecord(k, v))
        .join(''),
    );
    blocks.push(header(`PaxHeaders/${name.slice(0, 80)}`, 'x', records.length), ...padded(records));
  }
  blocks.push(header(name, typeflag, e.size ?? data.length, e.linkName, e.mode), ...padded(data));
  return blocks;
}

/** A complete tar archive (ending with two zero blocks). */
export function buildTar(entries: TarEntry[]): Buffer {
  return Buffer.concat([...entries.flatMap(entryBlocks), Buffer.alloc(2 * BLOCK)]);
}

/** Writes a gzip-compressed tar archive of `entries` to `path`. */
export function writeTarGz(path: string, entries: TarEntry[]): void {
  writeFileSync(path, gzipSync(buildTar(entries)));
}
