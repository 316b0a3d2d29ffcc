import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConflictError } from '@qslam/common';
import type { Run } from '@qslam/db';
import { StepContext } from '../step-definition';
import { RunWorkspace } from '../workspace';
import {
  alignerFromLog,
  parseFlagstat,
  parseIdxstats,
  parseMapqTable,
  summarizeMapping,
  summarizeMapq,
} from './mapping-report';
import {
  chooseAligner,
  MAPQ_AWK_PROGRAM,
  mappingCommands,
  readMappingStep,
  requireGenome,
} from './read-mapping.step';

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, 'fixtures', name), 'utf8');

const io = {
  indexPrefix: '/data/references/demo/genome',
  reads: { r1: '/ws/fastp/R1.fastq.gz', r2: '/ws/fastp/R2.fastq.gz' },
  outDir: '/ws/.staging/7/bwa',
  sortTmpPrefix: '/ws/.staging/7/aligned.sort',
  threads: 3,
};

describe('read_mapping command lines', () => {
  it('pipes bwa mem straight into samtools sort, then index, flagstat, idxstats and MAPQ', () => {
    expect(mappingCommands({ ...io, aligner: 'bwa' })).toEqual([
      [{ argv: ['mkdir', '-p', '/ws/.staging/7/bwa'] }],
      [
        {
          argv: [
            'bwa',
            'mem',
            '-t',
            '3',
            '/data/references/demo/genome',
            '/ws/fastp/R1.fastq.gz',
            '/ws/fastp/R2.fastq.gz',
          ],
        },
        {
          argv: [
            'samtools',
            'sort',
            '-@',
            '3',
            '-m',
            '1G',
            '-T',
            '/ws/.staging/7/aligned.sort',
            '-o',
            '/ws/.staging/7/bwa/aligned.sorted.bam',
            '-',
          ],
        },
      ],
      [{ argv: ['samtools', 'index', '-@', '3', '/ws/.staging/7/bwa/aligned.sorted.bam'] }],
      [
        {
          argv: ['samtools', 'flagstat', '-@', '3', '/ws/.staging/7/bwa/aligned.sorted.bam'],
          stdoutFile: '/ws/.staging/7/bwa/aligned.stat',
        },
      ],
      [
        {
          argv: ['samtools', 'idxstats', '/ws/.staging/7/bwa/aligned.sorted.bam'],
          stdoutFile: '/ws/.staging/7/bwa/idxstats.tsv',
        },
      ],
      [
        {
          argv: [
            'samtools',
            'view',
            '-@',
            '3',
            '-F',
            '0x904',
            '/ws/.staging/7/bwa/aligned.sorted.bam',
          ],
        },
        { argv: ['awk', MAPQ_AWK_PROGRAM], stdoutFile: '/ws/.staging/7/bwa/mapq.tsv' },
      ],
    ]);
  });

  it('runs bwa-mem2 mem with the same arguments for a bwa-mem2 index', () => {
    const lines = mappingCommands({ ...io, aligner: 'bwa-mem2', threads: 1 });
    expect(lines[1][0].argv).toEqual([
      'bwa-mem2',
      'mem',
      '-t',
      '1',
      '/data/references/demo/genome',
      '/ws/fastp/R1.fastq.gz',
      '/ws/fastp/R2.fastq.gz',
    ]);
    expect(lines[1][1].argv.slice(0, 4)).toEqual(['samtools', 'sort', '-@', '1']);
    // No SAM file anywhere: sort reads stdin, and nothing else names a .sam.
    expect(JSON.stringify(lines)).not.toMatch(/\.sam\b/);
    // No -C (it would append the FASTQ comment to the read name's record) and no shell.
    expect(lines.flat().some((s) => s.argv.includes('-C'))).toBe(false);
    expect(lines.flat().map((s) => s.argv[0])).not.toContain('bash');
  });

  it('chooses bwa-mem2 only when its index and binary exist', () => {
    const g = { name: 'hg38', indexKind: 'bwa-mem2' as const, indexPrefix: '/r/hg38/genome' };
    expect(chooseAligner({ ...g, indexKind: 'bwa' }, () => true)).toBe('bwa');
    expect(chooseAligner(g, (b) => b === 'bwa-mem2')).toBe('bwa-mem2');
    expect(
      chooseAligner(
        g,
        () => false,
        (f) => f === '/r/hg38/genome.bwt' || f === '/r/hg38/genome.sa',
      ),
    ).toBe('bwa');
    expect(() =>
      chooseAligner(
        g,
        () => false,
        (f) => f === '/r/hg38/genome.bwt',
      ),
    ).toThrow(ConflictError);
    expect(() =>
      chooseAligner(
        g,
        () => false,
        () => false,
      ),
    ).toThrow(ConflictError);
    expect(() =>
      chooseAligner(
        g,
        () => false,
        () => false,
      ),
    ).toThrow(/hg38.*bwa-mem2/);
  });

  it('refuses to plan without the genome, naming it (409)', () => {
    const ctx = {
      run: { id: 'r1', genome: 'GRCm39' } as Run,
      genome: null,
      workspace: {} as RunWorkspace,
      variant: null,
      threads: 1,
      history: [],
    } as StepContext;
    expect(() => requireGenome(ctx)).toThrow(ConflictError);
    expect(() => requireGenome(ctx)).toThrow(/Genome GRCm39 of run r1 is not installed/);
    expect(readMappingStep.needsGenome).toBe(true);
    expect(readMappingStep.upstream?.(null)).toEqual(['umi', 'cutadapt', 'fastp']);
  });
});

describe('read_mapping summary', () => {
  // Real output of samtools 1.16 on 20,000 simulated pairs mapped to the demo genome.
  const flagstat = parseFlagstat(fixture('aligned.stat'));
  const idxstats = parseIdxstats(fixture('idxstats.tsv'));
  const mapq = parseMapqTable(fixture('mapq.tsv'));

  it('parses flagstat lines by label, the first of equal labels winning', () => {
    expect(flagstat['in total']).toBe(42035);
    expect(flagstat['primary']).toBe(40000);
    expect(flagstat['supplementary']).toBe(2035);
    expect(flagstat['mapped']).toBe(42035);
    expect(flagstat['primary mapped']).toBe(40000);
    expect(flagstat['properly paired']).toBe(39860);
    expect(flagstat['read1']).toBe(20000);
    // "with mate mapped to a different chr" comes twice; the second is the mapQ>=5 one.
    expect(flagstat['with mate mapped to a different chr']).toBe(28);
    expect(() => parseFlagstat('hello\n')).toThrow(/flagstat/);
  });

  it('parses idxstats and the MAPQ table', () => {
    expect(idxstats).toEqual([
      { contig: 'chr1', length: 300000, mapped: 22928, unmapped: 0 },
      { contig: 'chr2', length: 200000, mapped: 10414, unmapped: 0 },
      { contig: 'chr3', length: 100000, mapped: 6658, unmapped: 0 },
      { contig: 'vector', length: 4000, mapped: 2035, unmapped: 0 },
      { contig: '*', length: 0, mapped: 0, unmapped: 0 },
    ]);
    expect(mapq).toContainEqual({ contig: 'chr2', mapq: 60, reads: 10400 });
    expect(mapq.reduce((n, r) => n + r.reads, 0)).toBe(40000);
    expect(() => parseMapqTable('chr1\tx\t3\n')).toThrow(/bad MAPQ/);
  });

  it('reports pairs, percentages over primary reads, vector reads and per-contig counts', () => {
    const s = summarizeMapping({ flagstat, idxstats, mapq, vectorContigs: ['vector'] });
    expect(s).toMatchObject({
      pairs: 20000,
      reads: 40000,
      mapped: 40000,
      mapped_pct: 100,
      properly_paired: 39860,
      properly_paired_pct: 99.65,
      supplementary: 2035,
      mate_on_other_contig: 28,
      // supplementary pieces are alignments, not reads: 14 primary reads, 2035 records
      vector: { contigs: ['vector'], reads: 14, reads_pct: 0.04, alignments: 2035 },
      other_contigs: null,
    });
    expect(s.contigs).toEqual([
      { contig: 'chr1', length: 300000, reads: 22928, alignments: 22928 },
      { contig: 'chr2', length: 200000, reads: 10400, alignments: 10414 },
      { contig: 'chr3', length: 100000, reads: 6658, alignments: 6658 },
      { contig: 'vector', length: 4000, reads: 14, alignments: 2035 },
    ]);
    expect(s.mapq).toEqual({
      reads: 40000,
      bins: { '0': 14, '1-19': 0, '20-39': 0, '>=40': 39986 },
      median: 60,
      mean: 59.98,
    });
    expect(summarizeMapping({ flagstat, idxstats, mapq, vectorContigs: null }).vector).toBeNull();
  });

  it('bins MAPQ values and takes the lower median', () => {
    const rows = [
      { contig: 'a', mapq: 0, reads: 3 },
      { contig: 'b', mapq: 0, reads: 1 },
      { contig: 'a', mapq: 1, reads: 1 },
      { contig: 'a', mapq: 19, reads: 2 },
      { contig: 'a', mapq: 20, reads: 1 },
      { contig: 'a', mapq: 39, reads: 1 },
      { contig: 'a', mapq: 40, reads: 1 },
    ];
    // 10 reads in MAPQ order: 0 0 0 0 1 | 19 19 20 39 40 → lower median = 5th = 1
    expect(summarizeMapq(rows)).toEqual({
      reads: 10,
      bins: { '0': 4, '1-19': 3, '20-39': 2, '>=40': 1 },
      median: 1,
      mean: 13.8,
    });
    expect(summarizeMapq([])).toEqual({
      reads: 0,
      bins: { '0': 0, '1-19': 0, '20-39': 0, '>=40': 0 },
      median: null,
      mean: null,
    });
  });

  it('reads the aligner and its version from the job log', () => {
    const log = [
      '[M::mem_pestat] skip orientation RR as there are not enough pairs',
      '[main] Version: 0.7.17-r1188',
      '[main] CMD: /usr/bin/bwa mem -t 2 genome/genome c1.fq.gz c2.fq.gz',
      '[main] Real time: 0.772 sec; CPU: 1.254 sec',
    ].join('\n');
    expect(alignerFromLog(log)).toEqual({ name: 'bwa', version: '0.7.17-r1188' });
    expect(alignerFromLog('[qslam] exit status 1\n')).toBeNull();
  });
});
