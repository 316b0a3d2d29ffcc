import { defaultParams } from '@qslam/params';
import type { Run } from '@qslam/db';
import { fastpCommand, summarizeFastp } from './fastp.step';

const run = (over: Partial<Run> = {}): Run =>
  ({ id: 'r', name: 'exp 1', ...defaultParams(), ...over }) as Run;

describe('fastp arguments', () => {
  it('writes reads and both reports into the output folder and never cuts the 5 prime end', () => {
    const [{ argv }] = fastpCommand(run(), { r1: 'a/R1.fastq.gz', r2: 'a/R2.fastq.gz' }, 'out', 2);
    expect(argv).toEqual([
      'fastp',
      '-i',
      'a/R1.fastq.gz',
      '-I',
      'a/R2.fastq.gz',
      '-o',
      'out/R1.fastq.gz',
      '-O',
      'out/R2.fastq.gz',
      '-h',
      'out/fastp.html',
      '-j',
      'out/fastp.json',
      '-R',
      'fastp report, run exp 1',
      '-w',
      '2',
      '-f',
      '0',
      '-F',
      '0',
      '-q',
      '15',
      '-l',
      '30',
      '--cut_tail',
    ]);
    for (const forbidden of ['--cut_front', '-5', '--trim_front1', '--cut_right', '-r']) {
      expect(argv).not.toContain(forbidden);
    }
  });

  it('takes quality, length and tail trimming from the run', () => {
    const [{ argv }] = fastpCommand(
      run({ fastp_qualified_quality: 20, fastp_length_required: 50, fastp_cut_tail: false }),
      { r1: 'x1', r2: 'x2' },
      'o',
      1,
    );
    expect(argv.slice(-4)).toEqual(['-q', '20', '-l', '50']);
  });
});

describe('summarizeFastp', () => {
  it('reports pairs, Q30 rates, duplication and the insert size peak', () => {
    const stats = (reads: number, q30: number, l1: number, l2: number) => ({
      total_reads: reads,
      total_bases: reads * 100,
      q30_rate: q30,
      read1_mean_length: l1,
      read2_mean_length: l2,
    });
    expect(
      summarizeFastp({
        summary: {
          before_filtering: stats(8118, 0.99131, 114, 136),
          after_filtering: stats(8000, 0.99245, 112, 131),
        },
        duplication: { rate: 0.68421 },
        insert_size: { peak: 114, unknown: 3 },
        filtering_result: { passed_filter_reads: 8000, too_short_reads: 118 },
      }),
    ).toEqual({
      pairs_before: 4059,
      pairs_after: 4000,
      pairs_kept_pct: 98.55,
      q30_rate_before: 0.9913,
      q30_rate_after: 0.9925,
      mean_length_before: { R1: 114, R2: 136 },
      mean_length_after: { R1: 112, R2: 131 },
      duplication_rate: 0.6842,
      insert_size_peak: 114,
      filtering: { passed_filter_reads: 8000, too_short_reads: 118 },
    });
  });
});
