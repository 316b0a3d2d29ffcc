// Test helper: reads a ZIP archive the way an unzipper does, from its end: the end of central
// directory record, then each central directory header, then the entry's local header and data
// (inflated with zlib). Independent of report/zip.ts, so the tests check the format, not the code.

import { inflateRawSync } from 'node:zlib';

export interface UnzippedEntry {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  flags: number;
  crc: number;
  /** MS-DOS date and time fields. */
  date: number;
  time: number;
  data: Buffer;
}

export function unzip(archive: Buffer): UnzippedEntry[] {
  const end = archive.length - 22; // no archive comment
  if (archive.readUInt32LE(end) !== 0x06054b50) throw new Error('no end of central directory');
  const count = archive.readUInt16LE(end + 10);
  const size = archive.readUInt32LE(end + 12);
  let at = archive.readUInt32LE(end + 16);
  if (at + size !== end) throw new Error('central directory does not end at its end record');
  const entries: UnzippedEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (archive.readUInt32LE(at) !== 0x02014b50) throw new Error(`bad central header ${i}`);
    const method = archive.readUInt16LE(at + 10);
    const compressed = archive.readUInt32LE(at + 20);
    const nameLength = archive.readUInt16LE(at + 28);
    const skip = nameLength + archive.readUInt16LE(at + 30) + archive.readUInt16LE(at + 32);
    const local = archive.readUInt32LE(at + 42);
    if (archive.readUInt32LE(local) !== 0x04034b50) throw new Error(`bad local header ${i}`);
    const start = local + 30 + archive.readUInt16LE(local + 26) + archive.readUInt16LE(local + 28);
    const body = archive.subarray(start, start + compressed);
    entries.push({
      name: archive.toString('utf8', at + 46, at + 46 + nameLength),
      method,
      flags: archive.readUInt16LE(at + 8),
      crc: archive.readUInt32LE(at + 16),
      time: archive.readUInt16LE(at + 12),
      date: archive.readUInt16LE(at + 14),
      data: method === 8 ? inflateRawSync(body) : Buffer.from(body),
    });
    if (entries[i].data.length !== archive.readUInt32LE(at + 24)) {
      throw new Error(`size of ${entries[i].name} differs from its header`);
    }
    at += 46 + skip;
  }
  return entries;
}
