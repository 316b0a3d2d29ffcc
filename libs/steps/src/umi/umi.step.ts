/**
 * `umi`: moves the UMI from the start of `umi_read` into both read names (`@name_UMI`, the
 * umi_tools convention, so downstream tools keep working), following `umi_pattern`
 * (N = UMI base, X = base removed but not kept). The project's own streaming tool does the work
 * (libs/preprocess/src/umi); outputs `umi/R1.fastq.gz`, `umi/R2.fastq.gz`, `umi/umi_report.json`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConflictError } from '@qslam/common';
import type { Run } from '@qslam/db';
import { command, CommandLine } from '@qslam/jobs';
import { chainInput, pairPaths, upstreamSteps } from '../chain';
import { projectToolArgv } from '../project-tool';
import { StepContext, StepDefinition, StepPlan, StepSummary } from '../step-definition';

export const UMI_DIR = 'umi';
const REPORT = 'umi_report.json';

/** The umi tool's arguments; pure apart from locating the tool. */
export function umiCommand(
  run: Run,
  input: { r1: string; r2: string },
  outDir: string,
): CommandLine {
  if (run.umi_read === 'none') {
    throw new ConflictError(
      `Run ${run.id} was created with umi_read=none (no UMI in the library); ` +
        `create the run with umi_read=R1 or R2 and umi_pattern to extract UMIs`,
      { field: 'umi_read' },
    );
  }
  return command(
    ...projectToolArgv('preprocess/src/umi/umi-cli'),
    '--r1',
    input.r1,
    '--r2',
    input.r2,
    '--out-r1',
    path.join(outDir, 'R1.fastq.gz'),
    '--out-r2',
    path.join(outDir, 'R2.fastq.gz'),
    '--read',
    run.umi_read,
    '--pattern',
    run.umi_pattern ?? 'NNNNNNNNNN',
    '--report',
    path.join(outDir, REPORT),
  );
}

function plan(ctx: StepContext, stagingRoot: string): StepPlan {
  const input = chainInput(ctx.workspace, ctx.history, 'umi');
  const out = path.join(stagingRoot, UMI_DIR);
  return {
    commands: [command('mkdir', '-p', out), umiCommand(ctx.run, input, out)],
    outputs: [UMI_DIR],
    inputs: [input],
  };
}

async function summarize(ctx: StepContext): Promise<StepSummary> {
  const report = JSON.parse(
    await fs.promises.readFile(ctx.workspace.path(UMI_DIR, REPORT), 'utf8'),
  ) as StepSummary;
  return { ...report, reads: pairPaths(UMI_DIR) };
}

export const umiStep: StepDefinition = {
  name: 'umi',
  description: 'Moves the UMI at the start of umi_read into both read names (@name_UMI)',
  plan,
  summarize,
  upstream: () => upstreamSteps('umi'),
};
