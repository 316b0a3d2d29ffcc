/**
 * `fastp`: quality processing of the chain's current reads into `fastp/R1.fastq.gz`,
 * `fastp/R2.fastq.gz`, with `fastp.html` and `fastp.json` kept in the workspace.
 *
 * The 5' end of R1 is where the integration site is, so nothing may cut it: no `--cut_front`,
 * no `--trim_front1`; `-f 0 -F 0` state that explicitly. What fastp does here trims 3' ends only
 * (`--cut_tail` sliding window, adapter trimming by overlap, poly-G tails) or drops whole pairs
 * (`-q` qualified quality, `-l` minimum length).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Run } from '@qslam/db';
import { command, CommandLine } from '@qslam/jobs';
import { chainInput, pairPaths, upstreamSteps } from '../chain';
import { StepContext, StepDefinition, StepPlan, StepSummary } from '../step-definition';

export const FASTP_DIR = 'fastp';

/** The fastp arguments; pure. */
export function fastpCommand(
  run: Run,
  input: { r1: string; r2: string },
  outDir: string,
  threads: number,
): CommandLine {
  const argv = [
    'fastp',
    '-i',
    input.r1,
    '-I',
    input.r2,
    '-o',
    path.join(outDir, 'R1.fastq.gz'),
    '-O',
    path.join(outDir, 'R2.fastq.gz'),
    '-h',
    path.join(outDir, 'fastp.html'),
    '-j',
    path.join(outDir, 'fastp.json'),
    '-R',
    `fastp report, run ${run.name ?? run.id}`,
    '-w',
    String(Math.max(1, Math.min(threads, 16))),
    '-f',
    '0',
    '-F',
    '0',
    '-q',
    String(run.fastp_qualified_quality),
    '-l',
    String(run.fastp_length_required),
  ];
  if (run.fastp_cut_tail) argv.push('--cut_tail');
  return command(...argv);
}

function plan(ctx: StepContext, stagingRoot: string): StepPlan {
  const input = chainInput(ctx.workspace, ctx.history, 'fastp');
  const out = path.join(stagingRoot, FASTP_DIR);
  return {
    commands: [command('mkdir', '-p', out), fastpCommand(ctx.run, input, out, ctx.threads)],
    outputs: [FASTP_DIR],
    inputs: [input],
  };
}

interface FastpStats {
  total_reads: number;
  total_bases: number;
  q30_rate: number;
  read1_mean_length: number;
  read2_mean_length: number;
}
interface FastpReport {
  summary: { before_filtering: FastpStats; after_filtering: FastpStats };
  filtering_result?: Record<string, number>;
  duplication?: { rate: number };
  insert_size?: { peak: number; unknown: number };
}

const round = (x: number, digits = 4) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Summary numbers from fastp.json (reads are counted per read; pairs = reads / 2); pure. */
export function summarizeFastp(report: FastpReport): StepSummary {
  const { before_filtering: before, after_filtering: after } = report.summary;
  return {
    pairs_before: before.total_reads / 2,
    pairs_after: after.total_reads / 2,
    pairs_kept_pct:
      before.total_reads > 0 ? round((100 * after.total_reads) / before.total_reads, 2) : 0,
    q30_rate_before: round(before.q30_rate),
    q30_rate_after: round(after.q30_rate),
    mean_length_before: { R1: before.read1_mean_length, R2: before.read2_mean_length },
    mean_length_after: { R1: after.read1_mean_length, R2: after.read2_mean_length },
    duplication_rate: report.duplication ? round(report.duplication.rate) : null,
    insert_size_peak: report.insert_size?.peak ?? null,
    filtering: report.filtering_result ?? {},
  };
}

async function summarize(ctx: StepContext): Promise<StepSummary> {
  const text = await fs.promises.readFile(ctx.workspace.path(FASTP_DIR, 'fastp.json'), 'utf8');
  return {
    ...summarizeFastp(JSON.parse(text) as FastpReport),
    reads: pairPaths(FASTP_DIR),
    report: `${FASTP_DIR}/fastp.html`,
  };
}

export const fastpStep: StepDefinition = {
  name: 'fastp',
  description: "Quality processing with fastp (3' trimming and pair filters; R1 5' ends untouched)",
  plan,
  summarize,
  upstream: () => upstreamSteps('fastp'),
};
