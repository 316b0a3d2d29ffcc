/**
 * `qc`: FastQC on R1 and R2, before trimming (the upload) into `fastqc/beforeCutAdapt/` and/or
 * after (the most processed reads) into `fastqc/afterCutAdapt/`. FastQC names its outputs after
 * the input file, so reports are `R1_fastqc.html` / `R2_fastqc.html`; `--extract` leaves
 * `fastqc_data.txt` readable for the summary.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { command, CommandLine } from '@qslam/jobs';
import { chainInput, rawReads, ReadPair, upstreamSteps } from '../chain';
import { StepContext, StepDefinition, StepPlan, StepSummary } from '../step-definition';
import { parseFastqcData } from './fastqc-report';

export const QC_STAGES = ['before', 'after', 'both'] as const;
const STAGE_DIRS = { before: 'fastqc/beforeCutAdapt', after: 'fastqc/afterCutAdapt' } as const;
type SingleStage = keyof typeof STAGE_DIRS;

function stagesOf(variant: string | null): SingleStage[] {
  if (variant === 'both') return ['before', 'after'];
  return [variant === 'after' ? 'after' : 'before'];
}

/** before: the raw upload; after: the end of the preprocessing chain (see chain.ts). */
function readsFor(stage: SingleStage, ctx: StepContext): ReadPair {
  return stage === 'before'
    ? rawReads(ctx.workspace, ctx.history)
    : chainInput(ctx.workspace, ctx.history, 'end');
}

/** The FastQC command for one stage; pure, unit-tested for its exact arguments. */
export function fastqcCommand(reads: ReadPair, outDir: string, threads: number): CommandLine {
  return command(
    'fastqc',
    '--outdir',
    outDir,
    '--threads',
    String(Math.max(1, Math.min(threads, 2))),
    '--extract',
    '--dir',
    outDir,
    reads.r1,
    reads.r2,
  );
}

function plan(ctx: StepContext, stagingRoot: string): StepPlan {
  const stages = stagesOf(ctx.variant);
  const inputs = stages.map((stage) => readsFor(stage, ctx));
  const commands: CommandLine[] = [];
  stages.forEach((stage, i) => {
    const out = path.join(stagingRoot, STAGE_DIRS[stage]);
    commands.push(command('mkdir', '-p', out), fastqcCommand(inputs[i], out, ctx.threads));
  });
  return { commands, outputs: stages.map((s) => STAGE_DIRS[s]), inputs };
}

async function summarize(ctx: StepContext): Promise<StepSummary> {
  const summary: StepSummary = {};
  for (const stage of stagesOf(ctx.variant)) {
    const files: Record<string, unknown> = {};
    for (const read of ['R1', 'R2']) {
      const dir = ctx.workspace.path(STAGE_DIRS[stage], `${read}_fastqc`);
      const data = await fs.promises.readFile(path.join(dir, 'fastqc_data.txt'), 'utf8');
      files[read] = {
        ...parseFastqcData(data),
        report: `${STAGE_DIRS[stage]}/${read}_fastqc.html`,
      };
    }
    summary[stage] = files;
  }
  return summary;
}

export const qcStep: StepDefinition = {
  name: 'qc',
  description: 'FastQC quality control of R1 and R2 (before and/or after trimming)',
  variant: {
    query: 'stage',
    values: QC_STAGES,
    description: "before = raw upload, after = trimmed reads, both; default: the run's qc_stage",
    defaultFor: (run) => run.qc_stage,
  },
  plan,
  summarize,
  upstream: (variant) => (stagesOf(variant).includes('after') ? upstreamSteps('end') : []),
};
