import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Job, Run } from '@qslam/db';
import { defaultParams } from '@qslam/params';
import { MissingInputError, StepContext } from '../step-definition';
import { RunWorkspace } from '../workspace';
import { fastqcCommand, qcStep } from './qc.step';

const RUN_ID = '3a2b1c0d-9e8f-4a7b-86c5-d4e3f2a1b0c9';

describe('fastqcCommand', () => {
  const reads = { r1: 'in/R1.fastq.gz', r2: 'in/R2.fastq.gz' } as Parameters<
    typeof fastqcCommand
  >[0];

  it('builds one fastqc process with extraction into the output folder', () => {
    expect(fastqcCommand(reads, 'out/fastqc/beforeCutAdapt', 2)).toEqual([
      {
        argv: [
          'fastqc',
          '--outdir',
          'out/fastqc/beforeCutAdapt',
          '--threads',
          '2',
          '--extract',
          '--dir',
          'out/fastqc/beforeCutAdapt',
          'in/R1.fastq.gz',
          'in/R2.fastq.gz',
        ],
      },
    ]);
  });

  it('uses between 1 and 2 threads (one per file)', () => {
    const threads = (n: number) => fastqcCommand(reads, 'o', n)[0].argv[4];
    expect([threads(0), threads(1), threads(2), threads(16)]).toEqual(['1', '1', '2', '2']);
  });
});

describe('qc step plan', () => {
  let runsDir: string;
  let ws: RunWorkspace;
  const staging = '/stage/5';
  const upload = { id: 1, step_name: 'upload', status: 'completed', variant: null } as Job;
  const ctx = (variant: string | null, history: Job[] = [upload], threads = 4): StepContext => ({
    run: { id: RUN_ID, ...defaultParams() } as Run,
    workspace: ws,
    variant,
    threads,
    history,
  });
  const writePair = (dir: string) => {
    fs.mkdirSync(ws.path(dir), { recursive: true });
    for (const r of ['R1', 'R2']) fs.writeFileSync(ws.path(dir, `${r}.fastq.gz`), 'x');
  };

  beforeEach(() => {
    runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qslam-qc-'));
    ws = new RunWorkspace(runsDir, RUN_ID);
    writePair('rawdata');
  });
  afterEach(() => fs.rmSync(runsDir, { recursive: true, force: true }));

  it('before: FastQC on the raw upload into fastqc/beforeCutAdapt', () => {
    const plan = qcStep.plan(ctx('before'), staging);
    expect(plan.outputs).toEqual(['fastqc/beforeCutAdapt']);
    expect(plan.commands.map((c) => c.map((s) => s.argv))).toEqual([
      [['mkdir', '-p', '/stage/5/fastqc/beforeCutAdapt']],
      [
        [
          'fastqc',
          '--outdir',
          '/stage/5/fastqc/beforeCutAdapt',
          '--threads',
          '2',
          '--extract',
          '--dir',
          '/stage/5/fastqc/beforeCutAdapt',
          ws.path('rawdata/R1.fastq.gz'),
          ws.path('rawdata/R2.fastq.gz'),
        ],
      ],
    ]);
    expect(plan.inputs).toEqual([
      expect.objectContaining({ producer: 'upload', producerJobId: 1 }),
    ]);
  });

  it('treats no variant as before', () => {
    expect(qcStep.plan(ctx(null), staging).outputs).toEqual(['fastqc/beforeCutAdapt']);
  });

  it('after: FastQC on the end of the chain into fastqc/afterCutAdapt', () => {
    // no chain step run: the raw reads are the end of the chain
    const raw = qcStep.plan(ctx('after'), staging);
    expect(raw.outputs).toEqual(['fastqc/afterCutAdapt']);
    expect(raw.commands[1][0].argv.slice(-2)).toEqual([
      ws.path('rawdata/R1.fastq.gz'),
      ws.path('rawdata/R2.fastq.gz'),
    ]);
    // after cutadapt completed: its trimmed reads
    writePair('cutPrimer');
    const cut = { id: 2, step_name: 'cutadapt', status: 'completed', variant: null } as Job;
    const plan = qcStep.plan(ctx('after', [upload, cut], 1), staging);
    expect(plan.commands.map((c) => c[0].argv)).toEqual([
      ['mkdir', '-p', '/stage/5/fastqc/afterCutAdapt'],
      [
        'fastqc',
        '--outdir',
        '/stage/5/fastqc/afterCutAdapt',
        '--threads',
        '1',
        '--extract',
        '--dir',
        '/stage/5/fastqc/afterCutAdapt',
        ws.path('cutPrimer/R1.fastq.gz'),
        ws.path('cutPrimer/R2.fastq.gz'),
      ],
    ]);
    expect(plan.inputs[0]).toMatchObject({
      producer: 'cutadapt',
      producerJobId: 2,
      rel: { r1: 'cutPrimer/R1.fastq.gz', r2: 'cutPrimer/R2.fastq.gz' },
    });
  });

  it('both: two stages, before then after, each into its own folder', () => {
    writePair('fastp');
    const fastp = { id: 3, step_name: 'fastp', status: 'completed', variant: null } as Job;
    const plan = qcStep.plan(ctx('both', [upload, fastp]), staging);
    expect(plan.outputs).toEqual(['fastqc/beforeCutAdapt', 'fastqc/afterCutAdapt']);
    expect(plan.commands).toHaveLength(4);
    const [mkBefore, before, mkAfter, after] = plan.commands.map((c) => c[0].argv);
    expect(mkBefore).toEqual(['mkdir', '-p', '/stage/5/fastqc/beforeCutAdapt']);
    expect(before[2]).toBe('/stage/5/fastqc/beforeCutAdapt');
    expect(before.slice(-1)).toEqual([ws.path('rawdata/R2.fastq.gz')]);
    expect(mkAfter).toEqual(['mkdir', '-p', '/stage/5/fastqc/afterCutAdapt']);
    expect(after[2]).toBe('/stage/5/fastqc/afterCutAdapt');
    expect(after.slice(-1)).toEqual([ws.path('fastp/R2.fastq.gz')]);
    expect(plan.inputs.map((i) => i.producer)).toEqual(['upload', 'fastp']);
  });

  it('refuses to start without raw reads, naming the missing files', () => {
    fs.rmSync(ws.path('rawdata'), { recursive: true });
    expect(() => qcStep.plan(ctx('before'), staging)).toThrow(MissingInputError);
    expect(() => qcStep.plan(ctx('both'), staging)).toThrow(/rawdata\/R1\.fastq\.gz/);
  });

  it("defaults the stage to the run's qc_stage and depends on the chain only after trimming", () => {
    expect(qcStep.variant?.defaultFor({ ...defaultParams(), qc_stage: 'both' } as Run)).toBe(
      'both',
    );
    expect(qcStep.variant?.values).toEqual(['before', 'after', 'both']);
    expect(qcStep.upstream?.('before')).toEqual([]);
    expect(qcStep.upstream?.('after')).toEqual(['umi', 'cutadapt', 'fastp']);
    expect(qcStep.upstream?.('both')).toEqual(['umi', 'cutadapt', 'fastp']);
  });

  it('summarises the extracted reports of each stage', async () => {
    const data = fs.readFileSync(path.join(__dirname, 'fixtures', 'R1_fastqc_data.txt'), 'utf8');
    for (const read of ['R1', 'R2']) {
      const dir = ws.path('fastqc', 'afterCutAdapt', `${read}_fastqc`);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'fastqc_data.txt'), data);
    }
    const summary = await qcStep.summarize(ctx('after'));
    expect(Object.keys(summary)).toEqual(['after']);
    expect(summary.after).toMatchObject({
      R1: { total_sequences: 500, report: 'fastqc/afterCutAdapt/R1_fastqc.html' },
      R2: { gc_percent: 48, report: 'fastqc/afterCutAdapt/R2_fastqc.html' },
    });
    await expect(qcStep.summarize(ctx('both'))).rejects.toThrow(/ENOENT/);
  });
});
