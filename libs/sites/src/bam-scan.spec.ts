import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { scanBam } from './bam-scan';
import { resolveSiteOptions } from './site-options';
import { PairSpec, writeBam } from './testing/sam-fixture';

// Every expected position / breakpoint below is computed by hand from the SAM numbers.
const CONTIGS = [
  { name: 'chr1', length: 100000 },
  { name: 'chr2', length: 50000 },
  { name: 'vector', length: 9000 },
];

function pair(
  name: string,
  p: Partial<PairSpec> & Pick<PairSpec, 'pos' | 'cigar' | 'matePos'>,
): PairSpec {
  return { name, chrom: 'chr1', reverse: false, mateCigar: '150M', ...p };
}

interface Expected {
  strand: '+' | '-';
  position: number;
  breakpoint: number;
}

const KEPT: [PairSpec, Expected][] = [
  // non-overlapping mates, fragment 600, 2x150
  [
    pair('plusFar', { pos: 1001, cigar: '150M', matePos: 1451 }),
    { strand: '+', position: 1001, breakpoint: 1600 },
  ],
  [
    pair('minusFar', { pos: 4851, cigar: '150M', reverse: true, matePos: 4401 }),
    { strand: '-', position: 5000, breakpoint: 4401 },
  ],
  // overlapping mates, fragment 200
  [
    pair('plusNear', { pos: 2001, cigar: '150M', matePos: 2051 }),
    { strand: '+', position: 2001, breakpoint: 2200 },
  ],
  [
    pair('minusNear', { pos: 3001, cigar: '150M', reverse: true, matePos: 2951 }),
    { strand: '-', position: 3150, breakpoint: 2951 },
  ],
  // remainder TAGCA whose last bases match the genome before the junction: GCA / CA / A / none
  [
    pair('plusGCA', { pos: 9998, cigar: '2S148M', fivePrime: 'TAGCA', matePos: 10451 }),
    { strand: '+', position: 10001, breakpoint: 10600 },
  ],
  [
    pair('plusCA', { pos: 11999, cigar: '3S147M', fivePrime: 'TAGCA', matePos: 12451 }),
    { strand: '+', position: 12001, breakpoint: 12600 },
  ],
  [
    pair('plusA', { pos: 14000, cigar: '4S146M', fivePrime: 'TAGCA', matePos: 14451 }),
    { strand: '+', position: 14001, breakpoint: 14600 },
  ],
  [
    pair('plusNone', { pos: 15001, cigar: '5S145M', fivePrime: 'TAGCA', matePos: 15451 }),
    { strand: '+', position: 15001, breakpoint: 15600 },
  ],
  [
    pair('minusGCA', {
      pos: 19856,
      cigar: '148M2S',
      reverse: true,
      fivePrime: 'TAGCA',
      matePos: 19401,
    }),
    { strand: '-', position: 20000, breakpoint: 19401 },
  ],
  [
    pair('minusCA', {
      pos: 21856,
      cigar: '147M3S',
      reverse: true,
      fivePrime: 'TAGCA',
      matePos: 21401,
    }),
    { strand: '-', position: 22000, breakpoint: 21401 },
  ],
  [
    pair('minusA', {
      pos: 23856,
      cigar: '146M4S',
      reverse: true,
      fivePrime: 'TAGCA',
      matePos: 23401,
    }),
    { strand: '-', position: 24000, breakpoint: 23401 },
  ],
  [
    pair('minusNone', {
      pos: 25856,
      cigar: '145M5S',
      reverse: true,
      fivePrime: 'TAGCA',
      matePos: 25401,
    }),
    { strand: '-', position: 26000, breakpoint: 25401 },
  ],
  // clip longer than the remainder: extrapolate outward by one base
  [
    pair('plusClip6', { pos: 30001, cigar: '6S144M', fivePrime: 'TAGCA', matePos: 30451 }),
    { strand: '+', position: 30000, breakpoint: 30600 },
  ],
  [
    pair('minusClip6', {
      pos: 31857,
      cigar: '144M6S',
      reverse: true,
      fivePrime: 'TAGCA',
      matePos: 31401,
    }),
    { strand: '-', position: 32001, breakpoint: 31401 },
  ],
  // one mismatch still counts as the remainder, two do not
  [
    pair('oneMismatch', { pos: 33998, cigar: '2S148M', fivePrime: 'TAGCT', matePos: 34451 }),
    { strand: '+', position: 34001, breakpoint: 34600 },
  ],
  [
    pair('twoMismatches', { pos: 35998, cigar: '2S148M', fivePrime: 'TTGCT', matePos: 36451 }),
    { strand: '+', position: 35998, breakpoint: 36600 },
  ],
  // read offset 5 inside an insertion → next aligned base; a deletion inside the remainder
  [
    pair('insertion', { pos: 40001, cigar: '4S2I144M', fivePrime: 'TAGCA', matePos: 40451 }),
    { strand: '+', position: 40001, breakpoint: 40600 },
  ],
  [
    pair('deletion', { pos: 41001, cigar: '2S2M1D146M', fivePrime: 'TAGCA', matePos: 41451 }),
    { strand: '+', position: 41005, breakpoint: 41600 },
  ],
  // no MC tag: TLEN
  [
    pair('noMC', { pos: 50001, cigar: '150M', matePos: 50451, mc: false, tlen: 600 }),
    { strand: '+', position: 50001, breakpoint: 50600 },
  ],
  // `-` read clipped at its 3' end (CIGAR start): not a 5' clip, kept
  [
    pair('minus3pClip', { pos: 60001, cigar: '10S140M', reverse: true, matePos: 59701 }),
    { strand: '-', position: 60140, breakpoint: 59701 },
  ],
];

const FILTERED: PairSpec[] = [
  pair('secondary', { pos: 1001, cigar: '150M', matePos: 1451, extraFlags: 0x100 }),
  pair('supplementary', { pos: 1001, cigar: '150M', matePos: 1451, extraFlags: 0x800 }),
  pair('improper', { pos: 1001, cigar: '150M', matePos: 1451, improper: true }),
  pair('mateUnmapped', { pos: 1001, cigar: '150M', matePos: 1001, mateUnmapped: true }),
  pair('mateOtherContig', { pos: 1001, cigar: '150M', matePos: 1451, mateChrom: 'chr2' }),
  pair('lowMapq', { pos: 1001, cigar: '150M', matePos: 1451, mapq: 10 }),
  pair('minus5pClip', { pos: 7001, cigar: '140M10S', reverse: true, matePos: 6701 }),
  pair('plus5pClip', { pos: 8001, cigar: '10S140M', matePos: 8451 }),
  pair('onVector', { chrom: 'vector', pos: 101, cigar: '150M', matePos: 551 }),
];

const UNMAPPED = ['u1\t77\t*\t0\t0\t*\t*\t0\t0\tACGT\t*', 'u1\t141\t*\t0\t0\t*\t*\t0\t0\tACGT\t*'];

describe('scanBam', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sites-scan-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.each(['direct', 'samtools'] as const)(
    'places sites and breakpoints, counts every filter (%s)',
    async (reader) => {
      const bam = writeBam(
        dir,
        `scan-${reader}`,
        CONTIGS,
        [...KEPT.map(([p]) => p), ...FILTERED],
        UNMAPPED,
      );
      const result = await scanBam(resolveSiteOptions({ bam, outDir: dir, reader }));
      const found = result.table.sorted().flatMap((s) =>
        [...s.fragments.keys()].map((breakpoint) => ({
          strand: s.strand,
          position: s.position,
          breakpoint,
        })),
      );
      const expected = KEPT.map(([, e]) => ({
        strand: e.strand,
        position: e.position,
        breakpoint: e.breakpoint,
      }));
      const order = (a: Expected, b: Expected) => a.position - b.position;
      expect([...found].sort(order)).toEqual([...expected].sort(order));
      expect(result.counts.outcomes).toEqual({
        secondary_supplementary: 2,
        unmapped: 1,
        not_proper_pair: 3,
        low_mapq: 1,
        leading_clip: 2,
        vector_reads: 1,
        no_ltr_remainder: 0,
        kept: KEPT.length,
      });
      expect(result.counts.r1_records).toBe(KEPT.length + FILTERED.length + 1);
      expect(result.counts.vector_sites).toBe(1);
      if (reader === 'direct')
        expect(result.counts.records).toBe(2 * (KEPT.length + FILTERED.length + 1));
      expect(result.references.map((r) => r.name)).toEqual(['chr1', 'chr2', 'vector']);
    },
  );

  it("keeps a long fragment without bwa's proper-pair flag when the mates face each other within 2 kb", async () => {
    // bwa's 0x2 bound comes from its insert-size fit (870 bp on the simulator's libraries): a
    // 925-bp sonication fragment is not flagged, but it is the same molecule
    const improper = { improper: true, mateCigar: '150M' };
    const bam = writeBam(dir, 'improper', CONTIGS, [
      pair('longPlus', { ...improper, pos: 70001, cigar: '150M', matePos: 70776, tlen: 925 }),
      pair('longMinus', {
        ...improper,
        pos: 72776,
        cigar: '150M',
        reverse: true,
        matePos: 72001,
        tlen: -925,
      }),
      // not facing: + R1 right of its mate; same strand; template over 2 kb; TLEN unknown
      pair('away', { ...improper, pos: 74001, cigar: '150M', matePos: 73501, tlen: -650 }),
      pair('sameStrand', {
        ...improper,
        pos: 76776,
        cigar: '150M',
        reverse: true,
        extraFlags: 0x20,
        matePos: 76001,
        tlen: -925,
      }),
      pair('tooLong', { ...improper, pos: 78001, cigar: '150M', matePos: 80351, tlen: 2500 }),
      pair('noTlen', { ...improper, pos: 82001, cigar: '150M', matePos: 82776 }),
    ]);
    const result = await scanBam(resolveSiteOptions({ bam, outDir: dir }));
    expect(
      result.table.sorted().map((s) => [s.strand, s.position, [...s.fragments.keys()]] as const),
    ).toEqual([
      ['+', 70001, [70925]],
      ['-', 72925, [72001]],
    ]);
    expect(result.counts.outcomes).toMatchObject({ not_proper_pair: 4, kept: 2 });
  });

  it('drops reads without the LTR remainder when the library carries it (>= 90 % of reads)', async () => {
    // 19 junction reads begin with TAGCA (5S); 1 mispriming read trimmed at a primer-like
    // genomic sequence begins with genome (GGGGG) and would be a false site
    const junction = (i: number) =>
      pair(`j${i}`, {
        pos: 90001 + 1000 * i,
        cigar: '5S145M',
        fivePrime: 'TAGCA',
        matePos: 90451 + 1000 * i,
      });
    const misprimed = pair('misprimed', { pos: 70001, cigar: '150M', matePos: 70451 });
    const reads = [...Array.from({ length: 19 }, (_, i) => junction(i)), misprimed];
    const bam = writeBam(dir, 'remainder-carried', CONTIGS, reads);
    const result = await scanBam(resolveSiteOptions({ bam, outDir: dir }));
    expect(result.counts.outcomes).toMatchObject({ no_ltr_remainder: 1, kept: 19 });
    expect(result.counts).toMatchObject({
      ltr_remainder_required: true,
      ltr_remainder_share: 0.95,
    });
    expect(result.table.sorted().some((s) => s.position === 70001)).toBe(false);

    // 17 of 20 (< 90 %): the reads need not carry it; nothing is dropped
    const fewer = [
      ...reads.slice(0, 17),
      misprimed,
      pair('other', { pos: 72001, cigar: '150M', matePos: 72451 }),
      pair('another', { pos: 74001, cigar: '150M', matePos: 74451 }),
    ];
    const bam2 = writeBam(dir, 'remainder-not-carried', CONTIGS, fewer);
    const kept = await scanBam(resolveSiteOptions({ bam: bam2, outDir: dir }));
    expect(kept.counts.outcomes).toMatchObject({ no_ltr_remainder: 0, kept: 20 });
    expect(kept.counts.ltr_remainder_required).toBe(false);
    expect(kept.table.sorted().map((s) => s.position)).toContain(70001);

    // no remainder configured: no share, nothing dropped
    const none = await scanBam(resolveSiteOptions({ bam, outDir: dir, ltrRemainder: '' }));
    expect(none.counts).toMatchObject({ ltr_remainder_required: false, ltr_remainder_share: null });
    expect(none.counts.outcomes.kept).toBe(20);
  });

  it("without an LTR remainder the site is the 5'-most aligned base", async () => {
    const bam = writeBam(dir, 'noremainder', CONTIGS, [KEPT[4][0], KEPT[8][0]]);
    const result = await scanBam(resolveSiteOptions({ bam, outDir: dir, ltrRemainder: '' }));
    expect(result.table.sorted().map((s) => [s.strand, s.position])).toEqual([
      ['+', 9998],
      ['-', 20003],
    ]);
  });

  it('reports a file that is not a BAM, naming it', async () => {
    const bad = path.join(dir, 'bad.bam');
    fs.writeFileSync(bad, 'not a bam\n');
    await expect(scanBam(resolveSiteOptions({ bam: bad, outDir: dir }))).rejects.toThrow(
      /bad\.bam: not a BAM file/,
    );
    await expect(
      scanBam(resolveSiteOptions({ bam: path.join(dir, 'missing.bam'), outDir: dir })),
    ).rejects.toThrow(/missing\.bam: cannot read/);
  });

  it('reports a truncated BAM', async () => {
    const bam = writeBam(
      dir,
      'whole',
      CONTIGS,
      KEPT.map(([p]) => p),
    );
    const raw = fs.readFileSync(bam);
    // decompress, cut in the middle of a record, recompress as one gzip member
    const plain = zlib.gunzipSync(raw);
    const cut = path.join(dir, 'cut.bam');
    fs.writeFileSync(cut, zlib.gzipSync(plain.subarray(0, plain.length - 10)));
    await expect(scanBam(resolveSiteOptions({ bam: cut, outDir: dir }))).rejects.toThrow(
      /cut\.bam: truncated BAM/,
    );
  });
});
