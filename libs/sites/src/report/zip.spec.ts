import { execFileSync } from 'child_process';
import { randomBytes } from 'crypto';
import { mkdtemp, rm, writeFile } from 'fs/promises';
import { tmpdir } from 'os';
import { join } from 'path';
import { crc32 } from 'zlib';
import { unzip } from '../testing/unzip';
import { dosDateTime, zip, ZipEntry } from './zip';

const entries: ZipEntry[] = [
  { name: 'empty.txt', data: '' },
  { name: 'tiny.txt', data: 'hi' },
  { name: 'dir/große Datei – ü.xml', data: '<row r="1"><c r="A1"><v>1</v></c></row>'.repeat(5000) },
  { name: 'random.bin', data: randomBytes(10_000) },
];

describe('zip', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'qslam-zip-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const modified = new Date(2024, 2, 5, 13, 7, 9);
  const bytes = (value: string | Buffer) =>
    typeof value === 'string' ? Buffer.from(value) : value;

  it('round-trips every entry, in order, through the central directory', () => {
    const read = unzip(zip(entries, modified));
    expect(read.map((e) => e.name)).toEqual(entries.map((e) => e.name));
    read.forEach((entry, i) => {
      const data = bytes(entries[i].data);
      expect(entry.data.equals(data)).toBe(true);
      expect(entry.crc).toBe(crc32(data));
      expect(entry.flags & 0x0800).toBe(0x0800); // UTF-8 names
      expect(entry.date).toBe(dosDateTime(modified).date);
    });
    // deflated when that pays, stored otherwise (tiny and incompressible entries)
    expect(read.map((e) => e.method)).toEqual([0, 0, 8, 0]);
    expect(zip([entries[2]]).length).toBeLessThan(read[2].data.length / 50);
  });

  it('passes unzip -t, and unzip extracts the same bytes with the same date', async () => {
    const file = join(dir, 'test.zip');
    await writeFile(file, zip(entries, modified));
    const test = execFileSync('unzip', ['-t', file], { encoding: 'utf8' });
    expect(test).toContain('No errors detected');
    for (const entry of entries) {
      const out = execFileSync('unzip', ['-p', file, entry.name], { maxBuffer: 1 << 24 });
      expect(out.equals(bytes(entry.data))).toBe(true);
    }
    const listing = execFileSync('unzip', ['-Z', '-T', file], { encoding: 'utf8' });
    expect(listing).toContain('20240305.130708 tiny.txt'); // 2-second resolution
  });

  it('encodes MS-DOS dates, clamped to 1980–2107', () => {
    expect(dosDateTime(new Date(2024, 2, 5, 13, 7, 9))).toEqual({
      date: (44 << 9) | (3 << 5) | 5,
      time: (13 << 11) | (7 << 5) | 4,
    });
    expect(dosDateTime(new Date(1970, 0, 1))).toEqual({ date: (1 << 5) | 1, time: 0 });
  });

  it('refuses what would need ZIP64', () => {
    const many = (function* () {
      for (let i = 0; i <= 0xffff; i++) yield { name: `${i}`, data: '' };
    })();
    expect(() => zip(many)).toThrow(/entry count \(65536\) exceeds 65535/);
    const huge = { length: 2 ** 32 } as unknown as Buffer; // never read: the size is checked first
    expect(() => zip([{ name: 'huge', data: huge }])).toThrow(/size of huge .* exceeds/);
  });
});
