/**
 * `cutadapt`: two passes, as the lab runs them. Pass 1 removes the LTR primer `r1_seq` from the
 * 5' end of R1 (`-g`, anchored `^` when `r1_anchored`); pass 2 removes the linker `r2_seq` from
 * the 5' end of R2 (`-G`). Each pass takes its own error rate, unconditional cut, minimum
 * overlap, pair filter and minimum length from the run. With `r1_discard_untrimmed` (default)
 * pass 1 drops pairs whose R1 carries no LTR primer: they are mispriming products without a
 * vector–host junction, and every one of them would become a false integration site downstream.
 *
 * Outputs `cutPrimer/R1.fastq.gz`, `cutPrimer/R2.fastq.gz` and the two JSON reports; the pass-1
 * intermediates are removed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Run } from '@qslam/db';
import { command, CommandLine } from '@qslam/jobs';
import { chainInput, pairPaths, ReadPair, upstreamSteps } from '../chain';
import { StepContext, StepDefinition, StepPlan, StepSummary } from '../step-definition';

export const CUTADAPT_DIR = 'cutPrimer';
const PASS_REPORTS = { r1: 'cutadapt_r1.json', r2: 'cutadapt_r2.json' } as const;

export interface CutadaptPass {
  input: { r1: string; r2: string };
  output: { r1: string; r2: string };
  report: string;
}

/** The cutadapt arguments of one pass (`r1`: primer on R1; `r2`: linker on R2); pure. */
export function cutadaptPassCommand(
  run: Run,
  read: 'r1' | 'r2',
  io: CutadaptPass,
  threads: number,
): CommandLine {
  const p = {
    seq: read === 'r1' ? run.r1_seq : run.r2_seq,
    e: read === 'r1' ? run.r1_error_rate : run.r2_error_rate,
    cut: read === 'r1' ? run.r1_trim_leading_trailing : run.r2_trim_leading_trailing,
    anchored: read === 'r1' ? run.r1_anchored : run.r2_anchored,
    overlap: read === 'r1' ? run.r1_min_overlap : run.r2_min_overlap,
    pairFilter: read === 'r1' ? run.r1_pair_filter : run.r2_pair_filter,
    minLength: read === 'r1' ? run.r1_minimum_length_of_read : run.r2_minimum_length_of_read,
  };
  const adapter = `${p.anchored ? '^' : ''}${p.seq};min_overlap=${p.overlap}`;
  const argv = ['cutadapt', read === 'r1' ? '-g' : '-G', adapter, '-e', String(p.e)];
  if (p.cut !== 0) argv.push(read === 'r1' ? '--cut' : '-U', String(p.cut));
  argv.push('--pair-filter', p.pairFilter, '-m', String(p.minLength));
  if (read === 'r1' && run.r1_discard_untrimmed) argv.push('--discard-untrimmed');
  argv.push('-j', String(Math.max(1, threads)), '--json', io.report);
  argv.push('-o', io.output.r1, '-p', io.output.r2, io.input.r1, io.input.r2);
  return command(...argv);
}

function sequenceOf(run: Run, read: 'r1' | 'r2'): string {
  const seq = read === 'r1' ? run.r1_seq : run.r2_seq;
  if (!seq) throw new Error(`run ${run.id} has no ${read}_seq`);
  return seq;
}

function plan(ctx: StepContext, stagingRoot: string): StepPlan {
  const input: ReadPair = chainInput(ctx.workspace, ctx.history, 'cutadapt');
  sequenceOf(ctx.run, 'r1');
  sequenceOf(ctx.run, 'r2');
  const out = path.join(stagingRoot, CUTADAPT_DIR);
  const pass1 = path.join(stagingRoot, 'pass1');
  const mid = { r1: path.join(pass1, 'R1.fastq.gz'), r2: path.join(pass1, 'R2.fastq.gz') };
  const final = { r1: path.join(out, 'R1.fastq.gz'), r2: path.join(out, 'R2.fastq.gz') };
  return {
    commands: [
      command('mkdir', '-p', out, pass1),
      cutadaptPassCommand(
        ctx.run,
        'r1',
        { input, output: mid, report: path.join(out, PASS_REPORTS.r1) },
        ctx.threads,
      ),
      cutadaptPassCommand(
        ctx.run,
        'r2',
        { input: mid, output: final, report: path.join(out, PASS_REPORTS.r2) },
        ctx.threads,
      ),
      command('rm', '-rf', pass1),
    ],
    outputs: [CUTADAPT_DIR],
    inputs: [input],
  };
}

interface CutadaptReport {
  read_counts: {
    input: number;
    output: number;
    read1_with_adapter: number | null;
    read2_with_adapter: number | null;
    filtered: Record<string, number | null>;
  };
}

const pct = (n: number, of: number) => (of > 0 ? Math.round((1e4 * n) / of) / 100 : 0);

/** Summary numbers of the two passes from cutadapt's JSON reports; pure. */
export function summarizeCutadapt(r1: CutadaptReport, r2: CutadaptReport): StepSummary {
  const pairsIn = r1.read_counts.input;
  const f1 = r1.read_counts.filtered;
  const f2 = r2.read_counts.filtered;
  const r1Adapter = r1.read_counts.read1_with_adapter ?? 0;
  const r2Adapter = r2.read_counts.read2_with_adapter ?? 0;
  const tooShort = (f1.too_short ?? 0) + (f2.too_short ?? 0);
  const untrimmed = f1.discard_untrimmed ?? 0;
  const written = r2.read_counts.output;
  return {
    pairs_in: pairsIn,
    r1_with_primer: r1Adapter,
    r1_with_primer_pct: pct(r1Adapter, pairsIn),
    r2_with_linker: r2Adapter,
    r2_with_linker_pct: pct(r2Adapter, r2.read_counts.input),
    discarded_without_primer: untrimmed,
    discarded_without_primer_pct: pct(untrimmed, pairsIn),
    too_short: tooShort,
    too_short_pct: pct(tooShort, pairsIn),
    pairs_written: written,
    pairs_written_pct: pct(written, pairsIn),
    passes: {
      r1: { pairs_in: pairsIn, pairs_out: r1.read_counts.output, filtered: f1 },
      r2: { pairs_in: r2.read_counts.input, pairs_out: written, filtered: f2 },
    },
  };
}

async function summarize(ctx: StepContext): Promise<StepSummary> {
  const read = async (name: string) =>
    JSON.parse(
      await fs.promises.readFile(ctx.workspace.path(CUTADAPT_DIR, name), 'utf8'),
    ) as CutadaptReport;
  return {
    ...summarizeCutadapt(await read(PASS_REPORTS.r1), await read(PASS_REPORTS.r2)),
    reads: pairPaths(CUTADAPT_DIR),
  };
}

export const cutadaptStep: StepDefinition = {
  name: 'cutadapt',
  description: 'Removes the LTR primer from R1 and then the linker from R2 (two cutadapt passes)',
  plan,
  summarize,
  upstream: () => upstreamSteps('cutadapt'),
};
