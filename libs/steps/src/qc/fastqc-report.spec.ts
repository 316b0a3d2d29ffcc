import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseFastqcData } from './fastqc-report';

// Real FastQC 0.11.9 output (`fastqc --extract`) for 500 simulated reads, most starting with
// the HIV-1 LTR primer and with poor 3' qualities.
const FIXTURE = path.join(__dirname, 'fixtures', 'R1_fastqc_data.txt');

describe('parseFastqcData', () => {
  it('reads the basic statistics and every module verdict of a real report', () => {
    expect(parseFastqcData(fs.readFileSync(FIXTURE, 'utf8'))).toEqual({
      total_sequences: 500,
      poor_quality_sequences: 0,
      sequence_length: '100-151',
      gc_percent: 48,
      modules: {
        'Basic Statistics': 'pass',
        'Per base sequence quality': 'fail',
        'Per tile sequence quality': 'pass',
        'Per sequence quality scores': 'pass',
        'Per base sequence content': 'fail',
        'Per sequence GC content': 'pass',
        'Per base N content': 'pass',
        'Sequence Length Distribution': 'warn',
        'Sequence Duplication Levels': 'pass',
        'Overrepresented sequences': 'warn',
        'Adapter Content': 'pass',
      },
    });
  });

  it('accepts Windows line ends', () => {
    const text = fs.readFileSync(FIXTURE, 'utf8').replace(/\n/g, '\r\n');
    const report = parseFastqcData(text);
    expect(report.sequence_length).toBe('100-151');
    expect(report.modules['Adapter Content']).toBe('pass');
  });

  it('leaves missing values null', () => {
    expect(parseFastqcData('')).toEqual({
      total_sequences: null,
      poor_quality_sequences: null,
      sequence_length: null,
      gc_percent: null,
      modules: {},
    });
    const partial = parseFastqcData(
      '##FastQC\t0.12.1\n>>Basic Statistics\twarn\nTotal Sequences\t12\n>>END_MODULE\n',
    );
    expect(partial).toMatchObject({
      total_sequences: 12,
      gc_percent: null,
      modules: { 'Basic Statistics': 'warn' },
    });
  });
});
