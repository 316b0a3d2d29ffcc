import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BamRecord, readBam } from './bam-reader';
import { scanBam } from './bam-scan';
import { readHeader } from './bam-scan-parallel';
import { compareOffsets, readLinearIndex, splitPoints } from './bgzf';
import { resolveSiteOptions, SiteAnalysisOptions } from './site-options';
import { matchesRemainder } from './site-position';
import { randomPairs as pairs, RANDOM_PAIR_CONTIGS as CONTIGS } from './testing/random-pairs';
import { PairSpec, writeBam } from './testing/sam-fixture';

const writeIndexedBam = (dir: string, name: string, contigs: typeof CONTIGS, specs: PairSpec[]) =>
  writeBam(dir, name, contigs, specs, [], { indexed: true });

describe('the BAM scan in parts', () => {
  let dir: string;
  let bam: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sites-parallel-'));
    bam = writeIndexedBam(dir, 'lib', CONTIGS, pairs(6000, 7));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function scan(file: string, extra: Partial<SiteAnalysisOptions>) {
    const messages: string[] = [];
    const options = {
      bam: file,
      outDir: dir,
      umi: true,
      onProgress: (m: string) => messages.push(m),
    };
    const result = await scanBam(resolveSiteOptions({ ...options, ...extra }));
    return { result, messages, positions: result.table.sorted() };
  }

  it('the fixture spans many BGZF blocks and its index many record starts', () => {
    const offsets = readLinearIndex(`${bam}.bai`)!;
    const { first } = readHeader(bam);
    expect(new Set(offsets.map((v) => v.block)).size).toBeGreaterThan(3);
    const points = splitPoints(offsets, first, fs.statSync(bam).size, 3);
    expect(points).toHaveLength(2);
    expect(compareOffsets(first, points[0])).toBeLessThan(0);
    expect(compareOffsets(points[0], points[1])).toBeLessThan(0);
  });

  it.each([2, 3])('gives exactly the one-stream result with %i parts', async (threads) => {
    const one = await scan(bam, { threads: 1 });
    const parts = await scan(bam, { threads, parallelMinBytes: 0 });
    expect(one.messages.some((m) => /in \d parts/.test(m))).toBe(false);
    expect(parts.messages).toContain(`site_analysis: BAM read in ${threads} parts`);
    expect(parts.result.counts).toEqual(one.result.counts);
    expect(parts.positions).toEqual(one.positions);
    expect(one.result.counts.outcomes.kept).toBeGreaterThan(3000);
    expect(one.result.counts.records).toBe(12000);
    // UMIs kept as numbers while reading come back as their text, the others as they were
    const umis = new Set(
      one.positions.flatMap((p) => [...p.fragments.values()].flatMap((f) => [...f.umis!.keys()])),
    );
    expect(umis).toContain('ACGTACGTACGTACGTACGTA');
    expect(umis).toContain('ACGTaCGTAC');
    expect(umis).toContain('TTTTACGTACGTACGTACGT');
    expect([...umis].every((u) => /^[ACGTNa]{10}$|^[ACGT]{20,21}$/.test(u))).toBe(true);
  });

  it('reads a BAM as one stream when its index belongs to another file', async () => {
    // the same reads behind a longer header (unused contigs): every offset of the other index is off
    const unused = Array.from({ length: 20 }, (_, i) => ({ name: `chrUn${i}`, length: 1000 }));
    const other = writeIndexedBam(dir, 'other', CONTIGS, pairs(6000, 7));
    const longer = writeIndexedBam(dir, 'longer', [...CONTIGS, ...unused], pairs(6000, 7));
    fs.copyFileSync(`${other}.bai`, `${longer}.bai`);
    const wrong = await scan(longer, { threads: 2, parallelMinBytes: 0 });
    const right = await scan(other, { threads: 1 });
    expect(wrong.messages.some((m) => /reading it as one stream/.test(m))).toBe(true);
    expect(wrong.positions).toEqual(right.positions);
    expect(wrong.result.counts).toEqual(right.result.counts);
  });

  it('reads a BAM as one stream when it has no index or is small', async () => {
    const copy = path.join(dir, 'copy.bam');
    fs.copyFileSync(bam, copy);
    const noIndex = await scan(copy, { threads: 2, parallelMinBytes: 0 });
    const small = await scan(bam, { threads: 2 });
    for (const r of [noIndex, small]) {
      expect(r.messages.some((m) => /parts/.test(m))).toBe(false);
      expect(r.result.counts.records).toBe(12000);
    }
  });

  it("tells the remainder from the read's bytes exactly as matchesRemainder does", async () => {
    const specs = pairs(2000, 11);
    const file = writeIndexedBam(dir, 'remainder', CONTIGS, specs);
    const seen: [boolean | null, boolean][] = [];
    // the name is not decoded by the reader: find the pair by its position and strand instead
    const key = (chrom: number, pos0: number, reverse: boolean) => `${chrom}:${pos0}:${reverse}`;
    const expected = new Map<string, boolean[]>();
    for (const p of specs) {
      const k = key(
        CONTIGS.findIndex((c) => c.name === p.chrom),
        p.pos - 1,
        p.reverse,
      );
      expected.set(k, [...(expected.get(k) ?? []), matchesRemainder(p.fivePrime!, 'TAGCA')]);
    }
    await readBam(
      file,
      { ltrRemainder: 'TAGCA', umiFromNames: false, firstMatesOnly: true },
      () => undefined,
      (r: BamRecord) => {
        const want = expected.get(key(r.refId, r.pos, (r.flag & 0x10) !== 0))!;
        seen.push([r.remainderMatch, want.includes(r.remainderMatch!)]);
      },
    );
    expect(seen).toHaveLength(2000);
    expect(seen.every(([match, ok]) => match !== null && ok)).toBe(true);
    expect(seen.some(([m]) => m === true) && seen.some(([m]) => m === false)).toBe(true);
  });
});
