import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readTail } from './text-file';

describe('readTail', () => {
  let dir: string;
  const file = (name: string, text: string) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, text);
    return p;
  };

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qslam-tail-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('returns the last N lines without the final newline', async () => {
    const p = file('a.log', 'one\ntwo\nthree\nfour\n');
    expect(await readTail(p, 2)).toBe('three\nfour');
    expect(await readTail(p, 1)).toBe('four');
  });

  it('returns the whole file when it has fewer lines', async () => {
    const p = file('b.log', 'one\ntwo');
    expect(await readTail(p, 10)).toBe('one\ntwo');
  });

  it('keeps empty lines inside the tail', async () => {
    const p = file('c.log', 'a\n\nb\n');
    expect(await readTail(p, 2)).toBe('\nb');
  });

  it('reads only the last maxBytes of a large file', async () => {
    const lines = Array.from({ length: 1000 }, (_, i) => `line ${i}`);
    const p = file('d.log', lines.join('\n') + '\n');
    expect(await readTail(p, 3)).toBe('line 997\nline 998\nline 999');
    // 20 bytes hold "line 998\nline 999\n" (18) and the cut end of the line before
    expect(await readTail(p, 5, 20)).toBe('line 998\nline 999');
    // a multi-byte character cut by the window does not come out as garbage
    const q = file('utf8.log', 'größe\nok\n');
    expect(await readTail(q, 5, 6)).toBe('ok');
  });

  it('returns an empty string for a missing or empty file', async () => {
    expect(await readTail(path.join(dir, 'missing.log'), 5)).toBe('');
    expect(await readTail(file('e.log', ''), 5)).toBe('');
  });
});
