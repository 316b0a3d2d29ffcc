import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { UnprocessableUploadError } from '@qslam/common';
import { checkBedLine, checkKnownSitesBed } from './known-sites-check';

describe('known sites BED check', () => {
  it('accepts BED3 and BED6 lines, headers and comments', () => {
    expect(checkBedLine('chr1\t99\t100')).toBeNull();
    expect(checkBedLine('chr1\t99\t100\tIS1\t0\t-')).toBeNull();
    expect(checkBedLine('track name=known')).toBeNull();
    expect(checkBedLine('# comment')).toBeNull();
    expect(checkBedLine('')).toBeNull();
  });

  it('names what is wrong with a line', () => {
    expect(checkBedLine('chr1 99 100')).toContain('3 tab-separated columns');
    expect(checkBedLine('chr1\t-1\t100')).toContain('whole numbers');
    expect(checkBedLine('chr1\t100\t100')).toContain('start (100) must be < end (100)');
    expect(checkBedLine('chr1\t1\t2\tx\t0\tplus')).toContain('strand');
  });

  it('reports the line number of the first bad line and counts intervals', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bed-'));
    const good = path.join(dir, 'good.bed');
    fs.writeFileSync(good, 'track x\nchr1\t1\t2\t.\t0\t+\nchr2\t5\t6\n');
    await expect(checkKnownSitesBed(good)).resolves.toBe(2);
    const bad = path.join(dir, 'bad.bed');
    fs.writeFileSync(bad, 'chr1\t1\t2\nchr1\t9\t3\n');
    const err = await checkKnownSitesBed(bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnprocessableUploadError);
    expect((err as Error).message).toBe('known_sites line 2: start (9) must be < end (3), 0-based');
    fs.rmSync(dir, { recursive: true });
  });
});
