import { defaultParams } from '@qslam/params';
import type { Run } from '@qslam/db';
import { cutadaptPassCommand, summarizeCutadapt } from './cutadapt.step';

const run = (over: Partial<Run> = {}): Run =>
  ({ id: 'r', name: 'n', ...defaultParams(), ...over }) as Run;
const io = {
  input: { r1: 'in/R1.fastq.gz', r2: 'in/R2.fastq.gz' },
  output: { r1: 'out/R1.fastq.gz', r2: 'out/R2.fastq.gz' },
  report: 'out/report.json',
};

describe('cutadapt arguments', () => {
  it('pass 1 removes r1_seq from R1 with the run parameters and drops untrimmed pairs', () => {
    expect(cutadaptPassCommand(run(), 'r1', io, 2)).toEqual([
      {
        argv: [
          'cutadapt',
          '-g',
          'ATCCCTCAGACCCTTTTAGTCAGTGTGGAAAATCTC;min_overlap=5',
          '-e',
          '0.3',
          '--pair-filter',
          'both',
          '-m',
          '30',
          '--discard-untrimmed',
          '-j',
          '2',
          '--json',
          'out/report.json',
          '-o',
          'out/R1.fastq.gz',
          '-p',
          'out/R2.fastq.gz',
          'in/R1.fastq.gz',
          'in/R2.fastq.gz',
        ],
      },
    ]);
  });

  it('pass 2 removes r2_seq from R2 with -G and never discards untrimmed pairs', () => {
    const argv = cutadaptPassCommand(
      run({
        r2_anchored: true,
        r2_trim_leading_trailing: -3,
        r2_pair_filter: 'any',
        r2_min_overlap: 12,
      }),
      'r2',
      io,
      1,
    )[0].argv;
    expect(argv.slice(0, 11)).toEqual([
      'cutadapt',
      '-G',
      '^GACTGCGTATCAGT;min_overlap=12',
      '-e',
      '0.1',
      '-U',
      '-3',
      '--pair-filter',
      'any',
      '-m',
      '30',
    ]);
    expect(argv).not.toContain('--discard-untrimmed');
  });

  it('anchors, cuts and keeps untrimmed R1 as configured', () => {
    const argv = cutadaptPassCommand(
      run({
        r1_anchored: true,
        r1_trim_leading_trailing: 4,
        r1_discard_untrimmed: false,
        r1_error_rate: 0.2,
      }),
      'r1',
      io,
      4,
    )[0].argv;
    expect(argv.slice(0, 7)).toEqual([
      'cutadapt',
      '-g',
      '^ATCCCTCAGACCCTTTTAGTCAGTGTGGAAAATCTC;min_overlap=5',
      '-e',
      '0.2',
      '--cut',
      '4',
    ]);
    expect(argv).not.toContain('--discard-untrimmed');
    expect(argv[argv.indexOf('-j') + 1]).toBe('4');
  });
});

describe('summarizeCutadapt', () => {
  it('combines the two passes into pair counts and percentages', () => {
    const pass1 = {
      read_counts: {
        input: 5000,
        output: 4059,
        read1_with_adapter: 4059,
        read2_with_adapter: null,
        filtered: { too_short: 0, discard_untrimmed: 941 },
      },
    };
    const pass2 = {
      read_counts: {
        input: 4059,
        output: 4000,
        read1_with_adapter: null,
        read2_with_adapter: 4058,
        filtered: { too_short: 59, discard_untrimmed: null },
      },
    };
    expect(summarizeCutadapt(pass1, pass2)).toMatchObject({
      pairs_in: 5000,
      r1_with_primer: 4059,
      r1_with_primer_pct: 81.18,
      r2_with_linker: 4058,
      r2_with_linker_pct: 99.98,
      discarded_without_primer: 941,
      discarded_without_primer_pct: 18.82,
      too_short: 59,
      too_short_pct: 1.18,
      pairs_written: 4000,
      pairs_written_pct: 80,
    });
  });
});
