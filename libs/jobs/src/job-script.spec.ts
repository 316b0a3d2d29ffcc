import { command, describeCommandLine, exitStatusOf, pipeline } from './job-script';

describe('command lines', () => {
  it('builds one process or a pipeline as data', () => {
    expect(command('fastqc', '-o', 'out', 'R1.fastq.gz')).toEqual([
      { argv: ['fastqc', '-o', 'out', 'R1.fastq.gz'] },
    ]);
    expect(
      pipeline({ argv: ['zcat', 'a.gz'] }, { argv: ['wc', '-l'], stdoutFile: 'n.txt' }),
    ).toEqual([{ argv: ['zcat', 'a.gz'] }, { argv: ['wc', '-l'], stdoutFile: 'n.txt' }]);
  });

  it('renders a command line for the log, quoting what a shell would need', () => {
    expect(
      describeCommandLine(
        pipeline(
          { argv: ['cutadapt', '-g', '^ACGT', '-o', 'out dir/R1.fastq.gz'] },
          { argv: ['echo', "it's"], stdoutFile: 'a b.txt' },
        ),
      ),
    ).toBe(`cutadapt -g '^ACGT' -o 'out dir/R1.fastq.gz' | echo 'it'\\''s' > 'a b.txt'`);
    expect(describeCommandLine(command('ls', '-l', 'x=1,y@2:%+/.'))).toBe('ls -l x=1,y@2:%+/.');
  });
});

describe('exitStatusOf', () => {
  it('reports the code, or 128 + the signal number like a shell', () => {
    expect(exitStatusOf(0, null)).toBe(0);
    expect(exitStatusOf(3, null)).toBe(3);
    expect(exitStatusOf(null, 'SIGTERM')).toBe(143);
    expect(exitStatusOf(null, 'SIGKILL')).toBe(137);
    expect(exitStatusOf(null, 'SIGPIPE')).toBe(141);
    expect(exitStatusOf(null, 'SIGINT')).toBe(130);
  });
});
