import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeSites } from './analyze-sites';
import { RANDOM_PAIR_CONTIGS, randomPairs } from './testing/random-pairs';
import { writeBam } from './testing/sam-fixture';
import { unzip } from './testing/unzip';

/** Every file below `dir`, relative, sorted. */
function listFiles(dir: string, prefix = ''): string[] {
  return fs
    .readdirSync(path.join(dir, prefix), { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? listFiles(dir, path.join(prefix, e.name)) : [path.join(prefix, e.name)],
    )
    .sort();
}

describe('analyzeSites with worker threads', () => {
  let dir: string;
  let bam: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sites-analyze-'));
    const pairs = randomPairs(6000, 5);
    bam = writeBam(dir, 'lib', RANDOM_PAIR_CONTIGS, pairs, [], { indexed: true });
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes the same files reading the BAM in parts, with the workbook on its own thread', async () => {
    const run = async (out: string, threads: number) => {
      const messages: string[] = [];
      const result = await analyzeSites({
        bam,
        outDir: path.join(dir, out),
        umi: true,
        threads,
        parallelMinBytes: 0,
        onProgress: (m) => messages.push(m),
      });
      return { result, messages };
    };
    const one = await run('one', 1);
    const parts = await run('parts', 2);
    expect(parts.messages).toContain('site_analysis: BAM read in 2 parts');
    expect(one.messages.join('\n')).not.toMatch(/parts/);

    const files = listFiles(path.join(dir, 'one'));
    expect(listFiles(path.join(dir, 'parts'))).toEqual(files);
    expect(files).toContain('bed2peak/sites.xlsx');
    const read = (out: string, file: string) => fs.readFileSync(path.join(dir, out, file));
    for (const file of files.filter((f) => /\.(tsv|bed|svg|png)$/.test(f))) {
      expect([file, read('parts', file).equals(read('one', file))]).toEqual([file, true]);
    }
    // the workbooks: the same parts, byte for byte, but the creation date and the summary's timings
    const entries = (out: string) =>
      new Map(
        unzip(read(out, 'bed2peak/sites.xlsx')).map((e) => [e.name, e.data.toString('utf8')]),
      );
    const [a, b] = [entries('one'), entries('parts')];
    expect([...b.keys()]).toEqual([...a.keys()]);
    for (const [name, xml] of a) {
      if (name === 'docProps/core.xml') continue;
      if (name === 'xl/worksheets/sheet1.xml') continue; // the summary sheet holds the timings
      expect([name, b.get(name) === xml]).toEqual([name, true]);
    }
    const { seconds: s1, ...summary1 } = one.result.summary;
    const { seconds: s2, ...summary2 } = parts.result.summary;
    expect(summary2).toEqual(summary1);
    expect(Object.keys(s2)).toEqual(Object.keys(s1));
    expect(one.result.summary.per_d.every((p) => p.kept_sites > 0)).toBe(true);
  });
});
