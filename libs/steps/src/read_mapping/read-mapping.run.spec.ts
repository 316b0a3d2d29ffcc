// The read_mapping plan run for real: the demo genome indexed with `bwa index`, reads simulated
// from that genome's chromosomes, preprocessed like the pipeline (the umi tool, then the two
// cutadapt passes, with the steps' own command builders), then the step's planned command lines
// run by the real job wrapper (pipefail semantics). Expectations come from the simulator's
// truth (read names say which site a pair comes from) and from samtools counting on its own.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Job, Run } from '@qslam/db';
import { LibraryPlan, writeSimulatedLibrary } from '@qslam/fastq';
import { writeDemoGenome } from '@qslam/genomes';
import { CommandLine, launchJob, readExitCode } from '@qslam/jobs';
import { waitFor } from '@qslam/jobs/test-support/job-harness';
import { defaultParams } from '@qslam/params';
import { cutadaptPassCommand } from '../cutadapt/cutadapt.step';
import { ResolvedGenome, StepContext } from '../step-definition';
import { umiCommand } from '../umi/umi.step';
import { RunWorkspace } from '../workspace';
import { MAPPING_FILES, readMappingStep } from './read-mapping.step';

jest.setTimeout(180_000);

const PAIRS = 3000;
const UMI = /_[ACGTN]{10}$/;
const run = {
  ...defaultParams(),
  id: 'mapping-test',
  name: 'mapping test',
  genome: 'demo',
  umi_read: 'R2',
  umi_pattern: 'NNNNNNNNNN',
  // As the README advises: no mispriming pair survives with a minimum overlap near the primer.
  r1_min_overlap: 20,
} as unknown as Run;

let tmp: string;
let genome: ResolvedGenome;
let plan: LibraryPlan;

const job = (id: number, step: string, status: Job['status'] = 'completed') =>
  ({ id, step_name: step, status, variant: null }) as Job;

function sh(argv: string[]): string {
  return execFileSync(argv[0], argv.slice(1), { maxBuffer: 1 << 28, stdio: 'pipe' }).toString();
}

function runDirect(line: CommandLine): void {
  expect(line).toHaveLength(1);
  const res = spawnSync(line[0].argv[0], line[0].argv.slice(1), { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`${line[0].argv[0]} failed: ${res.stderr}`);
}

let preprocessed: RunWorkspace | null = null;

/** A workspace whose cutPrimer/ holds the preprocessed reads (umi, then cutadapt). */
function preparedWorkspace(): { ws: RunWorkspace; history: Job[] } {
  const history = [job(1, 'upload'), job(2, 'umi'), job(3, 'cutadapt')];
  const ws = new RunWorkspace(path.join(tmp, 'runs'), randomUUID());
  if (preprocessed) {
    // The same reads again: copy the first workspace's instead of preprocessing them twice.
    for (const dir of ['rawdata', 'umi', 'cutPrimer']) {
      fs.cpSync(preprocessed.path(dir), ws.path(dir), { recursive: true });
    }
    fs.mkdirSync(ws.path('logs'));
    return { ws, history };
  }
  preprocessed = ws;
  for (const dir of ['rawdata', 'umi', 'cutPrimer', 'logs', 'pass1']) {
    fs.mkdirSync(ws.path(dir), { recursive: true });
  }
  for (const r of ['R1', 'R2']) {
    fs.copyFileSync(path.join(tmp, 'sim', `${r}.fastq.gz`), ws.path('rawdata', `${r}.fastq.gz`));
  }
  const raw = { r1: ws.rawR1, r2: ws.rawR2 };
  const umi = { r1: ws.path('umi/R1.fastq.gz'), r2: ws.path('umi/R2.fastq.gz') };
  const mid = { r1: ws.path('pass1/R1.fastq.gz'), r2: ws.path('pass1/R2.fastq.gz') };
  const cut = { r1: ws.path('cutPrimer/R1.fastq.gz'), r2: ws.path('cutPrimer/R2.fastq.gz') };
  runDirect(umiCommand(run, raw, ws.path('umi')));
  runDirect(
    cutadaptPassCommand(
      run,
      'r1',
      { input: umi, output: mid, report: ws.path('cutPrimer/cutadapt_r1.json') },
      1,
    ),
  );
  runDirect(
    cutadaptPassCommand(
      run,
      'r2',
      { input: mid, output: cut, report: ws.path('cutPrimer/cutadapt_r2.json') },
      1,
    ),
  );
  fs.rmSync(ws.path('pass1'), { recursive: true });
  return { ws, history };
}

/** Plans read_mapping as job 4 and runs it with the job wrapper; returns the exit status. */
async function runStep(ctx: StepContext): Promise<{ rc: number; staging: string; log: string }> {
  const staging = ctx.workspace.stagingDir(4);
  const stepPlan = readMappingStep.plan(ctx, staging);
  fs.mkdirSync(staging, { recursive: true });
  const files = ctx.workspace.jobFiles('read_mapping', 4);
  launchJob(
    {
      jobId: 4,
      cwd: ctx.workspace.root,
      commands: stepPlan.commands,
      logFile: files.log,
      rcFile: files.rc,
      pidFile: files.pid,
      heartbeatMs: 200,
      outputs: stepPlan.outputs,
    },
    files.script,
  );
  const rc = await waitFor('read_mapping rc', () => readExitCode(files.rc), 150_000);
  return { rc, staging, log: fs.readFileSync(files.log, 'utf8') };
}

function contextFor(ws: RunWorkspace, history: Job[], g: ResolvedGenome): StepContext {
  return {
    run,
    genome: g,
    workspace: ws,
    variant: null,
    threads: 2,
    history: [...history, job(4, 'read_mapping', 'running')],
  };
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'qslam-mapping-'));
  const demo = await writeDemoGenome(path.join(tmp, 'genome'));
  const prefix = path.join(tmp, 'genome', 'genome');
  sh(['bwa', 'index', '-p', prefix, demo.files.fasta]); // its progress goes to stderr, kept quiet
  genome = {
    name: 'demo',
    dir: path.join(tmp, 'genome'),
    fasta: demo.files.fasta,
    indexKind: 'bwa',
    indexPrefix: prefix,
    annotation: demo.files.gtf,
    vectorContigs: demo.genome.vectorContigs,
  };
  // Reads from the demo genome's own chromosomes (the simulator CLI draws a genome of its own).
  const chromosomes = demo.genome.contigs.filter(
    (c) => !demo.genome.vectorContigs.includes(c.name),
  );
  fs.mkdirSync(path.join(tmp, 'sim'));
  plan = await writeSimulatedLibrary(
    { seed: 11, genome: chromosomes, pairs: PAIRS, umiLength: 10, misprimingFraction: 0.05 },
    {
      r1: path.join(tmp, 'sim', 'R1.fastq.gz'),
      r2: path.join(tmp, 'sim', 'R2.fastq.gz'),
      truth: path.join(tmp, 'sim', 'truth.tsv'),
    },
  );
});

afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('read_mapping on simulated reads from the demo genome', () => {
  let ws: RunWorkspace;
  let ctx: StepContext;
  let bam: string;

  beforeAll(async () => {
    const prepared = preparedWorkspace();
    ws = prepared.ws;
    ctx = contextFor(ws, prepared.history, genome);
    const { rc, staging, log } = await runStep(ctx);
    if (rc !== 0) throw new Error(`read_mapping failed (${rc}):\n${log.slice(-3000)}`);
    // What the job finisher does on success: the staged folder replaces the workspace's.
    fs.renameSync(path.join(staging, 'bwa'), ws.path('bwa'));
    bam = ws.path('bwa', MAPPING_FILES.bam);
  });

  it('reads the end of the chain and writes a sorted, indexed BAM and no SAM', () => {
    const stepPlan = readMappingStep.plan(ctx, ws.stagingDir(5));
    expect(stepPlan.inputs[0].producer).toBe('cutadapt');
    expect(stepPlan.commands[1][0].argv.slice(-2)).toEqual([
      ws.path('cutPrimer/R1.fastq.gz'),
      ws.path('cutPrimer/R2.fastq.gz'),
    ]);
    expect(fs.readdirSync(ws.path('bwa')).sort()).toEqual(Object.values(MAPPING_FILES).sort());
    expect(sh(['samtools', 'view', '-H', bam])).toMatch(/^@HD\tVN:\S+\tSO:coordinate/m);
    const everything = sh(['find', ws.root, '-type', 'f']).split('\n');
    expect(everything.filter((f) => /\.sam$/.test(f))).toEqual([]);
  });

  it('maps ≥ 95 % of the site-derived pairs properly paired, on the true chromosome', () => {
    const sitePairs = new Map<number, number>(); // pair index → site index
    for (let i = 0; i < plan.assignment.length; i++) {
      const m = plan.assignment[i];
      if (m >= 0) sitePairs.set(i, plan.molecules[m].site);
    }
    expect(sitePairs.size).toBeGreaterThan(PAIRS * 0.9);
    // Primary R1 records: flag 0x40, not secondary/supplementary.
    const r1 = sh(['samtools', 'view', '-f', '0x40', '-F', '0x900', bam]).trim().split('\n');
    let good = 0;
    for (const line of r1) {
      const [name, flag, chrom] = line.split('\t');
      const m = /^sim(\d+):(\d+)_/.exec(name);
      if (!m) continue;
      const site = sitePairs.get(Number(m[1]));
      expect(site).toBe(Number(m[2]));
      const f = Number(flag);
      if (!(f & 0x4) && !(f & 0x8) && f & 0x2 && chrom === plan.truth[site!].chrom) good++;
    }
    // measured: 2,840 of 2,878 (98.7 %)
    expect(good / sitePairs.size).toBeGreaterThanOrEqual(0.95);
  });

  it('keeps the UMI suffix in every read name', () => {
    const names = sh(['samtools', 'view', bam])
      .trim()
      .split('\n')
      .map((l) => l.split('\t', 1)[0]);
    expect(names.length).toBeGreaterThan(PAIRS);
    expect(names.filter((n) => !UMI.test(n))).toEqual([]);
  });

  it('summarizes numbers that samtools, counting by itself, agrees with', async () => {
    const s = await readMappingStep.summarize(ctx);
    const count = (flag: string, bits: string, ...region: string[]) =>
      Number(sh(['samtools', 'view', '-c', flag, bits, bam, ...region]));
    const pairsIn =
      Number(sh(['sh', '-c', `zcat "$0" | wc -l`, ws.path('cutPrimer/R1.fastq.gz')])) / 4;
    const reads = count('-F', '0x900');
    const mapped = count('-F', '0x904');
    expect(s.pairs).toBe(pairsIn);
    expect(s.reads).toBe(2 * pairsIn);
    expect(s.reads).toBe(reads);
    expect(s.mapped).toBe(mapped);
    expect(s.mapped_pct).toBeCloseTo((100 * mapped) / reads, 2);
    expect(s.properly_paired).toBe(count('-f', '0x2', '-F', '0x900'));
    expect(s.genome).toBe('demo');
    expect(s.aligner).toEqual({ name: 'bwa', version: expect.stringMatching(/^0\.7\.\d+/) });
    const contigs = s.contigs as { contig: string; reads: number; alignments: number }[];
    for (const c of contigs) {
      expect(c.reads).toBe(count('-F', '0x904', c.contig));
    }
    expect(contigs.map((c) => c.contig)).toEqual(expect.arrayContaining(['chr1', 'chr2', 'chr3']));
    const vector = s.vector as { reads: number };
    expect(vector.reads).toBe(count('-F', '0x904', 'vector'));
    const mapq = s.mapq as { reads: number; bins: Record<string, number> };
    expect(mapq.reads).toBe(mapped);
    const atLeast = (q: number) =>
      Number(sh(['samtools', 'view', '-c', '-F', '0x904', '-q', String(q), bam]));
    expect(mapq.bins['>=40']).toBe(atLeast(40));
    expect(mapq.bins['0']).toBe(mapped - atLeast(1));
  });
});

describe('read_mapping when the aligner fails', () => {
  it('a missing index fails the job and leaves no BAM', async () => {
    const { ws, history } = preparedWorkspace();
    const missing = { ...genome, indexPrefix: path.join(tmp, 'nowhere', 'genome') };
    const { rc, staging, log } = await runStep(contextFor(ws, history, missing));
    expect(rc).not.toBe(0);
    expect(log).toMatch(/fail to locate the index/);
    const staged = fs.existsSync(path.join(staging, 'bwa'))
      ? fs.readdirSync(path.join(staging, 'bwa'))
      : [];
    expect(staged).toEqual([]);
    expect(fs.existsSync(ws.path('bwa'))).toBe(false);
  });

  it('bwa dying half-way fails the job although samtools sort exits 0 (pipefail)', async () => {
    const { ws, history } = preparedWorkspace();
    // A gzip cut in the middle: bwa maps the first batch, then stops with an error.
    const r2 = ws.path('cutPrimer/R2.fastq.gz');
    const whole = fs.readFileSync(r2);
    fs.writeFileSync(r2, whole.subarray(0, Math.floor(whole.length / 2)));
    const { rc, staging, log } = await runStep(contextFor(ws, history, genome));
    expect(rc).not.toBe(0);
    // sort did write a (partial) BAM into staging: only the exit status keeps it from being
    // published; the commands after the failed pipeline never ran.
    const staged = fs.readdirSync(path.join(staging, 'bwa'));
    expect(staged).toContain(MAPPING_FILES.bam);
    expect(staged).not.toContain(MAPPING_FILES.bai);
    expect(staged).not.toContain(MAPPING_FILES.flagstat);
    expect(log).not.toMatch(/\$ samtools index/);
    expect(log).toMatch(new RegExp(`exit status ${rc}`));
  });
});
